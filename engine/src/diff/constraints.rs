//! Primary keys and unique/check/foreign-key constraints of a table that
//! exists on both sides. A changed constraint is dropped and added again;
//! a foreign key whose referenced key is dropped or replaced is too.

use super::{Change, Ctx, Fresh};
use schema::{Constraint, ConstraintKind, Ident, QualName, Table};
use std::collections::BTreeSet;

/// A referenced key: table plus its columns in sorted order.
pub(crate) type KeyRef = (QualName, Vec<Ident>);

/// Columns a constraint depends on (in its own table).
pub(crate) fn columns(constraint: &Constraint) -> Vec<Ident> {
    match &constraint.kind {
        ConstraintKind::Unique { columns, .. } => columns.clone(),
        ConstraintKind::Check { expr, .. } => expr.columns(),
        ConstraintKind::ForeignKey(fk) => fk.columns.clone(),
    }
}

fn sorted(columns: &[Ident]) -> Vec<Ident> {
    let mut columns = columns.to_vec();
    columns.sort();
    columns
}

/// Primary keys and unique constraints of surviving tables that are dropped
/// or replaced: foreign keys pointing at them must be rebuilt.
pub(super) fn changing_keys(ctx: &Ctx) -> BTreeSet<KeyRef> {
    let mut keys = BTreeSet::new();
    for (name, have) in &ctx.current.tables {
        let Some(want) = ctx.desired.tables.get(name) else {
            continue;
        };
        if let Some(pk) = &have.primary_key
            && want.primary_key.as_ref() != Some(pk)
        {
            keys.insert((name.clone(), sorted(&pk.columns)));
        }
        for c in have.constraints.values() {
            if let ConstraintKind::Unique { columns, .. } = &c.kind
                && want.constraints.get(&c.name) != Some(c)
            {
                keys.insert((name.clone(), sorted(columns)));
            }
        }
    }
    keys
}

pub(super) fn diff(
    have: &Table,
    want: &Table,
    fresh: &Fresh,
    changing: &BTreeSet<KeyRef>,
    out: &mut Vec<Change>,
) {
    let table = &want.name;
    let gone_with_column = |cols: &[Ident]| {
        cols.iter()
            .any(|c| fresh.columns.contains(&(table.clone(), c.clone())))
    };

    match (&have.primary_key, &want.primary_key) {
        (Some(old), new) if new.as_ref() != Some(old) => {
            if !gone_with_column(&old.columns) {
                out.push(Change::DropPrimaryKey {
                    table: table.clone(),
                    pk: old.clone(),
                    replaced: new.is_some(),
                });
            }
            if let Some(new) = new {
                out.push(Change::AddPrimaryKey {
                    table: table.clone(),
                    pk: new.clone(),
                });
            }
        }
        (Some(old), Some(_)) if gone_with_column(&old.columns) => {
            out.push(Change::AddPrimaryKey {
                table: table.clone(),
                pk: old.clone(),
            });
        }
        (None, Some(new)) => out.push(Change::AddPrimaryKey {
            table: table.clone(),
            pk: new.clone(),
        }),
        _ => {}
    }

    for (name, old) in &have.constraints {
        let new = want.constraints.get(name);
        let rebuilt = match &old.kind {
            ConstraintKind::ForeignKey(fk) => {
                changing.contains(&(fk.ref_table.clone(), sorted(&fk.ref_columns)))
            }
            _ => false,
        };
        let gone = gone_with_column(&columns(old));
        if new == Some(old) && !rebuilt && !gone {
            continue;
        }
        if !gone {
            out.push(Change::DropConstraint {
                table: table.clone(),
                constraint: old.clone(),
                replaced: new.is_some(),
            });
        }
        if let Some(new) = new {
            out.push(Change::AddConstraint {
                table: table.clone(),
                constraint: new.clone(),
            });
        }
    }
    for (name, new) in &want.constraints {
        if !have.constraints.contains_key(name) {
            out.push(Change::AddConstraint {
                table: table.clone(),
                constraint: new.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::{Catalog, ConstraintKind, Expr};

    fn pair(nulls_not_distinct: bool, check: &str) -> Catalog {
        let mut parent = table("core.p", &[("id", "integer"), ("code", "text")]);
        parent.constraints.insert(
            id("p_code_key"),
            constraint("p_code_key", unique(&["code"], nulls_not_distinct)),
        );
        parent.constraints.insert(
            id("p_code_check"),
            constraint(
                "p_code_check",
                ConstraintKind::Check {
                    expr: Expr::canonical(check),
                    no_inherit: false,
                },
            ),
        );
        let mut child = table("core.c", &[("id", "integer"), ("p_code", "text")]);
        child.constraints.insert(
            id("c_p_code_fkey"),
            constraint("c_p_code_fkey", fk(&["p_code"], "core.p", &["code"])),
        );
        catalog(&["core"], vec![parent, child])
    }

    #[test]
    fn unchanged_constraints_are_left_alone() {
        assert!(
            diff(
                &pair(false, "code <> ''"),
                &pair(false, "code <> ''"),
                &core()
            )
            .is_empty()
        );
    }

    #[test]
    fn changed_constraint_is_dropped_and_added() {
        let changes = diff(
            &pair(false, "code <> ''"),
            &pair(false, "code <> 'x'"),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            [
                "drop constraint p_code_check replaced=true",
                "add constraint p_code_check"
            ]
        );
    }

    #[test]
    fn foreign_keys_follow_the_key_they_reference() {
        let changes = diff(
            &pair(false, "code <> ''"),
            &pair(true, "code <> ''"),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            [
                "drop constraint c_p_code_fkey replaced=true",
                "add constraint c_p_code_fkey",
                "drop constraint p_code_key replaced=true",
                "add constraint p_code_key",
            ]
        );
    }

    #[test]
    fn primary_key_added_changed_removed() {
        let with_pk = |cols: &[&str]| {
            let mut t = table("core.t", &[("a", "integer"), ("b", "integer")]);
            if !cols.is_empty() {
                t.primary_key = Some(schema::PrimaryKey {
                    name: id("t_pkey"),
                    columns: cols.iter().map(|c| id(c)).collect(),
                });
            }
            catalog(&["core"], vec![t])
        };
        assert_eq!(
            brief(&diff(&with_pk(&[]), &with_pk(&["a"]), &core())),
            ["add pk t_pkey"]
        );
        assert_eq!(
            brief(&diff(&with_pk(&["a"]), &with_pk(&["a", "b"]), &core())),
            ["drop pk t_pkey replaced=true", "add pk t_pkey"]
        );
        assert_eq!(
            brief(&diff(&with_pk(&["a"]), &with_pk(&[]), &core())),
            ["drop pk t_pkey replaced=false"]
        );
    }
}
