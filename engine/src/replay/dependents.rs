//! What depends on a table or column, as PostgreSQL records it: views
//! through their queries, policies through their expressions, triggers
//! through `UPDATE OF` and `WHEN`. Used by `DROP TABLE/COLUMN` (refuse
//! without CASCADE, drop with it) and renames (rewrite the names).
//!
//! Queries are matched by name, not resolved: an identifier equal to the
//! column counts as a use when the query reads the table, which can
//! over-approximate when two tables of a query share a column name.

use super::Replay;
use schema::{Expr, Ident, QualName, Query};
use sqlparser::ast::{self, Visit, VisitMut, VisitorMut};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::BTreeSet;
use std::ops::ControlFlow;

fn parse_query(q: &Query) -> Option<ast::Query> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(q.sql())
        .and_then(|mut p| p.parse_query())
        .ok()
        .map(|q| *q)
}

fn parse_expr(e: &Expr) -> Option<ast::Expr> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(e.sql())
        .and_then(|mut p| p.parse_expr())
        .ok()
}

/// Relations a query (or expression, through subqueries) reads;
/// unqualified names are in `public`.
fn relations<V: Visit>(node: &V) -> BTreeSet<QualName> {
    let mut out = BTreeSet::new();
    let _ = ast::visit_relations(node, |n| {
        if let Some(q) = QualName::from_ast(n) {
            out.insert(q);
        }
        ControlFlow::<()>::Continue(())
    });
    out
}

/// Identifiers used as column names: bare ones and the last part of
/// qualified ones; `*` counts as every column.
fn identifiers<V: Visit + std::fmt::Debug>(node: &V) -> (BTreeSet<Ident>, bool) {
    let mut out = BTreeSet::new();
    let _ = ast::visit_expressions(node, |e| {
        match e {
            ast::Expr::Identifier(id) => {
                out.insert(Ident::from_ast(id));
            }
            ast::Expr::CompoundIdentifier(ids) => {
                if let Some(last) = ids.last() {
                    out.insert(Ident::from_ast(last));
                }
            }
            _ => {}
        }
        ControlFlow::<()>::Continue(())
    });
    // A `*` in the text: PostgreSQL expanded it to every column then.
    let star = format!("{node:?}").contains("Wildcard");
    (out, star)
}

/// Whether a view's query reads `table`.
pub(super) fn query_reads(q: &Query, table: &QualName) -> bool {
    parse_query(q).is_some_and(|ast| relations(&ast).contains(table))
}

/// Whether a view's query uses `column` of `table`.
pub(super) fn query_uses_column(q: &Query, table: &QualName, column: &Ident) -> bool {
    let Some(ast) = parse_query(q) else {
        return false;
    };
    if !relations(&ast).contains(table) {
        return false;
    }
    let (ids, star) = identifiers(&ast);
    star || ids.contains(column)
}

/// Whether a policy or trigger expression on the table uses `column`
/// (`new.col` and `old.col` included).
pub(super) fn expr_uses_column(e: &Expr, column: &Ident) -> bool {
    parse_expr(e).is_some_and(|ast| identifiers(&ast).0.contains(column))
}

/// Views reading any of `tables` or of the views found, transitively, in
/// the order they must be dropped (dependents first).
pub(super) fn views_reading(r: &Replay, tables: &[QualName]) -> Vec<QualName> {
    let mut found: Vec<QualName> = Vec::new();
    let mut frontier: Vec<QualName> = tables.to_vec();
    while let Some(t) = frontier.pop() {
        for v in r.catalog.views.values() {
            if !found.contains(&v.name) && !tables.contains(&v.name) && query_reads(&v.query, &t) {
                found.push(v.name.clone());
                frontier.push(v.name.clone());
            }
        }
    }
    found.reverse();
    found
}

