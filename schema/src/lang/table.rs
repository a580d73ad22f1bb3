//! `table` nodes: the block that holds columns, constraints and indexes.

use super::column::read_column;
use super::constraint::{read_check, read_foreign_key, read_primary_key, read_unique};
use super::decl::TableDecl;
use super::errors::{Diag, Sink};
use super::grant::{GrantOn, read_grant};
use super::index::read_index;
use super::macros::access::read_access;
use super::objects::{read_comment, unknown_node};
use super::parse::{NodeView, qual_name};
use super::policy::read_policy;
use super::trigger::read_trigger;

const CHILDREN: &[&str] = &[
    "comment",
    "column",
    "primary-key",
    "unique",
    "check",
    "foreign-key",
    "index",
    "rls",
    "policy",
    "grant",
    "revoke",
    "trigger",
    "timestamps",
    "access",
];

pub fn read_table(v: NodeView<'_>, sink: &mut Sink) -> Option<TableDecl> {
    v.check_props(&["renamed-from", "compat-view"], sink);
    v.max_args(
        1,
        "one table name (columns go inside its `{ … }` block)",
        sink,
    );
    let (written, at) = v.req_arg(
        0,
        "a table name",
        "table core.shows { column id uuid }",
        sink,
    )?;
    let name = qual_name(&written, at, "table", sink)?;
    let mut table = TableDecl {
        name,
        at: v.name_loc(),
        name_at: at,
        comment: None,
        columns: Vec::new(),
        primary_keys: Vec::new(),
        uniques: Vec::new(),
        checks: Vec::new(),
        foreign_keys: Vec::new(),
        indexes: Vec::new(),
        rls: None,
        policies: Vec::new(),
        grants: Vec::new(),
        triggers: Vec::new(),
        timestamps: None,
        access: Vec::new(),
        renamed_from: None,
        compat_view: false,
    };
    read_rename(&v, &mut table, sink);
    v.single_children(&["comment", "rls", "timestamps"], sink);
    for c in v.children() {
        match c.name() {
            "comment" => table.comment = read_comment(c, sink),
            "column" => read_column(c, &mut table, sink),
            "primary-key" => table.primary_keys.extend(read_primary_key(c, sink)),
            "unique" => table.uniques.extend(read_unique(c, sink)),
            "check" => table.checks.extend(read_check(c, sink)),
            "foreign-key" => table.foreign_keys.extend(read_foreign_key(c, sink)),
            "index" => {
                let name = table.name.clone();
                table.indexes.extend(read_index(c, &name, sink));
            }
            "rls" => {
                c.check_props(&["force"], sink);
                c.no_children(sink);
                c.max_args(0, "no arguments (write `rls` or `rls force=#true`)", sink);
                table.rls = Some((c.prop_bool("force", sink), c.name_loc()));
            }
            "policy" => {
                let name = table.name.clone();
                table.policies.extend(read_policy(c, Some(&name), sink));
            }
            "grant" | "revoke" => table.grants.extend(read_grant(c, GrantOn::Table, sink)),
            "trigger" => {
                let name = table.name.clone();
                table.triggers.extend(read_trigger(c, &name, sink));
            }
            "timestamps" => {
                c.check_props(&[], sink);
                c.no_children(sink);
                c.max_args(0, "no arguments", sink);
                table.timestamps = Some(c.name_loc());
            }
            "access" => table.access.extend(read_access(c, sink)),
            _ => unknown_node(c, "in a `table` block", CHILDREN, sink),
        }
    }
    super::column::check_renames(&table, sink);
    Some(table)
}

