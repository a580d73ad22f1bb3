//! `table` nodes: the block that holds columns, constraints and indexes.

use super::column::read_column;
use super::constraint::{read_check, read_foreign_key, read_primary_key, read_unique};
use super::decl::TableDecl;
use super::errors::Sink;
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
    v.check_props(&[], sink);
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
    };
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
