//! Explicit indexes (constraint-backed ones belong to their constraint).
//! A changed index is dropped and created again; indexes of dropped tables
//! go with the table.

use super::{Change, Ctx, Fresh};
use schema::{Ident, Index, IndexTarget};

/// Columns an index depends on: plain keys, columns inside expression keys
/// and the predicate, and `INCLUDE` columns.
pub(crate) fn columns(index: &Index) -> Vec<Ident> {
    let mut found = Vec::new();
    for key in &index.keys {
        match &key.target {
            IndexTarget::Column(c) => found.push(c.clone()),
            IndexTarget::Expression(e) => found.extend(e.columns()),
        }
    }
    found.extend(index.include.iter().cloned());
    if let Some(p) = &index.predicate {
        found.extend(p.columns());
    }
    found.sort();
    found.dedup();
    found
}

pub(crate) fn mentions(index: &Index, column: &Ident) -> bool {
    columns(index).contains(column)
}

/// Equal apart from the comment (compared on its own).
fn same(a: &Index, b: &Index) -> bool {
    Index {
        comment: None,
        ..a.clone()
    } == Index {
        comment: None,
        ..b.clone()
    }
}

pub(super) fn diff(ctx: &Ctx, fresh: &Fresh, out: &mut Vec<Change>) {
    for (name, want) in &ctx.desired.indexes {
        match ctx.current.indexes.get(name) {
            None => out.push(Change::CreateIndex(want.clone())),
            Some(have) if fresh.indexes.contains(name) => {
                let _ = have;
                out.push(Change::CreateIndex(want.clone()));
            }
            Some(have) if !same(have, want) => {
                out.push(Change::DropIndex {
                    index: have.clone(),
                    replaced: true,
                });
                out.push(Change::CreateIndex(want.clone()));
            }
            Some(_) => {}
        }
    }
    for (name, have) in &ctx.current.indexes {
        let table_dropped = !ctx.desired.tables.contains_key(&have.table);
        if !ctx.desired.indexes.contains_key(name)
            && !table_dropped
            && !fresh.indexes.contains(name)
        {
            out.push(Change::DropIndex {
                index: have.clone(),
                replaced: false,
            });
        }
    }
}
