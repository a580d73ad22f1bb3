//! `column` nodes and what they imply for their table (column-level primary
//! key, unique, check and foreign key).

use super::constraint::{read_check, read_references};
use super::decl::{ColumnDecl, FkDecl, KeyDecl, Named, TableDecl, UniqueDecl};
use super::errors::{Diag, Loc, Sink};
use super::objects::{read_comment, unknown_node};
use super::parse::{NodeView, ident};
use crate::catalog::{Column, Deferral, Identity};
use crate::expr::Expr;
use crate::ident::{Ident, QualName};
use crate::intents::ColumnIntent;
use crate::names::make_object_name;
use crate::types::SqlType;

const PROPS: &[&str] = &[
    "nullable",
    "default",
    "identity",
    "generated",
    "unique",
    "primary-key",
    "renamed-from",
    "backfill",
    "using",
    "reverse-using",
];
const CHILDREN: &[&str] = &["references", "check", "comment"];

/// Reads `column name type …` into `table`.
pub fn read_column(v: NodeView<'_>, table: &mut TableDecl, sink: &mut Sink) {
    v.check_props(PROPS, sink);
    v.max_args(2, "a name and a type", sink);
    let Some((written, at)) = v.req_arg(0, "a column name", "column title text", sink) else {
        return;
    };
    let Some(name) = ident(&written, at, "column", sink) else {
        return;
    };
    let Some((ty_written, ty_at)) = v.req_arg(1, "a type", &format!("column {written} text"), sink)
    else {
        return;
    };
    let named = Named {
        name: name.clone(),
        at,
    };

    let mut serial_sequence = None;
    let mut serial_default = None;
    let ty = match SqlType::parse_serial(&ty_written) {
        Ok(Some(serial)) => {
            let seq = Ident::new(make_object_name(
                table.name.name.as_str(),
                Some(name.as_str()),
                "seq",
            ));
            serial_default = Some(crate::names::serial_default(&QualName::new(
                table.name.schema.clone(),
                seq.clone(),
            )));
            serial_sequence = Some(seq);
            Some(serial.ty)
        }
        Ok(None) => match SqlType::parse(&ty_written) {
            Ok(t) => Some(t),
            Err(e) => {
                bad_type(&ty_written, ty_at, &e.reason, sink);
                None
            }
        },
        Err(e) => {
            bad_type(&ty_written, ty_at, &e.reason, sink);
            None
        }
    };

    let mut column = Column::new(
        name.clone(),
        ty.unwrap_or_else(|| SqlType::canonical("text")),
    );
    column.nullable = v.prop_bool("nullable", sink);
    column.identity = match v.prop_choice("identity", &["always", "by-default"], sink) {
        Some("always") => Some(Identity::Always),
        Some(_) => Some(Identity::ByDefault),
        None => None,
    };
    // `default="null"` is no default, as PostgreSQL stores it.
    column.default = v
        .prop_sql("default", sink)
        .and_then(|(s, at)| expression(&s, at, "default", sink))
        .filter(|d| !d.is_null());
    column.generated = v
        .prop_sql("generated", sink)
        .and_then(|(s, at)| expression(&s, at, "generated", sink));

    let conflict = |what: &str, with: &str, sink: &mut Sink| {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("column `{written}` has both {what} and {with}"),
                "conflicting column options",
            )
            .help(format!(
                "PostgreSQL allows only one of {what} and {with} on a column; remove one"
            )),
        );
    };
    if serial_default.is_some() {
        if column.default.is_some() {
            conflict("a serial type", "default=", sink);
        }
        if column.identity.is_some() {
            conflict("a serial type", "identity=", sink);
        }
        column.default = serial_default;
        column.nullable = false;
    }
    if column.identity.is_some() {
        if column.default.is_some() {
            conflict("identity=", "default=", sink);
        }
        if column.nullable {
            conflict("identity=", "nullable=#true", sink);
        }
        column.nullable = false;
    }
    if column.generated.is_some() {
        if column.default.is_some() {
            conflict("generated=", "default=", sink);
        }
        if column.identity.is_some() {
            conflict("generated=", "identity=", sink);
        }
    }

    if v.prop_bool("unique", sink) {
        table.uniques.push(UniqueDecl {
            name: None,
            columns: vec![named.clone()],
            nulls_not_distinct: false,
            deferral: Deferral::NotDeferrable,
        });
    }
    if v.prop_bool("primary-key", sink) {
        table.primary_keys.push(KeyDecl {
            name: None,
            columns: vec![named.clone()],
            at: v.name_loc(),
        });
    }

    v.single_children(&["comment"], sink);
    for c in v.children() {
        match c.name() {
            "comment" => column.comment = read_comment(c, sink),
            "check" => {
                if let Some(check) = read_check(c, sink) {
                    table.checks.push(check);
                }
            }
            "references" => {
                c.check_props(super::constraint::REFERENCES_PROPS_NAMED, sink);
                c.no_children(sink);
                if let Some(r) = read_references(c, sink) {
                    let name =
                        c.prop_string("name", "a constraint name", sink)
                            .and_then(|(s, at)| {
                                ident(&s, at, "constraint", sink).map(|name| Named { name, at })
                            });
                    table.foreign_keys.push(FkDecl {
                        name,
                        columns: vec![named.clone()],
                        ref_table: r.table,
                        ref_at: r.table_at,
                        ref_columns: r.columns,
                        on_delete: r.on_delete,
                        on_update: r.on_update,
                        match_full: r.match_full,
                        deferral: r.deferral,
                        at: c.name_loc(),
                    });
                }
            }
            _ => unknown_node(c, "in a `column` block", CHILDREN, sink),
        }
    }

    let (intent, renamed_at) = read_intent(&v, &written, &column, sink);

    // A column with a bad type is kept (as text) so references to it do not
    // cascade into more errors; the load fails through the type problem.
    table.columns.push(ColumnDecl {
        column,
        at: v.name_loc(),
        serial_sequence,
        intent,
        renamed_at,
    });
}

