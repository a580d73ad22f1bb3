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
