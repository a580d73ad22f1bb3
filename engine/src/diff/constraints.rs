//! Primary keys and unique/check/foreign-key constraints of a table that
//! exists on both sides, so with rows that must not be locked for a scan:
//! - a new check or foreign key is added `NOT VALID` and validated at
//!   cutover; one added `NOT VALID` earlier is validated;
//! - a new unique constraint gets its index built `CONCURRENTLY` first and
//!   is attached to it (`UNIQUE USING INDEX`) at cutover;
//! - a changed check or foreign key is built beside the old one under a
//!   helper name and swapped in at cutover ([`helpers`]);
//! - other changes (keys, unique constraints, a foreign key whose
//!   referenced key is dropped or replaced) drop and add again.
//!
//! Each step works out from the current Catalog how far an earlier plan
//! got, so only what remains is planned.

use super::{Change, Ctx, Fresh, helpers};
use schema::{Constraint, ConstraintKind, Ident, Index, IndexKey, IndexTarget, QualName, Table};
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
    ctx: &Ctx,
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

    let rebuilt = |c: &Constraint| match &c.kind {
        ConstraintKind::ForeignKey(fk) => {
            changing.contains(&(fk.ref_table.clone(), sorted(&fk.ref_columns)))
        }
        _ => false,
    };
    // Checks and foreign keys replaced in place: built beside the old one
    // under a helper name, swapped in at cutover.
    let swapped = |name: &Ident| -> bool {
        let (Some(old), Some(new)) = (have.constraints.get(name), want.constraints.get(name))
        else {
            return false;
        };
        !old.same_definition(new)
            && validatable(old)
            && validatable(new)
            && !rebuilt(old)
            && !gone_with_column(&columns(old))
    };
    let swap_helpers: BTreeSet<Ident> = want
        .constraints
        .keys()
        .filter(|n| swapped(n))
        .map(helpers::replacement_name)
        .collect();

    for (name, old) in &have.constraints {
        let new = want.constraints.get(name);
        if new.is_none() && (swap_helpers.contains(name) || pending_not_null(have, want, old)) {
            // A rollout in progress: the swap or SET NOT NULL below owns it.
            continue;
        }
        let gone = gone_with_column(&columns(old));
        if let Some(new) = new
            && new.same_definition(old)
            && !rebuilt(old)
            && !gone
        {
            if old.not_valid && !new.not_valid {
                out.push(Change::ValidateConstraint {
                    table: table.clone(),
                    constraint: new.clone(),
                });
            }
            continue;
        }
        if swapped(name) {
            let new = new.expect("swapped constraints are in both");
            let helper = helpers::replacement_name(name);
            let mut staged = new.clone();
            staged.name = helper.clone();
            match have.constraints.get(&helper) {
                Some(h) if h.same_definition(&staged) => {
                    if h.not_valid {
                        out.push(Change::ValidateConstraint {
                            table: table.clone(),
                            constraint: staged,
                        });
                    }
                }
                found => {
                    if let Some(h) = found {
                        // An earlier replacement that is not wanted any more.
                        out.push(Change::DropConstraint {
                            table: table.clone(),
                            constraint: h.clone(),
                            replaced: true,
                        });
                    }
                    add_validated_later(table, staged, out);
                }
            }
            out.push(Change::SwapConstraint {
                table: table.clone(),
                old: old.clone(),
                new: new.clone(),
                helper,
            });
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
            if gone || !validatable(new) {
                out.push(Change::AddConstraint {
                    table: table.clone(),
                    constraint: new.clone(),
                });
            } else {
                add_validated_later(table, new.clone(), out);
            }
        }
    }
    for (name, new) in &want.constraints {
        if have.constraints.contains_key(name) {
            continue;
        }
        if validatable(new) {
            add_validated_later(table, new.clone(), out);
        } else if let Some(index) = unique_index(table, new) {
            // The index is built CONCURRENTLY (unless an earlier plan did),
            // then becomes the constraint's in a short lock.
            let built = ctx
                .current
                .indexes
                .get(&index.name)
                .is_some_and(|have| same_index(have, &index));
            if !built {
                out.push(Change::CreateIndex(index));
            }
            out.push(Change::AttachUnique {
                table: table.clone(),
                constraint: new.clone(),
            });
        } else {
            out.push(Change::AddConstraint {
                table: table.clone(),
                constraint: new.clone(),
            });
        }
    }
}

/// Checks and foreign keys can be added `NOT VALID` and validated later.
fn validatable(c: &Constraint) -> bool {
    matches!(
        c.kind,
        ConstraintKind::Check { .. } | ConstraintKind::ForeignKey(_)
    )
}

/// `ADD … NOT VALID` now (a short lock, no scan), `VALIDATE` at cutover
/// (scans without blocking writes).
fn add_validated_later(table: &QualName, constraint: Constraint, out: &mut Vec<Change>) {
    let mut staged = constraint.clone();
    staged.not_valid = true;
    out.push(Change::AddConstraint {
        table: table.clone(),
        constraint: staged,
    });
    let mut validated = constraint;
    validated.not_valid = false;
    out.push(Change::ValidateConstraint {
        table: table.clone(),
        constraint: validated,
    });
}