/// `renamed-from=`, `backfill=` and `using=`: how existing rows get the
/// column's values (see docs/kdl.md, "Rollouts"). Checks what one column
/// alone can tell; [`check_renames`] checks the table.
fn read_intent(
    v: &NodeView<'_>,
    written: &str,
    column: &Column,
    sink: &mut Sink,
) -> (ColumnIntent, Option<Loc>) {
    let mut intent = ColumnIntent::default();
    let mut renamed_at = None;
    if let Some((old, at)) = v.prop_string("renamed-from", "the column's previous name", sink)
        && let Some(old) = ident(&old, at, "column", sink)
    {
        if old == column.name {
            sink.push(
                Diag::new(at, format!("column `{written}` is renamed from itself"), "same name")
                    .help("`renamed-from=` names the column as it is in the database today; remove it once the rename is done, or name the old column"),
            );
        } else {
            intent.renamed_from = Some(old);
            renamed_at = Some(at);
        }
    }
    let backfill = v.prop_sql("backfill", sink);
    let using = v.prop_sql("using", sink);
    intent.backfill = backfill
        .as_ref()
        .and_then(|(s, at)| expression(s, *at, "backfill= expression", sink));
    intent.using = using
        .as_ref()
        .and_then(|(s, at)| expression(s, *at, "using= expression", sink));
    let reverse = v.prop_sql("reverse-using", sink);
    intent.reverse_using = reverse
        .as_ref()
        .and_then(|(s, at)| expression(s, *at, "reverse-using= expression", sink));
    if let Some((_, at)) = &reverse {
        check_reverse(written, &intent, using.is_some(), *at, sink);
    }
    let computed = if column.generated.is_some() {
        Some("generated=")
    } else if column.identity.is_some() {
        Some("identity=")
    } else {
        None
    };
    for (key, prop) in [("backfill=", &backfill), ("using=", &using)] {
        if let (Some(what), Some((_, at))) = (computed, prop) {
            sink.push(
                Diag::new(
                    *at,
                    format!("column `{written}` has both {what} and {key}"),
                    "conflicting column options",
                )
                .help(format!(
                    "PostgreSQL computes the values of a column with {what}; remove {key}"
                )),
            );
        }
    }
    if let (Some(_), Some((_, at))) = (&backfill, &using) {
        sink.push(
            Diag::new(*at, format!("column `{written}` has both backfill= and using="), "conflicting column options")
                .help("using= computes every row's value from the old shape; backfill= fills rows that have none. Keep the one you mean"),
        );
    }
    if let Some((_, at)) = &backfill
        && column.nullable
        && computed.is_none()
    {
        sink.push(
            Diag::new(*at, format!("column `{written}` is nullable, so backfill= has nothing to do"), "backfill= without NOT NULL")
                .help("backfill= gives existing rows a value when the column is (or becomes) NOT NULL; to compute values for a nullable column write using=\"expression\""),
        );
    }
    (intent, renamed_at)
}

