//! SQL expressions (defaults, checks, index predicates and keys) in a
//! canonical text form, so that spelling differences — case, redundant
//! parentheses, `CAST(x AS t)` vs `x::t`, type aliases — do not count as
//! changes.
//!
//! The canonical form is sqlparser's rendering of a normalized AST: unquoted
//! names folded, every `Nested` removed and then re-added exactly where an
//! operator's operand is itself an operator (so precedence is explicit and
//! `(a + b) * c` never equals `a + b * c`), and casts written `::type` with
//! the type canonicalized by [`SqlType`].
//!
//! Queries (view queries, subqueries inside expressions) are normalized the
//! same way, plus what changes no result: relation names and aliases folded,
//! table aliases without `AS`, an output alias dropped where it repeats the
//! name PostgreSQL derives anyway (`count(*) AS count`, `auth.uid() AS
//! uid`), and a subquery's output aliases dropped where it is used as an
//! expression (`(SELECT auth.uid() AS uid)`, `IN (SELECT …)`).
//!
//! Two rewrites PostgreSQL's own parser makes are made here too, so its
//! deparsed policies equal what users write: a string literal cast to
//! `text` is the bare literal (`'admin'::text` → `'admin'`: PostgreSQL
//! prints the cast exactly where the bare literal resolves to text), and
//! `x IN (constants)` is `x = ANY (ARRAY[…])` (`NOT IN`: `<> ALL`; one
//! constant: `=`). What PostgreSQL adds that may change a result — other
//! casts (`'1'::integer`, `(status)::text`), column qualification (`id` →
//! `shows.id`) — is kept: comparisons that must ignore it (offline replay
//! against PostgreSQL) do so themselves (`engine::replay::compare`).

