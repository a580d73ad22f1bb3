//! Explicit indexes (constraint-backed ones belong to their constraint).
//! A changed index is built again `CONCURRENTLY` under a helper name and
//! swapped in at cutover (old one dropped, helper renamed); one half-built
//! by an earlier plan is recognized. Indexes of dropped tables go with the
//! table.

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
    // Helpers of replacements in progress, and unique indexes that a
    // unique constraint will take over: kept, not dropped.
    let mut kept = super::constraints::attachable(ctx);
    for (name, want) in &ctx.desired.indexes {
        match ctx.current.indexes.get(name) {
            // New, or dropped along with a recreated column.
            None => out.push(Change::CreateIndex(want.clone())),
            Some(_) if fresh.indexes.contains(name) => out.push(Change::CreateIndex(want.clone())),
            Some(have) if !same(have, want) => {
                // Built CONCURRENTLY beside the old one, swapped in at
                // cutover: the table is never without the index.
                let helper = super::helpers::replacement_index(name);
                let staged = Index {
                    name: helper.clone(),
                    comment: None,
                    ..want.clone()
                };
                match ctx.current.indexes.get(&helper) {
                    Some(built) if same(built, &staged) => {}
                    found => {
                        if let Some(built) = found {
                            // An earlier replacement that is not wanted any more.
                            out.push(Change::DropIndex {
                                index: built.clone(),
                                replaced: true,
                            });
                        }
                        out.push(Change::CreateIndex(staged));
                    }
                }
                kept.insert(helper.clone());
                out.push(Change::SwapIndex {
                    old: have.clone(),
                    new: want.clone(),
                    helper,
                });
            }
            Some(_) => {}
        }
    }
    for (name, have) in &ctx.current.indexes {
        let table_dropped = !ctx.desired.tables.contains_key(&have.table);
        if !ctx.desired.indexes.contains_key(name)
            && !table_dropped
            && !fresh.indexes.contains(name)
            && !kept.contains(name)
        {
            out.push(Change::DropIndex {
                index: have.clone(),
                replaced: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::{Catalog, Expr};

    fn with(tables: bool, indexes: Vec<schema::Index>) -> Catalog {
        let mut c = catalog(
            &["core"],
            if tables {
                vec![table("core.t", &[("a", "integer"), ("b", "integer")])]
            } else {
                vec![]
            },
        );
        for i in indexes {
            c.indexes.insert(i.name.clone(), i);
        }
        c
    }

    #[test]
    fn created_changed_dropped() {
        let a = index("t_a", "core.t", &["a"]);
        let mut a2 = a.clone();
        a2.predicate = Some(Expr::canonical("a > 0"));
        let b = index("t_b", "core.t", &["b"]);
        let changes = diff(
            &with(true, vec![a, b]),
            &with(true, vec![a2, index("t_ab", "core.t", &["a", "b"])]),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            [
                "create index core.t_a_trr_new",
                "swap index core.t_a from core.t_a_trr_new",
                "create index core.t_ab",
                "drop index core.t_b replaced=false"
            ]
        );
    }

    #[test]
    fn a_replacement_built_by_an_earlier_plan_is_swapped_in() {
        let a = index("t_a", "core.t", &["a"]);
        let mut a2 = a.clone();
        a2.predicate = Some(Expr::canonical("a > 0"));
        let mut built = a2.clone();
        built.name = qn("core.t_a_trr_new");
        let changes = diff(
            &with(true, vec![a.clone(), built.clone()]),
            &with(true, vec![a2.clone()]),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            ["swap index core.t_a from core.t_a_trr_new"]
        );
        // A helper of another definition is dropped and built again.
        let mut stale = a.clone();
        stale.name = qn("core.t_a_trr_new");
        let changes = diff(&with(true, vec![a, stale]), &with(true, vec![a2]), &core());
        assert_eq!(
            brief(&changes),
            [
                "drop index core.t_a_trr_new replaced=true",
                "create index core.t_a_trr_new",
                "swap index core.t_a from core.t_a_trr_new"
            ]
        );
    }

    #[test]
    fn comment_only_is_not_a_rebuild_and_dropped_tables_take_their_indexes() {
        let a = index("t_a", "core.t", &["a"]);
        let mut commented = a.clone();
        commented.comment = Some("x".into());
        let changes = diff(
            &with(true, vec![a.clone()]),
            &with(true, vec![commented]),
            &core(),
        );
        assert_eq!(changes.len(), 1);
        assert!(brief(&changes)[0].starts_with("comment Index"));
        assert_eq!(
            brief(&diff(&with(true, vec![a]), &with(false, vec![]), &core())),
            ["drop table core.t"]
        );
    }
}