/// Rewrites identifiers naming `from` to `to` in a query that reads
/// `table`; an output column keeps its name (`b AS a`), as PostgreSQL's
/// deparsed view shows after a rename.
pub(super) fn rename_column_in_query(
    q: &Query,
    table: &QualName,
    from: &Ident,
    to: &Ident,
) -> Query {
    let Some(mut ast) = parse_query(q) else {
        return q.clone();
    };
    if !relations(&ast).contains(table) {
        return q.clone();
    }
    // Unaliased output columns first, so they keep their name.
    if let ast::SetExpr::Select(select) = ast.body.as_mut() {
        for item in &mut select.projection {
            if let ast::SelectItem::UnnamedExpr(e) = item {
                let named = match e {
                    ast::Expr::Identifier(id) => Some(Ident::from_ast(id)),
                    ast::Expr::CompoundIdentifier(ids) => ids.last().map(Ident::from_ast),
                    _ => None,
                };
                if named.as_ref() == Some(from) {
                    *item = ast::SelectItem::ExprWithAlias {
                        expr: e.clone(),
                        alias: spelled(from),
                    };
                }
            }
        }
    }
    let _ = VisitMut::visit(&mut ast, &mut RenameColumn(from, to));
    Query::from_ast(ast)
}

/// Rewrites `from` to `to` in an expression (`new.from` included).
pub(super) fn rename_column_in_expr(e: &Expr, from: &Ident, to: &Ident) -> Expr {
    let Some(mut ast) = parse_expr(e) else {
        return e.clone();
    };
    let _ = VisitMut::visit(&mut ast, &mut RenameColumn(from, to));
    Expr::from_ast(ast)
}

struct RenameColumn<'a>(&'a Ident, &'a Ident);

impl VisitorMut for RenameColumn<'_> {
    type Break = ();
    fn post_visit_expr(&mut self, e: &mut ast::Expr) -> ControlFlow<()> {
        match e {
            ast::Expr::Identifier(id) if &Ident::from_ast(id) == self.0 => {
                *id = ast::Ident::with_quote('"', self.1.as_str());
            }
            ast::Expr::CompoundIdentifier(ids) => {
                if let Some(last) = ids.last_mut()
                    && &Ident::from_ast(last) == self.0
                {
                    *last = ast::Ident::with_quote('"', self.1.as_str());
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// Rewrites references to the relation `from` as `to` (qualified), in a
/// query or an expression's subqueries.
pub(super) fn rename_relation_in_query(q: &Query, from: &QualName, to: &QualName) -> Query {
    let Some(mut ast) = parse_query(q) else {
        return q.clone();
    };
    if !relations(&ast).contains(from) {
        return q.clone();
    }
    let _ = ast::visit_relations_mut(&mut ast, |n| {
        rename_object(n, from, to);
        ControlFlow::<()>::Continue(())
    });
    Query::from_ast(ast)
}

pub(super) fn rename_relation_in_expr(e: &Expr, from: &QualName, to: &QualName) -> Expr {
    let Some(mut ast) = parse_expr(e) else {
        return e.clone();
    };
    if !relations(&ast).contains(from) {
        return e.clone();
    }
    let _ = ast::visit_relations_mut(&mut ast, |n| {
        rename_object(n, from, to);
        ControlFlow::<()>::Continue(())
    });
    Expr::from_ast(ast)
}

fn rename_object(n: &mut ast::ObjectName, from: &QualName, to: &QualName) {
    if QualName::from_ast(n).as_ref() == Some(from) {
        let unqualified = n.0.len() == 1 && to.schema.as_str() == schema::ident::DEFAULT_SCHEMA;
        let mut parts = vec![spelled(&to.name)];
        if !unqualified {
            parts.insert(0, spelled(&to.schema));
        }
        *n = ast::ObjectName::from(parts);
    }
}

/// A name spelled as the canonical forms spell it: quoted only when needed.
fn spelled(name: &Ident) -> ast::Ident {
    if schema::ident::quote_ident(name.as_str()).starts_with('"') {
        ast::Ident::with_quote('"', name.as_str())
    } else {
        ast::Ident::new(name.as_str())
    }
}
