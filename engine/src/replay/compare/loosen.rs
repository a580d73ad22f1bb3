//! Loosening: what PostgreSQL's spelling adds (casts, column qualifiers,
//! output aliases) taken out before comparing, and the offline spelling
//! kept where both sides agree once loosened.

use schema::{
    Catalog, Column, Constraint, ConstraintKind, Expr, Function, Index, IndexTarget, Policy, Query,
    Trigger, View,
};
use sqlparser::ast::{self, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::BTreeMap;
use std::ops::ControlFlow;

/// `shadow` with each column, constraint and index that the offline replay
/// has too, equal but for literal casts, taken from `offline`: what a
/// checkpoint stores, so that a plan from it compares the user's own
/// spelling with the KDL's (as a plan from the offline replay would) and
/// only objects the offline replay got wrong take PostgreSQL's.
pub fn prefer_offline_spelling(shadow: &Catalog, offline: &Catalog) -> Catalog {
    let mut out = shadow.clone();
    for (name, table) in &mut out.tables {
        let Some(theirs) = offline.tables.get(name) else {
            continue;
        };
        for column in &mut table.columns {
            if let Some(c) = theirs.column(&column.name)
                && loose_column(c) == loose_column(column)
            {
                *column = c.clone();
            }
        }
        for (cname, constraint) in &mut table.constraints {
            if let Some(c) = theirs.constraints.get(cname)
                && loose_constraint(c) == loose_constraint(constraint)
            {
                *constraint = c.clone();
            }
        }
    }
    for (name, index) in &mut out.indexes {
        if let Some(i) = offline.indexes.get(name)
            && loose_index(i) == loose_index(index)
        {
            *index = i.clone();
        }
    }
    prefer(&mut out.views, &offline.views, loose_view);
    prefer(&mut out.functions, &offline.functions, loose_function);
    prefer(&mut out.policies, &offline.policies, loose_policy);
    prefer(&mut out.triggers, &offline.triggers, loose_trigger);
    out
}

/// Takes `offline`'s object wherever it equals `shadow`'s once loosened.
pub(super) fn prefer<K: Ord, V: Clone + PartialEq>(
    shadow: &mut BTreeMap<K, V>,
    offline: &BTreeMap<K, V>,
    loose: impl Fn(&V) -> V,
) {
    for (key, value) in shadow.iter_mut() {
        if let Some(theirs) = offline.get(key)
            && loose(theirs) == loose(value)
        {
            *value = theirs.clone();
        }
    }
}

/// Every expression of `catalog` without casts (see `loose_expr`).
pub fn loosen(catalog: &Catalog) -> Catalog {
    let mut out = catalog.clone();
    for table in out.tables.values_mut() {
        for column in &mut table.columns {
            *column = loose_column(column);
        }
        for constraint in table.constraints.values_mut() {
            *constraint = loose_constraint(constraint);
        }
    }
    for index in out.indexes.values_mut() {
        *index = loose_index(index);
    }
    for view in out.views.values_mut() {
        *view = loose_view(view);
    }
    for function in out.functions.values_mut() {
        *function = loose_function(function);
    }
    for policy in out.policies.values_mut() {
        *policy = loose_policy(policy);
    }
    for trigger in out.triggers.values_mut() {
        *trigger = loose_trigger(trigger);
    }
    out
}

pub(super) fn loose_policy(p: &Policy) -> Policy {
    let mut p = p.clone();
    p.using = p.using.as_ref().map(loose_expr);
    p.check = p.check.as_ref().map(loose_expr);
    p
}

pub(super) fn loose_trigger(t: &Trigger) -> Trigger {
    let mut t = t.clone();
    t.when = t.when.as_ref().map(loose_expr);
    t
}

pub(super) fn loose_function(f: &Function) -> Function {
    let mut f = f.clone();
    for arg in &mut f.args {
        arg.default = arg.default.as_ref().map(loose_expr);
    }
    f
}

/// The view with its column list moved into the query (as output aliases)
/// and the query loosened like an expression.
pub(super) fn loose_view(v: &View) -> View {
    let mut v = v.clone();
    v.fold_columns();
    v.query = loose_query(&v.query);
    v
}

/// `query` with every expression in it loosened as [`loose_expr`] does.
pub(super) fn loose_query(query: &Query) -> Query {
    let Ok(mut parsed) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(query.sql())
        .and_then(|mut p| p.parse_query())
    else {
        return query.clone();
    };
    let _ = ast::visit_expressions_mut(&mut parsed, |e| {
        loosen_node(e);
        ControlFlow::<()>::Continue(())
    });
    let text = parsed.to_string();
    Query::parse(&text).unwrap_or_else(|_| Query::canonical(text))
}

pub(super) fn loose_column(c: &Column) -> Column {
    let mut c = c.clone();
    c.default = c.default.as_ref().map(loose_expr);
    c.generated = c.generated.as_ref().map(loose_expr);
    c
}

pub(super) fn loose_constraint(c: &Constraint) -> Constraint {
    let mut c = c.clone();
    if let ConstraintKind::Check { expr, .. } = &mut c.kind {
        *expr = loose_expr(expr);
    }
    c
}

pub(super) fn loose_index(i: &Index) -> Index {
    let mut i = i.clone();
    i.predicate = i.predicate.as_ref().map(loose_expr);
    for key in &mut i.keys {
        if let IndexTarget::Expression(e) = &mut key.target {
            *e = loose_expr(e);
        }
    }
    i
}

/// `expr` without casts (`'x'::text` → `'x'`, `price * quantity::numeric`
/// → `price * quantity`), with numeric string literals as numbers (`'-1'`
/// → `-1`), column references unqualified (`memberships.org_id` →
/// `org_id`, as PostgreSQL qualifies them inside subqueries), and with
/// `IN`/`BETWEEN` spelled as PostgreSQL stores them:
/// PostgreSQL makes every implicit coercion explicit and prints a literal's
/// resolved type, so casts say nothing about whether the offline replay
/// followed the migrations (a changed column type is reported on the
/// column). An expression our parser cannot read is kept.
pub(super) fn loose_expr(expr: &Expr) -> Expr {
    let Ok(mut parsed) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(expr.sql())
        .and_then(|mut p| p.parse_expr())
    else {
        return expr.clone();
    };
    let _ = ast::visit_expressions_mut(&mut parsed, |e| {
        loosen_node(e);
        ControlFlow::<()>::Continue(())
    });
    // Parse again so parentheses left around a former cast's operand go.
    let text = parsed.to_string();
    Expr::parse(&text).unwrap_or_else(|_| Expr::canonical(text))
}

/// One node of [`loose_expr`]: cast removed, `IN`/`BETWEEN` rewritten,
/// numeric string made a number, column qualifier dropped.
pub(super) fn loosen_node(e: &mut ast::Expr) {
    if let ast::Expr::Cast { expr: inner, .. } = e {
        *e = std::mem::replace(inner.as_mut(), ast::Expr::value(Value::Null));
    }
    if let Some(rewritten) = as_postgres_prints(e) {
        *e = rewritten;
    }
    if let ast::Expr::Value(v) = e
        && let Value::SingleQuotedString(text) = &v.value
        && is_number(text)
    {
        v.value = Value::Number(text.clone(), false);
    }
    // `shows.id` → `id`, but `old.id` and `new.id` (trigger conditions)
    // name different rows.
    if let ast::Expr::CompoundIdentifier(ids) = e
        && ids.len() == 2
        && !["old", "new"].contains(&ids[0].value.to_lowercase().as_str())
    {
        *e = ast::Expr::Identifier(ids[1].clone());
    }
}

/// `IN (…)` and `BETWEEN` the way PostgreSQL stores them: `= ANY
/// (ARRAY[…])` / `<> ALL (ARRAY[…])`, and two comparisons.
pub(super) fn as_postgres_prints(e: &ast::Expr) -> Option<ast::Expr> {
    use ast::{BinaryOperator as Op, Expr as E};
    let binary = |left: &E, op: Op, right: &E| E::BinaryOp {
        left: Box::new(left.clone()),
        op,
        right: Box::new(right.clone()),
    };
    match e {
        E::In {
            expr,
            target: ast::InTarget::List(list),
            negated,
            ..
        } => {
            let array = Box::new(E::Array(ast::Array {
                elem: list.clone(),
                named: true,
            }));
            Some(if *negated {
                E::AllOp {
                    left: expr.clone(),
                    compare_op: Op::NotEq,
                    right: array,
                }
            } else {
                E::AnyOp {
                    left: expr.clone(),
                    compare_op: Op::Eq,
                    right: array,
                    is_some: false,
                }
            })
        }
        E::Between {
            expr,
            negated,
            low,
            high,
        } => Some(if *negated {
            binary(
                &binary(expr, Op::Lt, low),
                Op::Or,
                &binary(expr, Op::Gt, high),
            )
        } else {
            binary(
                &binary(expr, Op::GtEq, low),
                Op::And,
                &binary(expr, Op::LtEq, high),
            )
        }),
        _ => None,
    }
}

pub(super) fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}
