//! Views and materialized views.

use super::dependents::Forced;
use super::{Change, Ctx, RoutineComment};
use schema::{QualName, View};
use sqlparser::ast::{self, SelectItem, SetExpr};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    Create,
    /// `CREATE OR REPLACE VIEW` (options go with it).
    Replace,
    Recreate,
    /// Only `ALTER VIEW … SET/RESET` options (and maybe the comment).
    Options,
    Drop,
    Keep,
}

/// What happens to every view in either Catalog, before dependencies
/// force more recreations (see [`super::dependents`]).
pub(crate) fn classify(ctx: &Ctx) -> BTreeMap<QualName, Fate> {
    let mut out = BTreeMap::new();
    for (name, want) in &ctx.desired.views {
        let fate = match ctx.current.views.get(name) {
            None => Fate::Create,
            Some(have) => {
                if have.materialized != want.materialized {
                    Fate::Recreate
                } else if shape(have) == shape(want) || same_query(have, want) {
                    if options(have) == options(want) {
                        Fate::Keep
                    } else if want.materialized {
                        Fate::Recreate
                    } else {
                        Fate::Options
                    }
                } else if !want.materialized && appends_columns(have, want) {
                    Fate::Replace
                } else {
                    Fate::Recreate
                }
            }
        };
        out.insert(name.clone(), fate);
    }
    for name in ctx.current.views.keys() {
        out.entry(name.clone()).or_insert(Fate::Drop);
    }
    out
}

/// The query with its column list folded in as output aliases (replay
/// reads `CREATE VIEW v (a, b) AS SELECT x, y` as `SELECT x AS a, y AS b`;
/// both spellings make the same view).
fn shape(v: &View) -> (schema::Query, Vec<schema::Ident>) {
    if !v.columns.is_empty()
        && let Some(named) = v.query.with_column_names(&v.columns)
    {
        return (named, Vec::new());
    }
    (v.query.clone(), v.columns.clone())
}

/// Same query and columns up to PostgreSQL's deparsing (options apart).
fn same_query(a: &View, b: &View) -> bool {
    let bare = |v: &View| View {
        security_invoker: false,
        security_barrier: false,
        check_option: None,
        comment: None,
        ..v.clone()
    };
    super::same_loosely(
        &super::holding(None, None, Some(&bare(a))),
        &super::holding(None, None, Some(&bare(b))),
    )
}

fn options(v: &View) -> (bool, bool, Option<schema::CheckOption>) {
    (v.security_invoker, v.security_barrier, v.check_option)
}

/// The output column names of a view, when every one is known (explicit
/// column list, or a select list of columns and aliased expressions);
/// `None` with a `*` or an unnamed expression.
fn output(view: &View) -> Option<Vec<(String, String)>> {
    let (query, columns) = shape(view);
    let view = &View {
        query,
        columns,
        ..view.clone()
    };
    let query = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(view.query.sql())
        .and_then(|mut p| p.parse_query())
        .ok()?;
    let SetExpr::Select(select) = query.body.as_ref() else {
        return None;
    };
    let items: Vec<(String, String)> = select
        .projection
        .iter()
        .map(|item| match item {
            SelectItem::UnnamedExpr(e @ ast::Expr::Identifier(id)) => {
                Some((id.value.clone(), e.to_string()))
            }
            SelectItem::UnnamedExpr(e @ ast::Expr::CompoundIdentifier(ids)) => {
                Some((ids.last()?.value.clone(), e.to_string()))
            }
            SelectItem::ExprWithAlias { expr, alias } => {
                Some((alias.value.clone(), expr.to_string()))
            }
            _ => None,
        })
        .collect::<Option<_>>()?;
    if view.columns.is_empty() {
        return Some(items);
    }
    if view.columns.len() != items.len() {
        return None;
    }
    Some(
        view.columns
            .iter()
            .zip(items)
            .map(|(c, (_, e))| (c.as_str().to_string(), e))
            .collect(),
    )
}

