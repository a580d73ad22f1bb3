//! Comments on schemas, enums, tables, columns and indexes: set, changed or
//! cleared. Objects that are created (or recreated) start without one;
//! dropped objects take theirs with them.

use super::{Change, Ctx, Fresh};
use schema::{Catalog, CommentTarget, QualName};
use std::collections::BTreeSet;

fn targets(catalog: &Catalog, into: &mut BTreeSet<CommentTarget>) {
    for name in catalog.schemas.keys() {
        into.insert(CommentTarget::Schema {
            schema: name.clone(),
        });
    }
    for name in catalog.enums.keys() {
        into.insert(CommentTarget::Enum { name: name.clone() });
    }
    for (name, table) in &catalog.tables {
        into.insert(CommentTarget::Table {
            table: name.clone(),
        });
        for column in &table.columns {
            into.insert(CommentTarget::Column {
                table: name.clone(),
                column: column.name.clone(),
            });
        }
    }
    for name in catalog.indexes.keys() {
        into.insert(CommentTarget::Index {
            index: name.clone(),
        });
    }
}

pub(super) fn diff(
    ctx: &Ctx,
    recreated_enums: &BTreeSet<QualName>,
    fresh: &Fresh,
    out: &mut Vec<Change>,
) {
    let mut all = BTreeSet::new();
    targets(&ctx.current, &mut all);
    targets(&ctx.desired, &mut all);
    for target in all {
        let exists_after = match &target {
            CommentTarget::Schema { schema } => ctx.desired.schemas.contains_key(schema),
            CommentTarget::Enum { name } => ctx.desired.enums.contains_key(name),
            CommentTarget::Table { table } => ctx.desired.tables.contains_key(table),
            CommentTarget::Column { table, column } => ctx
                .desired
                .tables
                .get(table)
                .is_some_and(|t| t.column(column).is_some()),
            CommentTarget::Index { index } => ctx.desired.indexes.contains_key(index),
        };
        if !exists_after {
            continue;
        }
        let recreated = match &target {
            CommentTarget::Enum { name } => recreated_enums.contains(name),
            CommentTarget::Column { table, column } => {
                fresh.columns.contains(&(table.clone(), column.clone()))
            }
            CommentTarget::Index { index } => {
                fresh.indexes.contains(index)
                    || ctx
                        .current
                        .indexes
                        .get(index)
                        .zip(ctx.desired.indexes.get(index))
                        .is_some_and(|(a, b)| {
                            schema::Index {
                                comment: None,
                                ..a.clone()
                            } != schema::Index {
                                comment: None,
                                ..b.clone()
                            }
                        })
            }
            _ => false,
        };
        let from = if recreated {
            None
        } else {
            ctx.current.comment(&target).cloned()
        };
        let to = ctx.desired.comment(&target).cloned();
        if from != to {
            out.push(Change::SetComment { target, from, to });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Change, diff, test_support::*};
    use schema::CommentTarget;

    #[test]
    fn set_changed_cleared_and_not_for_dropped_objects() {
        let mut current = catalog(
            &["core"],
            vec![table("core.t", &[("a", "text")]), table("core.gone", &[])],
        );
        current.tables.get_mut(&qn("core.t")).unwrap().comment = Some("old".into());
        current.tables.get_mut(&qn("core.gone")).unwrap().comment = Some("bye".into());
        let mut desired = catalog(
            &["core"],
            vec![table("core.t", &[("a", "text")]), table("core.new", &[])],
        );
        desired.tables.get_mut(&qn("core.t")).unwrap().columns[0].comment = Some("it's a".into());
        desired.tables.get_mut(&qn("core.new")).unwrap().comment = Some("fresh".into());
        let comments: Vec<_> = diff(&current, &desired, &core())
            .into_iter()
            .filter_map(|c| match c {
                Change::SetComment { target, from, to } => Some((target, from, to)),
                _ => None,
            })
            .collect();
        assert_eq!(
            comments,
            [
                (
                    CommentTarget::Table {
                        table: qn("core.new")
                    },
                    None,
                    Some("fresh".into())
                ),
                (
                    CommentTarget::Table {
                        table: qn("core.t")
                    },
                    Some("old".into()),
                    None
                ),
                (
                    CommentTarget::Column {
                        table: qn("core.t"),
                        column: id("a")
                    },
                    None,
                    Some("it's a".into())
                ),
            ]
        );
    }
}