use crate::ident::{Ident, quote_ident};
use crate::types::SqlType;
use serde::{Deserialize, Serialize};
use sqlparser::ast::{self, CastKind, DataType, ObjectName, VisitMut, VisitorMut};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use std::collections::BTreeSet;
use std::fmt;
use std::ops::ControlFlow;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Expr(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{written}` is not a valid SQL expression: {message}")]
pub struct ExprError {
    pub written: String,
    pub message: String,
    /// 1-based line and column inside `written`, when the parser knows it.
    pub position: Option<(usize, usize)>,
}

impl ExprError {
    fn from_parser(written: &str, e: sqlparser::parser::ParserError) -> ExprError {
        let message = e.to_string();
        ExprError {
            position: parse_position(&message),
            message: message
                .trim_start_matches("sql parser error: ")
                .split(" at Line:")
                .next()
                .unwrap_or_default()
                .to_string(),
            written: written.trim().to_string(),
        }
    }
}

impl Expr {
    /// Parses and normalizes an expression as written in SQL or KDL.
    pub fn parse(written: &str) -> Result<Expr, ExprError> {
        let dialect = PostgreSqlDialect {};
        let err = |e| ExprError::from_parser(written, e);
        let mut parser = Parser::new(&dialect).try_with_sql(written).map_err(err)?;
        let ast = parser.parse_expr().map_err(err)?;
        let next = parser.peek_token();
        if next.token != sqlparser::tokenizer::Token::EOF {
            return Err(ExprError {
                written: written.trim().to_string(),
                message: format!("unexpected `{}` after the expression", next.token),
                position: Some((
                    next.span.start.line as usize,
                    next.span.start.column as usize,
                )),
            });
        }
        let expr = Expr::from_ast(ast);
        if Expr::reparse(&expr.0).as_ref() != Ok(&expr) {
            return Err(unsafe_rendering(written));
        }
        Ok(expr)
    }

    /// The canonical form of `text` when it is exactly one expression.
    fn reparse(text: &str) -> Result<Expr, ParserError> {
        let mut parser = Parser::new(&PostgreSqlDialect {}).try_with_sql(text)?;
        let ast = parser.parse_expr()?;
        match parser.peek_token().token {
            sqlparser::tokenizer::Token::EOF => Ok(Expr::from_ast(ast)),
            other => Err(ParserError::ParserError(format!("unexpected {other}"))),
        }
    }

    /// Normalizes an expression that sqlparser already parsed (replay).
    pub fn from_ast(mut ast: ast::Expr) -> Expr {
        let _ = ast.visit(&mut Canonicalize);
        let _ = ast.visit(&mut Parenthesize);
        let _ = ast.visit(&mut SafeText);
        Expr(ast.to_string())
    }

    /// A text already in canonical form (deserialization, tests).
    pub fn canonical(text: impl Into<String>) -> Expr {
        Expr(text.into())
    }

    /// The canonical SQL text; valid PostgreSQL.
    pub fn sql(&self) -> &str {
        &self.0
    }

    /// `NULL`, bare or cast (`NULL::text`): as a column default, no default.
    pub fn is_null(&self) -> bool {
        if !self.0.starts_with("NULL") {
            return false;
        }
        let is_null =
            |e: &ast::Expr| matches!(e, ast::Expr::Value(v) if v.value == ast::Value::Null);
        match Parser::new(&PostgreSqlDialect {})
            .try_with_sql(&self.0)
            .and_then(|mut p| p.parse_expr())
        {
            Ok(ast::Expr::Cast { expr, .. }) => is_null(&expr),
            Ok(e) => is_null(&e),
            Err(_) => false,
        }
    }

    /// Bare column names the expression mentions, in order of first
    /// appearance (what PostgreSQL uses to name an unnamed CHECK).
    pub fn columns(&self) -> Vec<Ident> {
        let Ok(mut ast) = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(&self.0)
            .and_then(|mut p| p.parse_expr())
        else {
            return Vec::new();
        };
        let mut seen = BTreeSet::new();
        let mut found = Vec::new();
        let _ = ast::visit_expressions_mut(&mut ast, |e| {
            // `current_date`, `current_user`, … parse as bare names but are
            // SQL value functions, not columns (unless quoted).
            if let ast::Expr::Identifier(id) = e
                && !(id.quote_style.is_none()
                    && SQL_VALUE_FUNCTIONS.contains(&id.value.to_lowercase().as_str()))
            {
                let id = Ident::from_ast(id);
                if seen.insert(id.clone()) {
                    found.push(id);
                }
            }
            ControlFlow::<()>::Continue(())
        });
        found
    }
}

/// A query (a view's `SELECT`) in canonical text form, normalized as
/// [`Expr`] normalizes expressions.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Query(String);

impl Query {
    /// Parses and normalizes a query as written in SQL or KDL (a trailing
    /// `;` is allowed).
    pub fn parse(written: &str) -> Result<Query, ExprError> {
        let err = |e| ExprError::from_parser(written, e);
        let text = written.trim().trim_end_matches(';');
        let mut parser = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(text)
            .map_err(err)?;
        let ast = parser.parse_query().map_err(err)?;
        let next = parser.peek_token();
        if next.token != sqlparser::tokenizer::Token::EOF {
            return Err(ExprError {
                written: written.trim().to_string(),
                message: format!("unexpected `{}` after the query", next.token),
                position: Some((
                    next.span.start.line as usize,
                    next.span.start.column as usize,
                )),
            });
        }
        let query = Query::from_ast(*ast);
        if parse_query(&query.0).map(Query::from_ast).as_ref() != Some(&query) {
            return Err(unsafe_rendering(written));
        }
        Ok(query)
    }

    /// Normalizes a query that sqlparser already parsed (replay).
    pub fn from_ast(mut ast: ast::Query) -> Query {
        let _ = ast.visit(&mut Canonicalize);
        let _ = ast.visit(&mut Parenthesize);
        let _ = ast.visit(&mut SafeText);
        Query(ast.to_string())
    }

    /// A text already in canonical form (deserialization, tests).
    pub fn canonical(text: impl Into<String>) -> Query {
        Query(text.into())
    }

    /// The canonical SQL text; valid PostgreSQL.
    pub fn sql(&self) -> &str {
        &self.0
    }

    /// The names of the columns the query returns, as PostgreSQL names
    /// them (an alias, else the column or function name); `None` when one
    /// cannot be told without the catalog (`*`, `1 + 1`, `x::text` of a
    /// literal).
    pub fn output_names(&self) -> Option<Vec<Ident>> {
        let ast = parse_query(&self.0)?;
        let select = leftmost_select(&ast.body)?;
        select
            .projection
            .iter()
            .map(|item| match item {
                ast::SelectItem::ExprWithAlias { alias, .. } => Some(Ident::from_ast(alias)),
                ast::SelectItem::UnnamedExpr(e) => derived_name(e).map(Ident::new),
                _ => None,
            })
            .collect()
    }

    /// The query with its first output columns named `columns` (what
    /// `CREATE VIEW v (a, b) AS …` does): `None` when an output is `*`, or
    /// when there are more names than outputs.
    pub fn with_column_names(&self, columns: &[Ident]) -> Option<Query> {
        let mut ast = parse_query(&self.0)?;
        let select = leftmost_select_mut(&mut ast.body)?;
        if columns.len() > select.projection.len() {
            return None;
        }
        for (item, name) in select.projection.iter_mut().zip(columns) {
            let expr = match item {
                ast::SelectItem::ExprWithAlias { expr, .. }
                | ast::SelectItem::UnnamedExpr(expr) => expr.clone(),
                _ => return None,
            };
            *item = ast::SelectItem::ExprWithAlias {
                expr,
                alias: ast::Ident::with_quote('"', name.as_str()),
            };
        }
        Some(Query::from_ast(ast))
    }
}

fn parse_query(text: &str) -> Option<ast::Query> {
    Parser::new(&PostgreSqlDialect {})
        .try_with_sql(text)
        .and_then(|mut p| p.parse_query())
        .ok()
        .map(|q| *q)
}

/// The `SELECT` whose output names a query's result (the first of a
/// `UNION`).
fn leftmost_select(body: &ast::SetExpr) -> Option<&ast::Select> {
    match body {
        ast::SetExpr::Select(s) => Some(s),
        ast::SetExpr::Query(q) => leftmost_select(&q.body),
        ast::SetExpr::SetOperation { left, .. } => leftmost_select(left),
        _ => None,
    }
}

fn leftmost_select_mut(body: &mut ast::SetExpr) -> Option<&mut ast::Select> {
    match body {
        ast::SetExpr::Select(s) => Some(s),
        ast::SetExpr::Query(q) => leftmost_select_mut(&mut q.body),
        ast::SetExpr::SetOperation { left, .. } => leftmost_select_mut(left),
        _ => None,
    }
}

/// The name PostgreSQL gives an unaliased output column (`FigureColname`),
/// where it does not depend on types: a column's own name, a function's,
/// `case`, `exists`, `array`, a scalar subquery's first column. `None` for
/// the rest (PostgreSQL says `?column?`, or a type name).
fn derived_name(e: &ast::Expr) -> Option<String> {
    let folded = |id: &ast::Ident| Ident::from_ast(id).as_str().to_string();
    match e {
        ast::Expr::Identifier(id) => Some(folded(id)),
        ast::Expr::CompoundIdentifier(ids) => ids.last().map(folded),
        ast::Expr::Function(f) => match f.name.0.last()? {
            ast::ObjectNamePart::Identifier(id) => Some(folded(id)),
            _ => None,
        },
        ast::Expr::Cast { expr, .. } | ast::Expr::Nested(expr) => derived_name(expr),
        ast::Expr::Case { .. } => Some("case".into()),
        ast::Expr::Exists { .. } => Some("exists".into()),
        ast::Expr::Array(_) => Some("array".into()),
        ast::Expr::Subquery(q) => match leftmost_select(&q.body)?.projection.first()? {
            ast::SelectItem::ExprWithAlias { alias, .. } => Some(folded(alias)),
            ast::SelectItem::UnnamedExpr(e) => derived_name(e),
            _ => None,
        },
        _ => None,
    }
}

fn is_string_literal(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Value(v) if matches!(v.value, ast::Value::SingleQuotedString(_)))
}

/// A constant: a literal, a negative number, or a cast literal.
fn is_literal(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Value(_) => true,
        ast::Expr::UnaryOp { expr, .. } | ast::Expr::Cast { expr, .. } => is_literal(expr),
        _ => false,
    }
}

/// `x IN (constants)` as PostgreSQL's parser rewrites it (and prints it
/// back): `x = ANY (ARRAY[…])`, `NOT IN` as `<> ALL (ARRAY[…])`, one
/// constant as `=` / `<>`.
fn in_as_postgres_stores(left: &ast::Expr, list: &[ast::Expr], negated: bool) -> ast::Expr {
    let op = if negated {
        ast::BinaryOperator::NotEq
    } else {
        ast::BinaryOperator::Eq
    };
    if let [only] = list {
        return ast::Expr::BinaryOp {
            left: Box::new(left.clone()),
            op,
            right: Box::new(only.clone()),
        };
    }
    let array = Box::new(ast::Expr::Array(ast::Array {
        elem: list.to_vec(),
        named: true,
    }));
    if negated {
        ast::Expr::AllOp {
            left: Box::new(left.clone()),
            compare_op: op,
            right: array,
        }
    } else {
        ast::Expr::AnyOp {
            left: Box::new(left.clone()),
            compare_op: op,
            right: array,
            is_some: false,
        }
    }
}

fn named_by_subquery(e: &ast::Expr) -> bool {
    match e {
        ast::Expr::Subquery(_) => true,
        ast::Expr::Cast { expr, .. } | ast::Expr::Nested(expr) => named_by_subquery(expr),
        _ => false,
    }
}

/// Drops the output aliases of a subquery used as an expression (`(SELECT
/// auth.uid() AS uid)`, `x IN (SELECT …)`, `EXISTS (…)`): only its values
/// count there. Kept when `ORDER BY`, `GROUP BY` or `HAVING` could refer to
/// them.
fn drop_subquery_aliases(query: &mut ast::Query) {
    if query.order_by.is_some() {
        return;
    }
    let ast::SetExpr::Select(select) = query.body.as_mut() else {
        return;
    };
    let grouped = match &select.group_by {
        ast::GroupByExpr::Expressions(exprs, _) => !exprs.is_empty(),
        ast::GroupByExpr::All(_) => true,
    };
    if grouped || select.having.is_some() {
        return;
    }
    for item in &mut select.projection {
        if let ast::SelectItem::ExprWithAlias { expr, .. } = item {
            *item = ast::SelectItem::UnnamedExpr(expr.clone());
        }
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Keywords PostgreSQL reads as functions without parentheses.
pub const SQL_VALUE_FUNCTIONS: &[&str] = &[
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "localtime",
    "localtimestamp",
    "session_user",
    "system_user",
    "user",
];

fn parse_position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("Line: ")? + 6..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Folds a sqlparser identifier to catalog form and re-spells it the way
/// we render names: quoted only when needed.
fn fold_ident(id: &mut ast::Ident) {
    let folded = Ident::from_ast(id);
    let spelled = quote_ident(folded.as_str());
    *id = if spelled.starts_with('"') {
        ast::Ident::with_quote('"', folded.as_str())
    } else {
        ast::Ident::new(folded.as_str())
    };
}

fn fold_object_name(name: &mut ObjectName) {
    for part in &mut name.0 {
        if let ast::ObjectNamePart::Identifier(id) = part {
            fold_ident(id);
        }
    }
}

/// Canonical type inside a cast; left alone when our normalizer rejects it.
fn canonical_data_type(dt: &DataType) -> DataType {
    match SqlType::parse(&dt.to_string()) {
        Ok(ty) => DataType::Custom(ObjectName::from(vec![ast::Ident::new(ty.as_str())]), vec![]),
        Err(_) => dt.clone(),
    }
}

/// What written text gets when its canonical form would not read back as
/// the same single expression or query: the text we write into a migration
/// must be exactly what was checked.
fn unsafe_rendering(written: &str) -> ExprError {
    ExprError {
        written: written.trim().to_string(),
        message: "it cannot be written back into SQL exactly (a backslash before a quote inside a type modifier, or a similar spelling)".into(),
        position: None,
    }
}

/// The last pass before rendering: text sqlparser would print so that
/// PostgreSQL reads something else. sqlparser's printer takes a quote
/// right after a backslash, or right before another quote, as already
/// escaped: a string `a\'…` would come out ending early (and what
/// followed would run as SQL), a string holding `''` would lose a quote.
/// So a string with a backslash becomes an escape string (`E'a\\…'`,
/// read the same whatever `standard_conforming_strings` says), and a
/// string or quoted name holding a quote is spelled out here with its
/// quotes doubled, as PostgreSQL reads them.
struct SafeText;

impl VisitorMut for SafeText {
    type Break = ();

    fn post_visit_value(&mut self, value: &mut ast::ValueWithSpan) -> ControlFlow<()> {
        if let ast::Value::SingleQuotedString(s) | ast::Value::NationalStringLiteral(s) =
            &mut value.value
        {
            if s.contains('\\') {
                value.value = ast::Value::EscapedStringLiteral(std::mem::take(s));
            } else if s.contains('\'') {
                // Printed as is: the only variant sqlparser does not escape.
                value.value = ast::Value::Placeholder(crate::ident::quote_literal(s));
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_ident(&mut self, id: &mut ast::Ident) -> ControlFlow<()> {
        if id.quote_style == Some('"') && (id.value.contains('\\') || id.value.contains('"')) {
            // Unquoted idents are printed as is.
            *id = ast::Ident::new(format!("\"{}\"", id.value.replace('"', "\"\"")));
        }
        ControlFlow::Continue(())
    }
}

struct Canonicalize;

impl VisitorMut for Canonicalize {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut ast::Expr) -> ControlFlow<()> {
        match expr {
            ast::Expr::Nested(inner) => {
                let inner = std::mem::replace(inner.as_mut(), ast::Expr::value(ast::Value::Null));
                *expr = inner;
            }
            // `NOT (EXISTS …)` (PostgreSQL's deparse) is `NOT EXISTS …`.
            ast::Expr::UnaryOp {
                op: ast::UnaryOperator::Not,
                expr: inner,
            } if matches!(inner.as_ref(), ast::Expr::Exists { negated: false, .. }) => {
                if let ast::Expr::Exists { subquery, .. } = inner.as_mut() {
                    *expr = ast::Expr::Exists {
                        subquery: subquery.clone(),
                        negated: true,
                    };
                }
            }
            // `current_date` & co. stay bare keywords: quoted they would
            // name a column.
            ast::Expr::Identifier(id)
                if id.quote_style.is_none()
                    && SQL_VALUE_FUNCTIONS.contains(&id.value.to_lowercase().as_str()) =>
            {
                *id = ast::Ident::new(id.value.to_lowercase());
            }
            ast::Expr::Identifier(id) => fold_ident(id),
            ast::Expr::CompoundIdentifier(ids) => ids.iter_mut().for_each(fold_ident),
            // `current_date` parses as a call without arguments; keep it
            // a bare keyword (quoted it would name a column).
            ast::Expr::Function(f)
                if matches!(f.args, ast::FunctionArguments::None)
                    && matches!(f.name.0.as_slice(), [ast::ObjectNamePart::Identifier(id)]
                        if id.quote_style.is_none() && SQL_VALUE_FUNCTIONS.contains(&id.value.to_lowercase().as_str())) =>
            {
                if let [ast::ObjectNamePart::Identifier(id)] = f.name.0.as_mut_slice() {
                    *id = ast::Ident::new(id.value.to_lowercase());
                }
            }
            // An unqualified, unquoted call stays bare: `nullif(…)`,
            // `coalesce(…)`, `greatest(…)` are keyword syntax, and quoted
            // they would name a function that does not exist.
            ast::Expr::Function(f) => match f.name.0.as_mut_slice() {
                [ast::ObjectNamePart::Identifier(id)] if id.quote_style.is_none() => {
                    *id = ast::Ident::new(id.value.to_lowercase());
                }
                _ => fold_object_name(&mut f.name),
            },
            // `OLD.*` in a trigger's WHEN.
            ast::Expr::QualifiedWildcard(name, _) => fold_object_name(name),
            ast::Expr::Subquery(query)
            | ast::Expr::In {
                target: ast::InTarget::Subquery(query),
                ..
            }
            | ast::Expr::Exists {
                subquery: query, ..
            } => drop_subquery_aliases(query),
            ast::Expr::Cast {
                kind,
                data_type,
                expr: inner,
                ..
            } if matches!(kind, CastKind::Cast | CastKind::DoubleColon) => {
                *kind = CastKind::DoubleColon;
                *data_type = canonical_data_type(data_type);
                // PostgreSQL prints `'x'::text` for every string literal it
                // resolved to text, which is what an uncast literal in the
                // same place resolves to.
                if data_type.to_string() == "text" && is_string_literal(inner) {
                    let inner =
                        std::mem::replace(inner.as_mut(), ast::Expr::value(ast::Value::Null));
                    *expr = inner;
                }
            }
            ast::Expr::In {
                expr: left,
                target: ast::InTarget::List(list),
                negated,
                ..
            } if !list.is_empty() && list.iter().all(is_literal) => {
                *expr = in_as_postgres_stores(left, list, *negated);
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    /// An output named by a scalar subquery's column (`SELECT (SELECT 1 AS
    /// one)`) gets that name as its alias first, since the subquery's own
    /// aliases are dropped (see [`drop_subquery_aliases`]).
    fn pre_visit_select(&mut self, select: &mut ast::Select) -> ControlFlow<()> {
        for item in &mut select.projection {
            if let ast::SelectItem::UnnamedExpr(expr) = item
                && named_by_subquery(expr)
                && let Some(name) = derived_name(expr)
            {
                *item = ast::SelectItem::ExprWithAlias {
                    expr: expr.clone(),
                    alias: ast::Ident::with_quote('"', name),
                };
            }
        }
        ControlFlow::Continue(())
    }

    /// Output aliases folded, and dropped where they repeat the name
    /// PostgreSQL gives the column anyway (`count(*) AS count`, PostgreSQL's
    /// `auth.uid() AS uid`).
    fn post_visit_select(&mut self, select: &mut ast::Select) -> ControlFlow<()> {
        for item in &mut select.projection {
            if let ast::SelectItem::ExprWithAlias { expr, alias } = item {
                fold_ident(alias);
                if derived_name(expr).as_deref() == Some(Ident::from_ast(alias).as_str()) {
                    *item = ast::SelectItem::UnnamedExpr(expr.clone());
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_relation(&mut self, relation: &mut ObjectName) -> ControlFlow<()> {
        fold_object_name(relation);
        ControlFlow::Continue(())
    }

    /// Table aliases folded and written without `AS`, as PostgreSQL prints them.
    fn post_visit_table_factor(&mut self, factor: &mut ast::TableFactor) -> ControlFlow<()> {
        let alias = match factor {
            ast::TableFactor::Table { alias, .. }
            | ast::TableFactor::Derived { alias, .. }
            | ast::TableFactor::Function { alias, .. }
            | ast::TableFactor::UNNEST { alias, .. } => alias,
            _ => return ControlFlow::Continue(()),
        };
        if let Some(alias) = alias {
            alias.explicit = false;
            fold_ident(&mut alias.name);
            for column in &mut alias.columns {
                fold_ident(&mut column.name);
            }
        }
        ControlFlow::Continue(())
    }
}

/// Re-adds parentheses around every operand that is itself an operator.
struct Parenthesize;

fn is_compound(e: &ast::Expr) -> bool {
    use ast::Expr::*;
    matches!(
        e,
        BinaryOp { .. }
            | UnaryOp { .. }
            | IsNull(_)
            | IsNotNull(_)
            | IsTrue(_)
            | IsNotTrue(_)
            | IsFalse(_)
            | IsNotFalse(_)
            | IsUnknown(_)
            | IsNotUnknown(_)
            | IsDistinctFrom(..)
            | IsNotDistinctFrom(..)
            | Between { .. }
            | In { .. }
            | Like { .. }
            | ILike { .. }
            | SimilarTo { .. }
            | AnyOp { .. }
            | AllOp { .. }
            | AtTimeZone { .. }
            | Collate { .. }
    )
}

fn operands(e: &mut ast::Expr) -> Vec<&mut ast::Expr> {
    use ast::Expr::*;
    match e {
        BinaryOp { left, right, .. } => vec![left, right],
        UnaryOp { expr, .. }
        | IsNull(expr)
        | IsNotNull(expr)
        | IsTrue(expr)
        | IsNotTrue(expr)
        | IsFalse(expr)
        | IsNotFalse(expr)
        | IsUnknown(expr)
        | IsNotUnknown(expr)
        | Collate { expr, .. }
        | In { expr, .. } => vec![expr],
        Cast {
            kind: CastKind::DoubleColon,
            expr,
            ..
        } => vec![expr],
        IsDistinctFrom(a, b) | IsNotDistinctFrom(a, b) => vec![a, b],
        Between {
            expr, low, high, ..
        } => vec![expr, low, high],
        Like { expr, pattern, .. }
        | ILike { expr, pattern, .. }
        | SimilarTo { expr, pattern, .. } => {
            vec![expr, pattern]
        }
        AnyOp { left, .. } | AllOp { left, .. } => vec![left],
        AtTimeZone {
            timestamp,
            time_zone,
        } => vec![timestamp, time_zone],
        _ => vec![],
    }
    .into_iter()
    .map(|b| b.as_mut())
    .collect()
}

impl VisitorMut for Parenthesize {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut ast::Expr) -> ControlFlow<()> {
        let unary_minus_literal = |e: &ast::Expr| matches!(e, ast::Expr::UnaryOp { op: ast::UnaryOperator::Minus, expr } if matches!(**expr, ast::Expr::Value(_)));
        let parent_is_cast = matches!(expr, ast::Expr::Cast { .. });
        for operand in operands(expr) {
            // `-1` reads as one literal except where a cast would bind tighter.
            if is_compound(operand) && (parent_is_cast || !unary_minus_literal(operand)) {
                let inner = std::mem::replace(operand, ast::Expr::value(ast::Value::Null));
                *operand = ast::Expr::Nested(Box::new(inner));
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        Expr::parse(s).unwrap().to_string()
    }

    #[test]
    fn spelling_differences_vanish() {
        assert_eq!(n("(auth.uid() = owner_id)"), n("AUTH.UID() = Owner_Id"));
        assert_eq!(n("CAST('{}' AS jsonb)"), n("'{}'::JSONB"));
        assert_eq!(n("x::int4"), n("x::integer"));
        assert_eq!(n("((char_length(title) > 0))"), "char_length(title) > 0");
        assert_eq!(n("now()"), n("NOW()"));
        assert_eq!(n("a != b"), n("a <> b"));
        assert_eq!(n("deleted_at is null"), "deleted_at IS NULL");
    }

    #[test]
    fn precedence_is_kept() {
        assert_ne!(n("(a + b) * c"), n("a + b * c"));
        assert_eq!(n("a + (b * c)"), n("a + b * c"));
        assert_eq!(n("(a + b)::text"), "(a + b)::text");
        assert_eq!(n("(a > 0) AND (b > 0)"), n("a > 0 and b > 0"));
    }

    #[test]
    fn keyword_functions_stay_bare() {
        let e = Expr::parse("NULLIF(runtime, '')::int + Coalesce(a, GREATEST(b, 1))").unwrap();
        assert_eq!(
            e.sql(),
            "nullif(runtime, '')::integer + coalesce(a, greatest(b, 1))"
        );
    }

    #[test]
    fn sql_value_functions_stay_keywords() {
        assert_eq!(n("D > CURRENT_DATE"), "d > current_date");
        assert_eq!(n("u = current_user"), "u = current_user");
        assert_eq!(n("\"user\" = 1"), "\"user\" = 1");
    }

    #[test]
    fn quoted_names_keep_case() {
        assert_eq!(n("\"Title\" <> ''"), "\"Title\" <> ''");
        assert_eq!(n("\"title\" <> ''"), "title <> ''");
    }

    #[test]
    fn columns_in_order() {
        let e = Expr::parse("ends_at > starts_at AND starts_at > now()").unwrap();
        assert_eq!(
            e.columns(),
            vec![Ident::new("ends_at"), Ident::new("starts_at")]
        );
        let e = Expr::parse("d > current_date AND u = current_user AND \"user\" <> ''").unwrap();
        assert_eq!(
            e.columns(),
            vec![Ident::new("d"), Ident::new("u"), Ident::new("user")]
        );
    }

    /// Written back and read again, every canonical form stays the same
    /// (what `import` and the loader rely on).
    #[test]
    fn canonical_forms_are_idempotent() {
        for written in [
            "(user_id = auth.uid()) AND (NOT (EXISTS (SELECT 1 FROM app.answers a WHERE a.session_id = id)))",
            "(user_id = auth.uid()) AND NOT EXISTS (SELECT 1 FROM t)",
            "NOT (a AND b)",
            "now() AT TIME ZONE 'utc'",
            "a IS NOT NULL OR (b IN (1, 2) AND NOT c)",
            "(a || 'x')::text COLLATE \"C\"",
            "x BETWEEN 1 AND (2 + 3)",
            "-(a) * b",
            "'it''s' || E'\\\\'",
            "\"we\"\"ird\\\" = 1",
        ] {
            let once = Expr::parse(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            let twice = Expr::parse(once.sql()).unwrap_or_else(|e| panic!("{once}: {e}"));
            assert_eq!(once, twice, "{written}");
        }
        assert_eq!(
            n("(user_id = auth.uid()) AND (NOT (EXISTS (SELECT 1 FROM t)))"),
            n("user_id = auth.uid() AND NOT EXISTS (SELECT 1 FROM t)")
        );
    }

    #[test]
    fn errors_say_where() {
        let e = Expr::parse("a >").unwrap_err();
        assert!(e.message.contains("Expected"), "{e}");
        assert!(Expr::parse("a b").is_err());
    }
}

/// What PostgreSQL 15 prints (`pg_get_expr`, `pg_get_viewdef`) for what
/// users write, and what the normalization makes of both.
#[cfg(test)]
mod postgres_spellings {
    use super::*;

    fn n(s: &str) -> String {
        Expr::parse(s).unwrap().to_string()
    }

    fn q(s: &str) -> String {
        Query::parse(s).unwrap().to_string()
    }

    #[test]
    fn scalar_subquery_alias_and_parentheses() {
        // CREATE POLICY … USING (owner_id = (select auth.uid()))
        let printed = "owner_id = (( SELECT auth.uid() AS uid))";
        assert_eq!(n(printed), "owner_id = (SELECT auth.uid())");
        assert_eq!(n(printed), n("owner_id = (select auth.uid())"));
        assert_eq!(n(printed), n("(owner_id = ((select AUTH.UID())))"));
        // The alias of a scalar subquery's only column names nothing.
        assert_eq!(
            n("x = (select auth.uid() as me)"),
            n(printed.replace("owner_id", "x").as_str())
        );
        // … unless ORDER BY may refer to it.
        assert_ne!(
            n("x = (select a as b from t order by b limit 1)"),
            n("x = (select a from t order by b limit 1)")
        );
        // USING ((auth.uid() = owner_id))
        assert_eq!(n("auth.uid() = owner_id"), n("((auth.uid() = owner_id))"));
        // A trigger's WHEN (OLD.* IS DISTINCT FROM NEW.*)
        assert_eq!(
            n("OLD.* is distinct from NEW.*"),
            "old.* IS DISTINCT FROM new.*"
        );
    }

    #[test]
    fn membership_subquery() {
        let printed = "(org_id IN ( SELECT m.org_id\n   FROM core.shows m\n  WHERE m.owner_id = (( SELECT auth.uid() AS uid)) AND (m.role = ANY (ARRAY['editor'::text, 'admin'::text]))))";
        assert_eq!(
            n(printed),
            n(
                "org_id in (select M.org_id from Core.Shows as m where m.owner_id = (select auth.uid()) and m.role = any (array['editor'::text, 'admin'::text]))"
            )
        );
        assert_eq!(
            n(printed),
            "org_id IN (SELECT m.org_id FROM core.shows m WHERE (m.owner_id = (SELECT auth.uid())) AND (m.role = ANY(ARRAY['editor', 'admin'])))"
        );
    }

    #[test]
    fn text_literals_and_in_lists_as_postgres_stores_them() {
        // USING ((select auth.jwt() ->> 'app_role') = any (array['editor', 'admin']))
        let printed = "(( SELECT auth.jwt() ->> 'app_role'::text)) = ANY (ARRAY['editor'::text, 'admin'::text])";
        assert_eq!(
            n(printed),
            "(SELECT auth.jwt() ->> 'app_role') = ANY(ARRAY['editor', 'admin'])"
        );
        assert_eq!(
            n(printed),
            n("(select auth.jwt() ->> 'app_role') = any (array['editor', 'admin'])")
        );
        assert_eq!(
            n(printed),
            n("(select auth.jwt() ->> 'app_role') in ('editor', 'admin')")
        );
        // USING (status in ('draft', 'review')) / status not in (…) / in ('x')
        assert_eq!(
            n("status = ANY (ARRAY['draft'::text, 'review'::text])"),
            n("status IN ('draft', 'review')")
        );
        assert_eq!(
            n("status <> ALL (ARRAY['draft'::text, 'review'::text])"),
            n("status not in ('draft', 'review')")
        );
        assert_eq!(n("status = 'x'::text"), n("status in ('x')"));
        // (owner_id = (select auth.uid())) or (status = 'published')
        assert_eq!(
            n("(owner_id = (( SELECT auth.uid() AS uid))) OR (status = 'published'::text)"),
            n("owner_id = (select auth.uid()) or status = 'published'")
        );
        // Other casts say something: kept.
        assert_eq!(
            n("'active'::core.show_status"),
            "'active'::core.show_status"
        );
        assert_eq!(n("'-1'::integer"), "'-1'::integer");
        assert_eq!(n("title::text"), "title::text");
        // A list with a column is not a constant array (PostgreSQL keeps ORs).
        assert_eq!(n("a IN (b, 1)"), "a IN (b, 1)");
    }

    #[test]
    fn view_queries() {
        let printed = " SELECT shows.org_id,\n    count(*) AS count\n   FROM core.shows\n  GROUP BY shows.org_id;";
        assert_eq!(
            q(printed),
            q("select shows.org_id, COUNT(*) from Core.Shows group by shows.org_id")
        );
        assert_eq!(
            q(printed),
            "SELECT shows.org_id, count(*) FROM core.shows GROUP BY shows.org_id"
        );
        // An alias that renames is kept, folded.
        assert_eq!(q("select id AS A from t"), "SELECT id AS a FROM t");
        assert_ne!(q("select id as a from t"), q("select id from t"));
        assert_eq!(
            q("select s.id from core.shows AS S"),
            q("SELECT s.id FROM core.shows s")
        );
    }

    #[test]
    fn output_names() {
        let names = |s: &str| {
            Query::parse(s)
                .unwrap()
                .output_names()
                .map(|v| v.iter().map(|i| i.as_str().to_string()).collect::<Vec<_>>())
        };
        assert_eq!(
            names(
                " SELECT shows.id AS x,\n    shows.title\n   FROM core.shows\nUNION\n SELECT shows.id AS x,\n    'b'::text AS title\n   FROM core.shows;"
            ),
            Some(vec!["x".into(), "title".into()])
        );
        assert_eq!(
            names("select count(*), t.\"Title\", x::text, (select 1 as one) from t"),
            Some(vec![
                "count".into(),
                "Title".into(),
                "x".into(),
                "one".into()
            ])
        );
        // The name a scalar subquery gives its output survives the
        // normalization (which drops the subquery's own aliases).
        assert_eq!(
            q("select (select 1 as one) from t"),
            "SELECT (SELECT 1) AS one FROM t"
        );
        assert_eq!(
            q("select (select 1) as one from t"),
            q("select (select 1 as one) from t")
        );
        assert_eq!(names("select * from t"), None);
        assert_eq!(names("select 1 + 1"), None);

        let renamed = Query::parse("select id, title from core.shows")
            .unwrap()
            .with_column_names(&[Ident::new("a"), Ident::new("title")])
            .unwrap();
        assert_eq!(renamed.sql(), "SELECT id AS a, title FROM core.shows");
        assert_eq!(
            Query::parse("select * from t")
                .unwrap()
                .with_column_names(&[Ident::new("a")]),
            None
        );
    }
}
