//! Columns of a table that exists on both sides.
//!
//! Changes to one column are emitted in the order PostgreSQL needs them
//! (identity off before a default goes on, NOT NULL before identity), and
//! the plan keeps that order for changes on the same column.

use super::{Change, Ctx, Fresh};
use schema::{Column, Table};

pub(super) fn diff(
    ctx: &Ctx,
    have: &Table,
    want: &Table,
    fresh: &mut Fresh,
    out: &mut Vec<Change>,
) {
    let table = &want.name;
    for column in &want.columns {
        let Some(old) = have.column(&column.name) else {
            out.push(Change::AddColumn {
                table: table.clone(),
                column: column.clone(),
            });
            continue;
        };
        let mut old = old.clone();
        if old.generated.is_some() && column.generated.is_none() {
            out.push(Change::DropGenerated {
                table: table.clone(),
                column: old.clone(),
                from: old.generated.take().expect("checked"),
            });
        }
        if column.generated.is_some() && column.generated != old.generated {
            out.push(Change::RecreateColumn {
                table: table.clone(),
                from: old.clone(),
                to: column.clone(),
                destroys_data: old.generated.is_none(),
            });
            fresh.columns.insert((table.clone(), column.name.clone()));
            for index in ctx.current.indexes_on(table) {
                if super::indexes::mentions(index, &column.name) {
                    fresh.indexes.insert(index.name.clone());
                }
            }
            continue;
        }
        alter(table, &old, column, out);
    }
    for column in &have.columns {
        if want.column(&column.name).is_none() {
            out.push(Change::DropColumn {
                table: table.clone(),
                column: column.clone(),
            });
        }
    }
}

fn alter(table: &schema::QualName, old: &Column, new: &Column, out: &mut Vec<Change>) {
    let col = || new.name.clone();
    let t = || table.clone();
    if let (Some(from), None) = (old.identity, new.identity) {
        out.push(Change::DropIdentity {
            table: t(),
            column: col(),
            identity: from,
        });
    }
    if let (Some(from), None) = (&old.default, &new.default) {
        out.push(Change::DropDefault {
            table: t(),
            column: col(),
            from: from.clone(),
        });
    }
    if old.ty != new.ty {
        out.push(Change::AlterColumnType {
            table: t(),
            column: col(),
            from: old.ty.clone(),
            to: new.ty.clone(),
        });
    }
    if old.nullable && !new.nullable {
        out.push(Change::SetNotNull {
            table: t(),
            column: col(),
        });
    }
    if !old.nullable && new.nullable {
        out.push(Change::DropNotNull {
            table: t(),
            column: col(),
        });
    }
    if let Some(to) = &new.default
        && old.default.as_ref() != Some(to)
    {
        out.push(Change::SetDefault {
            table: t(),
            column: col(),
            from: old.default.clone(),
            to: to.clone(),
        });
    }
    match (old.identity, new.identity) {
        (None, Some(identity)) => out.push(Change::AddIdentity {
            table: t(),
            column: col(),
            identity,
        }),
        (Some(from), Some(to)) if from != to => out.push(Change::SetIdentity {
            table: t(),
            column: col(),
            from,
            to,
        }),
        _ => {}
    }
}