/// The new select list starts with the old one, item for item (same names,
/// same expressions, so the same types): PostgreSQL accepts `CREATE OR
/// REPLACE VIEW` for that and nothing else (and it keeps the rest of the
/// query free to change: joins, filters).
fn appends_columns(from: &View, to: &View) -> bool {
    match (output(from), output(to)) {
        (Some(a), Some(b)) => b.len() >= a.len() && b[..a.len()] == a[..],
        _ => false,
    }
}

pub(super) fn diff(
    ctx: &Ctx,
    fates: &BTreeMap<QualName, Fate>,
    forced: &Forced,
    out: &mut Vec<Change>,
) {
    for (name, fate) in fates {
        let have = ctx.current.views.get(name);
        let want = ctx.desired.views.get(name);
        let fate = match fate {
            Fate::Keep | Fate::Options | Fate::Replace if forced.views.contains(name) => {
                Fate::Recreate
            }
            f => *f,
        };
        match (fate, have, want) {
            (Fate::Create, _, Some(want)) => out.push(Change::CreateView(want.clone())),
            (Fate::Replace, Some(have), Some(want)) => {
                out.push(Change::ReplaceView {
                    from: have.clone(),
                    to: want.clone(),
                });
                comment(have, want, out);
            }
            (Fate::Recreate, Some(have), Some(want)) => {
                out.push(Change::DropView {
                    view: have.clone(),
                    replaced: true,
                });
                out.push(Change::CreateView(want.clone()));
            }
            (Fate::Options, Some(have), Some(want)) => {
                out.push(Change::AlterViewOptions {
                    from: have.clone(),
                    to: want.clone(),
                });
                comment(have, want, out);
            }
            (Fate::Drop, Some(have), _) => out.push(Change::DropView {
                view: have.clone(),
                replaced: false,
            }),
            (Fate::Keep, Some(have), Some(want)) => comment(have, want, out),
            _ => {}
        }
    }
}

fn comment(have: &View, want: &View, out: &mut Vec<Change>) {
    if have.comment != want.comment {
        out.push(Change::SetRoutineComment {
            target: RoutineComment::View {
                name: want.name.clone(),
                materialized: want.materialized,
            },
            from: have.comment.clone(),
            to: want.comment.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};

    #[test]
    fn appended_columns_replace_anything_else_recreates() {
        let t = table("core.t", &[("a", "integer"), ("b", "integer")]);
        let v1 = view("core.v", "select a from core.t");
        let v2 = view("core.v", "select a, b as bee from core.t where a > 0");
        let v3 = view("core.v", "select b from core.t");
        let mut v4 = v1.clone();
        v4.security_invoker = true;
        let d = |from: &schema::View, to: &schema::View| {
            brief(&diff(
                &with_views(vec![t.clone()], vec![from.clone()]),
                &with_views(vec![t.clone()], vec![to.clone()]),
                &core(),
            ))
        };
        assert_eq!(d(&v1, &v2), ["replace view core.v"]);
        assert_eq!(
            d(&v2, &v1),
            ["drop view core.v replaced=true", "create view core.v"]
        );
        assert_eq!(
            d(&v1, &v3),
            ["drop view core.v replaced=true", "create view core.v"]
        );
        assert_eq!(d(&v1, &v4), ["view options core.v"]);
        let mut m1 = v1.clone();
        m1.materialized = true;
        let mut m2 = v2.clone();
        m2.materialized = true;
        assert_eq!(
            d(&m1, &m2),
            ["drop view core.v replaced=true", "create view core.v"]
        );
    }

    #[test]
    fn a_column_list_and_output_aliases_are_the_same_view() {
        let t = table("core.t", &[("a", "integer"), ("b", "integer")]);
        let mut listed = view("core.v", "select a, avg(b) from core.t group by a");
        listed.columns = vec![id("k"), id("average")];
        let aliased = view(
            "core.v",
            "select a as k, avg(b) as average from core.t group by a",
        );
        let c = with_views(vec![t.clone()], vec![aliased]);
        let d = with_views(vec![t], vec![listed]);
        assert!(diff(&c, &d, &core()).is_empty());
        assert!(diff(&d, &c, &core()).is_empty());
    }
}