/// `old` has the helper check's name for a column whose `SET NOT NULL` is
/// still to come: the columns diff plans what remains of it (or replaces a
/// look-alike).
fn pending_not_null(have: &Table, want: &Table, old: &Constraint) -> bool {
    want.columns.iter().any(|col| {
        !col.nullable
            && have.column(&col.name).is_some_and(|h| h.nullable)
            && old.name == helpers::not_null_check_name(&want.name, &col.name)
    })
}

/// The unique index a new unique constraint is attached from: same name,
/// plain btree keys (what `UNIQUE USING INDEX` accepts); `None` for
/// anything else.
pub(crate) fn unique_index(table: &QualName, c: &Constraint) -> Option<Index> {
    let ConstraintKind::Unique {
        columns,
        nulls_not_distinct,
        ..
    } = &c.kind
    else {
        return None;
    };
    Some(Index {
        name: QualName::new(table.schema.clone(), c.name.clone()),
        table: table.clone(),
        unique: true,
        method: "btree".into(),
        keys: columns
            .iter()
            .map(|col| IndexKey {
                target: IndexTarget::Column(col.clone()),
                collation: None,
                opclass: None,
                descending: false,
                nulls_first: false,
            })
            .collect(),
        include: vec![],
        predicate: None,
        nulls_not_distinct: *nulls_not_distinct,
        with: Default::default(),
        comment: None,
    })
}

/// Equal apart from the comment.
fn same_index(a: &Index, b: &Index) -> bool {
    Index {
        comment: None,
        ..a.clone()
    } == Index {
        comment: None,
        ..b.clone()
    }
}

/// Unique indexes of the current Catalog that a unique constraint still to
/// be attached will take over (built by an earlier plan): not dropped.
pub(super) fn attachable(ctx: &Ctx) -> BTreeSet<QualName> {
    let mut out = BTreeSet::new();
    for (name, want) in &ctx.desired.tables {
        let Some(have) = ctx.current.tables.get(name) else {
            continue;
        };
        for c in want.constraints.values() {
            if have.constraints.contains_key(&c.name) {
                continue;
            }
            if let Some(index) = unique_index(name, c)
                && ctx
                    .current
                    .indexes
                    .get(&index.name)
                    .is_some_and(|i| same_index(i, &index))
            {
                out.insert(index.name);
            }
        }
    }
    out
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
    fn changed_check_is_built_beside_and_swapped_in() {
        let changes = diff(
            &pair(false, "code <> ''"),
            &pair(false, "code <> 'x'"),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            [
                "add constraint p_code_check_trr_new not valid",
                "validate constraint p_code_check_trr_new",
                "swap constraint p_code_check from p_code_check_trr_new"
            ]
        );
        // After the expand file ran: the helper is there, not valid yet.
        let mut half = pair(false, "code <> ''");
        let p = half.tables.get_mut(&qn("core.p")).unwrap();
        let mut helper = constraint(
            "p_code_check_trr_new",
            ConstraintKind::Check {
                expr: Expr::canonical("code <> 'x'"),
                no_inherit: false,
            },
        );
        helper.not_valid = true;
        p.constraints.insert(helper.name.clone(), helper);
        assert_eq!(
            brief(&diff(&half, &pair(false, "code <> 'x'"), &core())),
            [
                "validate constraint p_code_check_trr_new",
                "swap constraint p_code_check from p_code_check_trr_new"
            ]
        );
    }

    #[test]
    fn new_checks_and_keys_on_existing_tables_resume_where_they_stand() {
        let bare = || {
            let mut c = pair(false, "code <> ''");
            let p = c.tables.get_mut(&qn("core.p")).unwrap();
            p.constraints.clear();
            c
        };
        let desired = pair(false, "code <> ''");
        assert_eq!(
            brief(&diff(&bare(), &desired, &core())),
            [
                "add constraint p_code_check not valid",
                "validate constraint p_code_check",
                "create index core.p_code_key",
                "attach unique p_code_key"
            ]
        );
        // Expand ran: the check is there NOT VALID, the index is built.
        let mut half = bare();
        let mut check = desired.tables[&qn("core.p")].constraints[&id("p_code_check")].clone();
        check.not_valid = true;
        half.tables
            .get_mut(&qn("core.p"))
            .unwrap()
            .constraints
            .insert(check.name.clone(), check);
        let mut built = index("p_code_key", "core.p", &["code"]);
        built.unique = true;
        half.indexes.insert(built.name.clone(), built);
        assert_eq!(
            brief(&diff(&half, &desired, &core())),
            [
                "validate constraint p_code_check",
                "attach unique p_code_key"
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
                "add constraint c_p_code_fkey not valid",
                "validate constraint c_p_code_fkey",
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
