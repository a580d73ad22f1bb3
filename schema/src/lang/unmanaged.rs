//! `unmanaged` nodes: objects `plan` leaves exactly as the migrations made
//! them. `import` writes one for each object the language cannot declare.
//!
//! ```kdl
//! unmanaged table core.events reason="partitioned table"
//! unmanaged constraint core.shows.shows_id_key
//! ```
//!
//! The first argument is the kind (`table`, `view`, `index`, `enum`,
//! `function`, `sequence`, `constraint`, `trigger`), the others name
//! objects of that kind: `schema.name`, or `schema.table.name` for a
//! constraint or trigger.

use super::errors::{Diag, Loc, Sink};
use super::parse::NodeView;
use crate::ident::{Ident, QualName, is_well_formed, split_qualified};
use crate::intents::Unmanaged;
use std::collections::BTreeMap;

const EXAMPLE: &str = "unmanaged table core.events reason=\"partitioned\"";

/// Reads one `unmanaged` node into `out` (object → reason).
pub fn read_unmanaged(
    v: NodeView<'_>,
    out: &mut BTreeMap<Unmanaged, Option<String>>,
    sink: &mut Sink,
) {
    v.check_props(&["reason"], sink);
    v.no_children(sink);
    let reason = v
        .prop_string("reason", "a sentence saying why", sink)
        .map(|(r, _)| r);
    let Some((kind, at)) = v.req_arg(0, "the kind of object", EXAMPLE, sink) else {
        return;
    };
    if !Unmanaged::KINDS.contains(&kind.as_str()) {
        sink.push(
            Diag::new(
                at,
                format!("`{kind}` is not a kind `unmanaged` takes"),
                "unknown kind",
            )
            .help(format!(
                "kinds: {}; e.g. `{EXAMPLE}`",
                Unmanaged::KINDS.join(", ")
            )),
        );
        return;
    }
    let names = v.rest_args(1, "an object name", sink);
    if names.is_empty() {
        sink.push(
            Diag::new(
                v.name_loc(),
                "`unmanaged` names no object",
                "expected names after the kind",
            )
            .help(format!("e.g. `{EXAMPLE}`")),
        );
    }
    for (written, at) in names {
        if let Some(object) = object(&kind, &written, at, sink) {
            out.insert(object, reason.clone());
        }
    }
}

fn object(kind: &str, written: &str, at: Loc, sink: &mut Sink) -> Option<Unmanaged> {
    let parts = split_qualified(written).filter(|_| is_well_formed(written));
    let on_table = matches!(kind, "constraint" | "trigger");
    let object = match (parts.as_deref(), on_table) {
        (Some([schema, name]), false) => {
            let name = QualName::new(Ident::from_sql(schema), Ident::from_sql(name));
            Some(match kind {
                "table" => Unmanaged::Table(name),
                "view" => Unmanaged::View(name),
                "index" => Unmanaged::Index(name),
                "enum" => Unmanaged::Enum(name),
                "function" => Unmanaged::Function(name),
                _ => Unmanaged::Sequence(name),
            })
        }
        (Some([schema, table, name]), true) => {
            let table = QualName::new(Ident::from_sql(schema), Ident::from_sql(table));
            let name = Ident::from_sql(name);
            Some(if kind == "constraint" {
                Unmanaged::Constraint { table, name }
            } else {
                Unmanaged::Trigger { table, name }
            })
        }
        _ => None,
    };
    if object.is_none() {
        let shape = if on_table {
            "schema.table.name"
        } else {
            "schema.name"
        };
        sink.push(
            Diag::new(
                at,
                format!("`{written}` is not a {kind} name"),
                format!("expected {shape}"),
            )
            .help(format!(
                "write the schema-qualified name, `{shape}`, as `plan` prints it"
            )),
        );
    }
    object
}

#[cfg(test)]
mod tests {
    use crate::intents::Unmanaged;
    use crate::lang::test_util::errors;
    use crate::{Ident, QualName, Source};

    fn unmanaged(text: &str) -> Vec<(Unmanaged, Option<String>)> {
        crate::lang::load_sources_declared(&[Source::new("u.kdl", text)], None)
            .unwrap()
            .intents
            .unmanaged
            .into_iter()
            .collect()
    }

    #[test]
    fn reads_objects_with_reasons() {
        let got = unmanaged(
            "unmanaged table core.events \"core.Logs\" reason=\"partitioned\"\nunmanaged constraint core.shows.shows_id_key\n",
        );
        assert_eq!(
            got,
            vec![
                (
                    Unmanaged::Table(QualName::from("core.events")),
                    Some("partitioned".into())
                ),
                (
                    Unmanaged::Table(QualName::from("core.logs")),
                    Some("partitioned".into())
                ),
                (
                    Unmanaged::Constraint {
                        table: QualName::from("core.shows"),
                        name: Ident::new("shows_id_key")
                    },
                    None
                ),
            ]
        );
    }

    #[test]
    fn bad_nodes_are_errors() {
        assert!(errors("unmanaged tabel core.x").contains("`tabel` is not a kind"));
        assert!(errors("unmanaged table").contains("names no object"));
        assert!(errors("unmanaged table events").contains("`events` is not a table name"));
        assert!(
            errors("unmanaged constraint core.shows")
                .contains("`core.shows` is not a constraint name")
        );
    }
}
