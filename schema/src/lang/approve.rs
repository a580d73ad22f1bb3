//! `approve` nodes: the contract (destructive) steps `apply` may write
//! without `--allow-destructive`.
//!
//! ```kdl
//! approve "core.shows.handle" "core.legacy_table" reason="renamed in #42"
//! ```
//!
//! Each argument names an object as plans print it (`core.shows.handle`,
//! `core.old_shows`, `core.shows_handle_idx`). The names are folded like
//! SQL identifiers, so `Core.Shows` and `core.shows` are the same approval.
//! `reason` is for the people reading the schema; it is checked only for
//! being a string.

use super::errors::{Diag, Loc, Sink};
use super::parse::NodeView;
use crate::ident::{Ident, is_well_formed, split_qualified};
use std::collections::BTreeMap;

const EXAMPLE: &str = "approve \"core.shows.handle\" reason=\"renamed to slug\"";

/// Reads one `approve` node into `approvals` (name → where first written).
pub fn read_approve(v: NodeView<'_>, approvals: &mut BTreeMap<String, Loc>, sink: &mut Sink) {
    v.check_props(&["reason"], sink);
    v.no_children(sink);
    if let Some((reason, at)) = v.prop_string("reason", "a sentence saying why", sink)
        && reason.trim().is_empty()
    {
        sink.push(
            Diag::new(at, "`reason=` is empty", "empty reason").help(format!(
                "say why the drop is safe, or leave `reason=` out: `{EXAMPLE}`"
            )),
        );
    }
    let names = v.rest_args(0, "an object name", sink);
    if names.is_empty() && v.args().is_empty() {
        sink.push(
            Diag::new(v.name_loc(), "`approve` names no object", "expected object names")
                .help(format!(
                    "name each object whose contract steps may be written, as `plan` prints it: `{EXAMPLE}`"
                )),
        );
    }
    for (written, at) in names {
        let Some(name) = display_name(&written) else {
            let (message, label) = if written.trim().is_empty() {
                (
                    "`approve` has an empty object name".to_string(),
                    "empty name",
                )
            } else {
                (format!("`{written}` is not an object name"), "invalid name")
            };
            sink.push(Diag::new(at, message, label).help(format!(
                "write the name as `plan` prints it: `schema.table`, `schema.table.column` or `schema.index`: `{EXAMPLE}`"
            )));
            continue;
        };
        match approvals.get(&name) {
            Some(first) => sink.push(
                Diag::new(
                    at,
                    format!("`{name}` is approved twice"),
                    "approved again here",
                )
                .also(*first, "first approved here")
                .help("remove one of the two; an approval counts once"),
            ),
            None => {
                approvals.insert(name, at);
            }
        }
    }
}

/// `Core.Shows."Handle"` → `core.shows."Handle"`: folded as PostgreSQL
/// folds identifiers and quoted where it needs quotes, as plans print names.
fn display_name(written: &str) -> Option<String> {
    if !is_well_formed(written) {
        return None;
    }
    let parts = split_qualified(written)?;
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    Some(
        parts
            .iter()
            .map(|p| Ident::from_sql(p).to_string())
            .collect::<Vec<_>>()
            .join("."),
    )
}

#[cfg(test)]
mod tests {
    use crate::Source;
    use crate::lang::load_sources_declared;

    fn approvals(text: &str) -> Result<Vec<String>, String> {
        load_sources_declared(&[Source::new("t.kdl", text)], None)
            .map(|d| d.intents.approvals.into_iter().collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn names_are_folded_like_plans_print_them() {
        let got = approvals(
            "approve \"Core.Shows.Handle\" core.legacy reason=\"renamed\"\napprove \"core.\\\"Mixed\\\"\"",
        )
        .unwrap();
        assert_eq!(got, ["core.\"Mixed\"", "core.legacy", "core.shows.handle"]);
    }

    #[test]
    fn empty_duplicate_and_bad_names_are_errors() {
        let e = approvals("approve").unwrap_err();
        assert!(
            e.contains("t.kdl:1:1") && e.contains("names no object"),
            "{e}"
        );
        let e = approvals("approve core.a\napprove \"CORE.A\"").unwrap_err();
        assert!(
            e.contains("t.kdl:2:9") && e.contains("`core.a` is approved twice"),
            "{e}"
        );
        let e = approvals("approve \"\" \"a.b.c.d\" 3").unwrap_err();
        assert!(e.contains("empty object name"), "{e}");
        assert!(e.contains("`a.b.c.d` is not an object name"), "{e}");
        assert!(e.contains("found the number 3"), "{e}");
        let e = approvals("approve core.a reason=\"\"").unwrap_err();
        assert!(e.contains("`reason=` is empty"), "{e}");
    }
}