/// `renamed-from=schema.old compat-view=#true`: the table is `old` renamed
/// (a phased rollout, not a drop and a create), optionally with a view
/// under the old name while the old application still uses it.
fn read_rename(v: &NodeView<'_>, table: &mut TableDecl, sink: &mut Sink) {
    table.compat_view = v.prop_bool("compat-view", sink);
    let Some((written, at)) = v.prop_string("renamed-from", "the table's old name", sink) else {
        if table.compat_view {
            sink.push(
                Diag::new(
                    v.name_loc(),
                    "`compat-view=` without `renamed-from=`",
                    "nothing to keep a view of",
                )
                .help("a compatibility view keeps the old name of a renamed table: `table core.programs renamed-from=core.shows compat-view=#true`"),
            );
        }
        return;
    };
    let Some(old) = qual_name(&written, at, "table", sink) else {
        return;
    };
    if old == table.name {
        sink.push(
            Diag::new(
                at,
                format!("`{}` is renamed from itself", table.name),
                "same name",
            )
            .help("write the table's previous name, or leave `renamed-from=` out"),
        );
        return;
    }
    table.renamed_from = Some((old, at));
}

/// The table renames of all files, checked together: the old name must not
/// be declared too (it would be both kept and renamed), and two tables
/// cannot both be the same old table.
pub fn renames(
    tables: &[TableDecl],
    sink: &mut Sink,
) -> std::collections::BTreeMap<crate::ident::QualName, crate::intents::TableIntent> {
    use std::collections::BTreeMap;
    let declared: BTreeMap<&crate::ident::QualName, &TableDecl> =
        tables.iter().map(|t| (&t.name, t)).collect();
    let mut claimed: BTreeMap<&crate::ident::QualName, &TableDecl> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for table in tables {
        let Some((old, at)) = &table.renamed_from else {
            continue;
        };
        if let Some(kept) = declared.get(old) {
            sink.push(
                Diag::new(
                    *at,
                    format!("`{}` is renamed from `{old}`, which is still declared", table.name),
                    "renamed from here",
                )
                .also(kept.name_at, "but still declared here")
                .help(format!(
                    "remove `table {old}` (the rename keeps its rows under the new name), or remove `renamed-from=` to create `{}` beside it",
                    table.name
                )),
            );
            continue;
        }
        if let Some(first) = claimed.get(old) {
            let first_at = first
                .renamed_from
                .as_ref()
                .map(|(_, at)| *at)
                .unwrap_or(first.name_at);
            sink.push(
                Diag::new(
                    *at,
                    format!(
                        "`{old}` is renamed twice, to `{}` and `{}`",
                        first.name, table.name
                    ),
                    "second rename",
                )
                .also(first_at, "first rename")
                .help("a table can be renamed to one name only; create the other table as new"),
            );
            continue;
        }
        claimed.insert(old, table);
        out.insert(
            table.name.clone(),
            crate::intents::TableIntent {
                renamed_from: Some(old.clone()),
                compat_view: table.compat_view,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::Source;
    use crate::lang::load_sources_declared;

    fn load(text: &str) -> Result<crate::Intents, String> {
        load_sources_declared(&[Source::new("t.kdl", text)], None)
            .map(|d| d.intents)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn renames_are_intents() {
        let i = load(
            "table core.programs renamed-from=Core.Shows compat-view=#true { column id int primary-key=#true }",
        )
        .unwrap();
        let t = i.table(&"core.programs".into()).unwrap();
        assert_eq!(t.renamed_from, Some("core.shows".into()));
        assert!(t.compat_view);
    }

    #[test]
    fn rename_mistakes_are_errors() {
        let e = load(
            "table core.shows { column id int primary-key=#true }\ntable core.programs renamed-from=core.shows { column id int primary-key=#true }",
        )
        .unwrap_err();
        assert!(
            e.contains("t.kdl:2:21") && e.contains("which is still declared"),
            "{e}"
        );
        let e = load(
            "table core.a renamed-from=core.x { column id int }\ntable core.b renamed-from=core.x { column id int }",
        )
        .unwrap_err();
        assert!(e.contains("`core.x` is renamed twice"), "{e}");
        let e = load("table core.a compat-view=#true { column id int }").unwrap_err();
        assert!(e.contains("without `renamed-from=`"), "{e}");
        let e = load("table core.a renamed-from=core.a { column id int }").unwrap_err();
        assert!(e.contains("renamed from itself"), "{e}");
        let e = load("table core.a renamed-from=\"a b\" { column id int }").unwrap_err();
        assert!(e.contains("not a valid table name"), "{e}");
    }
}
