//! Tables: created whole (foreign keys apart, so cycles work), dropped whole,
//! or compared column by column and constraint by constraint.

use super::{Change, Ctx, Fresh, columns, constraints};
use schema::{ConstraintKind, QualName};
use std::collections::BTreeSet;

/// Returns the columns (and what they take with them) recreated in place.
pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) -> Fresh {
    for (name, want) in &ctx.desired.tables {
        if ctx.current.tables.contains_key(name) {
            continue;
        }
        let mut inline = want.clone();
        inline
            .constraints
            .retain(|_, c| !matches!(c.kind, ConstraintKind::ForeignKey(_)));
        out.push(Change::CreateTable(inline));
        for constraint in want.constraints.values() {
            if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                out.push(Change::AddConstraint {
                    table: name.clone(),
                    constraint: constraint.clone(),
                });
            }
        }
    }

    let dropped: BTreeSet<&QualName> = ctx
        .current
        .tables
        .keys()
        .filter(|n| !ctx.desired.tables.contains_key(*n))
        .collect();
    for name in &dropped {
        let mut have = ctx.current.tables[*name].clone();
        // Foreign keys between two dropped tables go first, on their own,
        // so that a cycle of references can be dropped.
        let separate: Vec<_> = have
            .constraints
            .values()
            .filter(|c| match &c.kind {
                ConstraintKind::ForeignKey(fk) => {
                    &fk.ref_table != *name && dropped.contains(&fk.ref_table)
                }
                _ => false,
            })
            .cloned()
            .collect();
        for constraint in separate {
            have.constraints.remove(&constraint.name);
            out.push(Change::DropConstraint {
                table: (*name).clone(),
                constraint,
                replaced: false,
            });
        }
        out.push(Change::DropTable(have));
    }

    let mut fresh = Fresh::default();
    let changing_keys = constraints::changing_keys(ctx);
    for (name, want) in &ctx.desired.tables {
        if let Some(have) = ctx.current.tables.get(name) {
            columns::diff(ctx, have, want, &mut fresh, out);
            constraints::diff(ctx, have, want, &fresh, &changing_keys, out);
        }
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};

    #[test]
    fn new_tables_get_foreign_keys_as_separate_changes() {
        let mut a = table("core.a", &[("id", "integer"), ("b_id", "integer")]);
        a.constraints.insert(
            id("a_b_fkey"),
            constraint("a_b_fkey", fk(&["b_id"], "core.b", &["id"])),
        );
        a.constraints.insert(
            id("a_id_key"),
            constraint("a_id_key", unique(&["id"], false)),
        );
        let b = table("core.b", &[("id", "integer")]);
        let desired = catalog(&["core"], vec![a, b]);
        let changes = diff(&catalog(&["core"], vec![]), &desired, &core());
        assert_eq!(
            brief(&changes),
            [
                "create table core.a (1 constraints)",
                "add constraint a_b_fkey",
                "create table core.b (0 constraints)"
            ]
        );
    }

    #[test]
    fn foreign_keys_between_dropped_tables_are_dropped_first() {
        let mut a = table(
            "core.a",
            &[("id", "integer"), ("b_id", "integer"), ("a_id", "integer")],
        );
        a.constraints.insert(
            id("a_b_fkey"),
            constraint("a_b_fkey", fk(&["b_id"], "core.b", &["id"])),
        );
        a.constraints.insert(
            id("a_a_fkey"),
            constraint("a_a_fkey", fk(&["a_id"], "core.a", &["id"])),
        );
        let mut b = table("core.b", &[("id", "integer"), ("a_id", "integer")]);
        b.constraints.insert(
            id("b_a_fkey"),
            constraint("b_a_fkey", fk(&["a_id"], "core.a", &["id"])),
        );
        let current = catalog(&["core"], vec![a, b]);
        let changes = diff(&current, &catalog(&["core"], vec![]), &core());
        // The self-reference goes with its table.
        assert_eq!(
            brief(&changes),
            [
                "drop constraint a_b_fkey replaced=false",
                "drop table core.a",
                "drop constraint b_a_fkey replaced=false",
                "drop table core.b",
            ]
        );
    }

    #[test]
    fn tables_outside_managed_schemas_are_ignored() {
        let current = catalog(
            &["core", "auth"],
            vec![table("auth.users", &[("id", "uuid")])],
        );
        let desired = catalog(
            &["core", "auth"],
            vec![table("auth.other", &[("id", "uuid")])],
        );
        assert!(diff(&current, &desired, &core()).is_empty());
    }
}