/// `reverse-using=` says how the old shape follows the new one: it needs a
/// rollout with an old shape (`renamed-from=`, or `using=` reading exactly
/// one column, the one it writes back).
fn check_reverse(written: &str, intent: &ColumnIntent, has_using: bool, at: Loc, sink: &mut Sink) {
    if intent.renamed_from.is_some() {
        return;
    }
    if !has_using {
        sink.push(
            Diag::new(at, format!("column `{written}` has reverse-using= without using= or renamed-from="), "nothing to reverse")
                .help("reverse-using= computes the old shape from the new one during a rollout: add renamed-from=old (a rename) or using=\"…\" (a derived column), or remove it"),
        );
        return;
    }
    let Some(using) = &intent.using else {
        return; // using= did not parse: reported already
    };
    let read = using.columns();
    if read.len() != 1 {
        let read = if read.is_empty() {
            "no column".to_string()
        } else {
            read.iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        sink.push(
            Diag::new(at, format!("column `{written}`: reverse-using= needs using= to read exactly one column, and it reads {read}"), "no single column to write back")
                .help("reverse-using= writes its value into the one column that using= reads; derive from a single column, or leave reverse-using= out (writes to the new column then do not reach the old shape)"),
        );
    }
}

/// Across a table's columns: a column renamed from a name that another
/// column still declares, or two columns renamed from the same one.
pub fn check_renames(table: &TableDecl, sink: &mut Sink) {
    let mut seen: Vec<(&Ident, &Ident)> = Vec::new();
    for c in &table.columns {
        let (Some(old), Some(at)) = (&c.intent.renamed_from, c.renamed_at) else {
            continue;
        };
        if table.columns.iter().any(|o| &o.column.name == old) {
            sink.push(
                Diag::new(at, format!("column `{}` is renamed from `{old}`, but `{old}` is declared too", c.column.name), "the old column is still declared")
                    .help(format!("a rename keeps one column: remove `column {old} …`, or remove `renamed-from=` to add `{}` as a new column", c.column.name)),
            );
        }
        if let Some((_, first)) = seen.iter().find(|(o, _)| *o == old) {
            sink.push(
                Diag::new(at, format!("columns `{first}` and `{}` are both renamed from `{old}`", c.column.name), "renamed twice")
                    .help("one column can become only one; add the other as a new column with using= to copy its values"),
            );
        }
        seen.push((old, &c.column.name));
    }
}

fn bad_type(written: &str, at: Loc, reason: &str, sink: &mut Sink) {
    sink.push(
        Diag::new(at, format!("`{written}` is not a column type: {reason}"), "bad type").help(
            "write a PostgreSQL type such as text, integer, \"numeric(10,2)\", \"text[]\", \
             \"timestamp with time zone\" or a schema-qualified enum; quote it when it has ( ) [ ] or spaces",
        ),
    );
}

/// Parses a SQL expression written in a KDL string, or reports the parser's
/// complaint at the string.
pub fn expression(written: &str, at: Loc, what: &str, sink: &mut Sink) -> Option<Expr> {
    match Expr::parse(written) {
        Ok(e) => Some(e),
        Err(e) => {
            let position = e
                .position
                .map(|(l, c)| format!(" (line {l}, column {c} of the expression)"))
                .unwrap_or_default();
            sink.push(
                Diag::new(at, format!("the {what} is not a valid SQL expression: {}{position}", e.message), "cannot parse this SQL")
                    .help("write one SQL expression inside the KDL string, e.g. default=\"now()\" or check \"price > 0\""),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::test_util::{errors, load};
    use crate::{Identity, QualName};

    fn column(text: &str) -> crate::Column {
        let c = load(&format!("table core.t {{ {text} }}")).unwrap();
        c.tables[&QualName::from("core.t")].columns[0].clone()
    }

    #[test]
    fn not_null_unless_nullable() {
        assert!(!column("column a text").nullable);
        assert!(column("column a text nullable=#true").nullable);
    }

    #[test]
    fn serial_becomes_integer_with_sequence_default() {
        let c = column("column n smallserial");
        assert_eq!(c.ty.as_str(), "smallint");
        assert_eq!(
            c.default.unwrap().sql(),
            "nextval('core.t_n_seq'::regclass)"
        );
        assert!(!c.nullable);
    }

    #[test]
    fn identity_and_generated() {
        assert_eq!(
            column("column a bigint identity=by-default").identity,
            Some(Identity::ByDefault)
        );
        let c = column("column a int generated=\"1 + 2\" nullable=#true");
        assert_eq!(c.generated.unwrap().sql(), "1 + 2");
    }

    #[test]
    fn conflicting_options_are_errors() {
        assert!(
            errors("table t { column a serial default=\"1\" }")
                .contains("both a serial type and default=")
        );
        assert!(
            errors("table t { column a int identity=always default=\"1\" }")
                .contains("both identity= and default=")
        );
        assert!(
            errors("table t { column a int generated=\"1\" default=\"1\" }")
                .contains("both generated= and default=")
        );
    }

    #[test]
    fn rollout_intents_are_loaded_beside_the_catalog() {
        let declared = crate::lang::load_sources_declared(
            &[crate::Source::new(
                "t.kdl",
                "table core.t {\n column id int primary-key=#true\n column slug text renamed-from=Handle using=\"lower(handle)\"\n column n int backfill=0\n}",
            )],
            None,
        )
        .unwrap();
        let t = QualName::from("core.t");
        let slug = declared.intents.column(&t, &"slug".into()).unwrap();
        assert_eq!(slug.renamed_from.as_ref().unwrap().as_str(), "handle");
        assert_eq!(slug.using.as_ref().unwrap().sql(), "lower(handle)");
        let n = declared.intents.column(&t, &"n".into()).unwrap();
        assert_eq!(n.backfill.as_ref().unwrap().sql(), "0");
        assert!(declared.intents.column(&t, &"id".into()).is_none());
        // The Catalog knows nothing of them: it compares equal to a replay.
        assert_eq!(declared.catalog.tables[&t].columns[1].name.as_str(), "slug");
    }

    #[test]
    fn column_children() {
        let c = column("column a text { comment \"hi\" }");
        assert_eq!(c.comment.as_deref(), Some("hi"));
        assert!(
            errors("table t { column a text { nope } }")
                .contains("unknown node `nope` in a `column` block")
        );
    }
}
