//! What PostgreSQL prints for a Catalog object, so the docs read like the
//! database: `information_schema.columns.data_type`, a default as
//! `pg_get_expr` deparses it (what `information_schema.columns.column_default`
//! shows), an index as `pg_get_indexdef` prints it.
//!
//! The Catalog keeps expressions in a canonical form that drops what
//! PostgreSQL adds (`'x'::text` is `'x'`, `(a + b)` is `a + b`); this module
//! adds it back where PostgreSQL's rule is well defined: literals take the
//! type they are coerced to, every operator expression is parenthesized,
//! value functions (`CURRENT_USER`) are upper case, types outside the default
//! `search_path` (`"$user", public`) are schema-qualified. What it does not
//! model (an implicit cast PostgreSQL inserts inside a function call, say)
//! is printed in the canonical form.

/// Keywords PostgreSQL reads as functions without parentheses (printed
/// upper case here).
use schema::expr::SQL_VALUE_FUNCTIONS as VALUE_FUNCTIONS;
use schema::{Catalog, Column, Ident, Index, IndexKey, IndexTarget, QualName, SqlType, Table};
use sqlparser::ast::{self, BinaryOperator, UnaryOperator, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// `information_schema.columns.data_type`: the type without modifiers,
/// `ARRAY` for arrays, `USER-DEFINED` for enums and extension types.
pub fn data_type(ty: &SqlType) -> String {
    if ty.is_array() {
        return "ARRAY".into();
    }
    if ty.user_defined().is_some() {
        return "USER-DEFINED".into();
    }
    without_modifiers(ty.as_str())
}

/// `character varying(20)` → `character varying`,
/// `timestamp(3) with time zone` → `timestamp with time zone`.
fn without_modifiers(text: &str) -> String {
    match (text.find('('), text.find(')')) {
        (Some(open), Some(close)) if open < close => {
            format!("{}{}", text[..open].trim_end(), &text[close + 1..])
        }
        _ => text.to_string(),
    }
}

/// A type as `format_type` prints it under the default `search_path`:
/// `public.mood` is `mood`; other schemas stay qualified.
pub fn type_name(ty: &SqlType) -> String {
    let text = ty.as_str();
    text.strip_prefix("public.")
        .map(str::to_string)
        .unwrap_or_else(|| text.to_string())
}

/// The type a literal coerced to `ty` is printed with: no modifiers
/// (`'x'::character varying`, not `character varying(20)`).
fn cast_type(ty: &SqlType) -> String {
    let name = type_name(ty);
    if ty.is_array() {
        format!("{}[]", without_modifiers(name.trim_end_matches("[]")))
    } else {
        without_modifiers(&name)
    }
}

/// `information_schema.columns.column_default`: `None` for identity and
/// generated columns, whose default PostgreSQL reports elsewhere.
pub fn column_default(column: &Column) -> Option<String> {
    if column.identity.is_some() || column.generated.is_some() {
        return None;
    }
    let default = column.default.as_ref()?;
    let Some(ast) = parse(default.sql()) else {
        return Some(default.sql().to_string());
    };
    let ctx = Context::default();
    Some(match literal(&ast) {
        // A constant is folded into the column's type at CREATE time.
        Some(lit) => typed_literal(&lit, &column.ty),
        None => deparse(&ast, &ctx),
    })
}

/// `pg_get_indexdef` of an explicit index.
pub fn index_definition(index: &Index, table: Option<&Table>) -> String {
    let ctx = Context { table };
    let keys: Vec<String> = index.keys.iter().map(|k| index_key(k, &ctx)).collect();
    let mut out = format!(
        "CREATE {}INDEX {} ON {} USING {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote(&index.name.name),
        qualified(&index.table),
        index.method,
        keys.join(", ")
    );
    if !index.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", idents(&index.include)));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        // `flatten_reloptions`: a value that is not a plain identifier is
        // quoted (`fillfactor='70'`, `fastupdate=off`).
        let params: Vec<String> = index
            .with
            .iter()
            .map(|(k, v)| {
                let v = v.trim_matches('\'');
                if schema::ident::quote_ident(v) == v {
                    format!("{k}={v}")
                } else {
                    format!("{k}='{}'", v.replace('\'', "''"))
                }
            })
            .collect();
        out.push_str(&format!(" WITH ({})", params.join(", ")));
    }
    if let Some(predicate) = &index.predicate {
        let text = match parse(predicate.sql()) {
            Some(ast) => deparse(&ast, &ctx),
            None => format!("({})", predicate.sql()),
        };
        out.push_str(&format!(" WHERE {}", wrap(text)));
    }
    out
}

/// `pg_get_indexdef` of the index behind a primary key or unique
/// constraint: always btree, named after the constraint.
pub fn constraint_index_definition(
    name: &Ident,
    table: &QualName,
    columns: &[Ident],
    nulls_not_distinct: bool,
) -> String {
    format!(
        "CREATE UNIQUE INDEX {} ON {} USING btree ({}){}",
        quote(name),
        qualified(table),
        idents(columns),
        if nulls_not_distinct {
            " NULLS NOT DISTINCT"
        } else {
            ""
        }
    )
}

/// What an index key shows in the docs' `columns`: the column name or the
/// expression as PostgreSQL prints it.
pub fn index_key_target(key: &IndexKey, table: Option<&Table>) -> String {
    let ctx = Context { table };
    match &key.target {
        IndexTarget::Column(c) => quote(c),
        IndexTarget::Expression(e) => match parse(e.sql()) {
            Some(ast) => deparse(&ast, &ctx),
            None => e.sql().to_string(),
        },
    }
}

fn index_key(key: &IndexKey, ctx: &Context) -> String {
    let mut out = match &key.target {
        IndexTarget::Column(c) => quote(c),
        IndexTarget::Expression(e) => match parse(e.sql()) {
            // A function call stands alone; anything else gets its own
            // parentheses around its (already parenthesized) deparse.
            Some(ast @ ast::Expr::Function(_)) => deparse(&ast, ctx),
            Some(ast) => format!("({})", deparse(&ast, ctx)),
            None => format!("({})", e.sql()),
        },
    };
    if let Some(collation) = &key.collation {
        out.push_str(&format!(" COLLATE {collation}"));
    }
    if let Some(opclass) = &key.opclass {
        out.push_str(&format!(" {opclass}"));
    }
    // NULLS is printed only where it differs from the direction's default.
    out.push_str(match (key.descending, key.nulls_first) {
        (false, false) => "",
        (false, true) => " NULLS FIRST",
        (true, true) => " DESC",
        (true, false) => " DESC NULLS LAST",
    });
    out
}

fn qualified(name: &QualName) -> String {
    format!("{}.{}", quote(&name.schema), quote(&name.name))
}

fn quote(name: &Ident) -> String {
    schema::ident::quote_ident(name.as_str())
}

fn idents(list: &[Ident]) -> String {
    list.iter().map(quote).collect::<Vec<_>>().join(", ")
}

fn parse(sql: &str) -> Option<ast::Expr> {
    let dialect = PostgreSqlDialect {};
    let mut parser = Parser::new(&dialect).try_with_sql(sql).ok()?;
    let expr = parser.parse_expr().ok()?;
    (parser.peek_token().token == sqlparser::tokenizer::Token::EOF).then_some(expr)
}

/// The table an expression's bare column names belong to.
#[derive(Default)]
struct Context<'a> {
    table: Option<&'a Table>,
}

impl Context<'_> {
    fn column_type(&self, expr: &ast::Expr) -> Option<&SqlType> {
        let ast::Expr::Identifier(id) = expr else {
            return None;
        };
        let name = Ident::from_ast(id);
        self.table?.column(&name).map(|c| &c.ty)
    }
}

/// A bare constant: a string, a number (possibly negated), a boolean.
enum Literal {
    Str(String),
    Number(String),
    Bool(bool),
    Null,
}

fn literal(expr: &ast::Expr) -> Option<Literal> {
    match expr {
        ast::Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(Literal::Str(s.clone())),
            Value::Number(n, _) => Some(Literal::Number(n.to_string())),
            Value::Boolean(b) => Some(Literal::Bool(*b)),
            Value::Null => Some(Literal::Null),
            _ => None,
        },
        ast::Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => match literal(expr)? {
            Literal::Number(n) => Some(Literal::Number(format!("-{n}"))),
            _ => None,
        },
        ast::Expr::Nested(inner) => literal(inner),
        _ => None,
    }
}

/// A constant of type `ty` as `get_const_expr` prints it: integers and
/// numerics bare (negative ones quoted and cast), booleans bare, everything
/// else quoted and cast.
fn typed_literal(lit: &Literal, ty: &SqlType) -> String {
    let base = without_modifiers(ty.as_str());
    match lit {
        Literal::Null => "NULL".into(),
        Literal::Bool(b) if base == "boolean" => b.to_string(),
        Literal::Number(n) if n.starts_with('-') => {
            format!("'{n}'::{}", cast_type(ty))
        }
        // A number coerced to a non-integer type is converted when the row
        // is written: PostgreSQL keeps the number as written.
        Literal::Number(n) => n.clone(),
        Literal::Bool(b) => format!("{b}"),
        Literal::Str(s) => format!("'{}'::{}", s.replace('\'', "''"), cast_type(ty)),
    }
}

/// A literal with no known target type: strings are `text`.
fn untyped_literal(lit: &Literal) -> String {
    match lit {
        Literal::Str(s) => format!("'{}'::text", s.replace('\'', "''")),
        Literal::Number(n) if n.starts_with('-') => {
            let ty = if n.contains('.') {
                "numeric"
            } else {
                "integer"
            };
            format!("'{n}'::{ty}")
        }
        Literal::Number(n) => n.clone(),
        Literal::Bool(b) => b.to_string(),
        Literal::Null => "NULL".into(),
    }
}

fn wrap(text: String) -> String {
    if text.starts_with('(') && balanced_outer(&text) {
        text
    } else {
        format!("({text})")
    }
}

/// Whether the first `(` closes at the very end.
fn balanced_outer(text: &str) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    for (i, c) in text.char_indices() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i != text.len() - 1 {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// Non-pretty `ruleutils` output for the expressions the Catalog holds.
fn deparse(expr: &ast::Expr, ctx: &Context) -> String {
    use ast::Expr as E;
    match expr {
        E::Nested(inner) => deparse(inner, ctx),
        E::Identifier(id) => {
            let name = Ident::from_ast(id);
            if id.quote_style.is_none() && VALUE_FUNCTIONS.contains(&name.as_str()) {
                return name.as_str().to_ascii_uppercase();
            }
            quote(&name)
        }
        E::Function(f) if is_value_function(f) => f.name.to_string().to_ascii_uppercase(),
        E::Function(f) => function_call(f, ctx).unwrap_or_else(|| expr.to_string()),
        E::BinaryOp { left, op, right } => {
            let (l, r) = operands(left, right, ctx);
            format!("({l} {} {r})", binary_op(op))
        }
        E::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => format!("(NOT {})", deparse(expr, ctx)),
        E::IsNull(inner) => format!("({} IS NULL)", deparse(inner, ctx)),
        E::IsNotNull(inner) => format!("({} IS NOT NULL)", deparse(inner, ctx)),
        E::IsTrue(inner) => format!("({} IS TRUE)", deparse(inner, ctx)),
        E::IsFalse(inner) => format!("({} IS FALSE)", deparse(inner, ctx)),
        E::Cast {
            expr: inner,
            data_type,
            ..
        } => {
            let ty = SqlType::parse(&data_type.to_string())
                .map(|t| cast_type(&t))
                .unwrap_or_else(|_| data_type.to_string());
            match literal(inner) {
                Some(Literal::Str(s)) => format!("'{}'::{ty}", s.replace('\'', "''")),
                _ => format!("({})::{ty}", deparse(inner, ctx)),
            }
        }
        _ => match literal(expr) {
            Some(lit) => untyped_literal(&lit),
            None => expr.to_string(),
        },
    }
}

/// `name(arg, …)` with each argument deparsed (a string literal argument
/// is `text`); `None` for calls with anything more (`DISTINCT`, `ORDER
/// BY`, named arguments, `FILTER`, `OVER`).
fn function_call(f: &ast::Function, ctx: &Context) -> Option<String> {
    if f.filter.is_some() || f.over.is_some() || !f.within_group.is_empty() {
        return None;
    }
    let args = match &f.args {
        ast::FunctionArguments::List(list)
            if list.duplicate_treatment.is_none() && list.clauses.is_empty() =>
        {
            list.args
                .iter()
                .map(|arg| match arg {
                    // pg_catalog declares its string functions on `text`
                    // only: a `character varying` column passed to one is
                    // cast (`lower((email)::text)`). A schema-qualified
                    // function may take varchar itself: left alone.
                    ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e))
                        if f.name.0.len() == 1 && ctx.column_type(e).is_some_and(is_varchar) =>
                    {
                        Some(format!("({})::text", deparse(e, ctx)))
                    }
                    ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e)) => {
                        Some(deparse(e, ctx))
                    }
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?
        }
        _ => return None,
    };
    Some(format!("{}({})", f.name, args.join(", ")))
}

fn is_value_function(f: &ast::Function) -> bool {
    matches!(f.args, ast::FunctionArguments::None)
        && VALUE_FUNCTIONS.contains(&f.name.to_string().to_ascii_lowercase().as_str())
}

/// Both sides of a comparison: a string literal takes the other side's
/// column type; a `character varying` column compared with text is cast
/// to text, as PostgreSQL resolves the operator.
fn operands(left: &ast::Expr, right: &ast::Expr, ctx: &Context) -> (String, String) {
    let side = |this: &ast::Expr, other: &ast::Expr| -> String {
        if let Some(lit) = literal(this) {
            return match ctx.column_type(other) {
                Some(ty) if is_varchar(ty) => untyped_literal(&lit),
                Some(ty) => typed_literal(&lit, ty),
                None => untyped_literal(&lit),
            };
        }
        match ctx.column_type(this) {
            Some(ty) if is_varchar(ty) && literal(other).is_some() => {
                format!("({})::text", deparse(this, ctx))
            }
            _ => deparse(this, ctx),
        }
    };
    (side(left, right), side(right, left))
}

fn is_varchar(ty: &SqlType) -> bool {
    !ty.is_array() && without_modifiers(ty.as_str()) == "character varying"
}

fn binary_op(op: &BinaryOperator) -> String {
    match op {
        BinaryOperator::And => "AND".into(),
        BinaryOperator::Or => "OR".into(),
        other => other.to_string(),
    }
}

/// The docs' `example_row` placeholder for a column of `ty`.
pub fn example_value(ty: &SqlType, catalog: &Catalog) -> serde_json::Value {
    use serde_json::Value as J;
    if ty.is_array() {
        return J::Array(Vec::new());
    }
    if let Some(name) = ty.user_defined()
        && let Some(e) = catalog.enums.get(&name)
        && let Some(first) = e.values.first()
    {
        return J::String(first.clone());
    }
    let base = without_modifiers(ty.as_str());
    match base.as_str() {
        "smallint" | "integer" | "bigint" | "numeric" | "real" | "double precision" | "oid"
        | "money" => J::from(0),
        "boolean" => J::Bool(false),
        "uuid" => J::String("00000000-0000-0000-0000-000000000000".into()),
        "date" => J::String("1970-01-01".into()),
        "timestamp with time zone" | "timestamp without time zone" => {
            J::String("1970-01-01T00:00:00Z".into())
        }
        "time with time zone" | "time without time zone" => J::String("00:00:00".into()),
        "json" | "jsonb" => J::Object(serde_json::Map::new()),
        _ => J::String("example".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::Expr;

    fn column(ty: &str, default: &str) -> Column {
        let mut c = Column::new(Ident::new("c"), SqlType::parse(ty).unwrap());
        c.default = Some(Expr::parse(default).unwrap());
        c
    }

    /// Each case checked against PostgreSQL 15's `column_default`.
    #[test]
    fn defaults_as_postgres_prints_them() {
        for (ty, default, printed) in [
            ("int", "-1", "'-1'::integer"),
            ("double precision", "0", "0"),
            ("numeric", "1.5", "1.5"),
            ("varchar(20)", "'x'", "'x'::character varying"),
            ("text[]", "'{}'", "'{}'::text[]"),
            ("core.st", "'a'", "'a'::core.st"),
            ("public.mood", "'x'", "'x'::mood"),
            ("text", "current_user", "CURRENT_USER"),
            ("timestamptz", "current_timestamp", "CURRENT_TIMESTAMP"),
            ("boolean", "false", "false"),
            (
                "uuid",
                "'00000000-0000-0000-0000-000000000000'",
                "'00000000-0000-0000-0000-000000000000'::uuid",
            ),
            ("text", "''", "''::text"),
            ("text", "'draft'::text", "'draft'::text"),
            ("jsonb", "'{}'::jsonb", "'{}'::jsonb"),
            ("timestamptz", "now()", "now()"),
        ] {
            assert_eq!(
                column_default(&column(ty, default)).as_deref(),
                Some(printed),
                "{ty} default {default}"
            );
        }
    }

    /// Each expected definition is what PostgreSQL 15's `pg_get_indexdef`
    /// printed for the same index.
    #[test]
    fn index_definitions_as_postgres_prints_them() {
        let catalog = schema::lang::load_sources(&[schema::Source::new(
            "idx.kdl",
            r#"
schema core
enum core.st a b
table core.t {
    column a integer
    column p smallint
    column f core.st
    column d "varchar(20)"
    column c numeric
    column e "text[]"
    index t_expr_idx "a + p" where="f = 'a' and d <> ''"
    index t_d_a_c_idx "d varchar_pattern_ops desc nulls last" "a nulls first" include="c"
    index t_e_idx using=gin { on e; with fastupdate=off; }
    index t_lower_idx "lower(d)"
}
"#,
        )])
        .unwrap_or_else(|e| panic!("{e:?}"));
        let table = &catalog.tables[&QualName::from("core.t")];
        let printed: Vec<String> = catalog
            .indexes_on(&table.name)
            .map(|i| index_definition(i, Some(table)))
            .collect();
        assert_eq!(
            printed,
            [
                "CREATE INDEX t_d_a_c_idx ON core.t USING btree (d varchar_pattern_ops DESC NULLS LAST, a NULLS FIRST) INCLUDE (c)",
                "CREATE INDEX t_e_idx ON core.t USING gin (e) WITH (fastupdate=off)",
                "CREATE INDEX t_expr_idx ON core.t USING btree (((a + p))) WHERE ((f = 'a'::core.st) AND ((d)::text <> ''::text))",
                "CREATE INDEX t_lower_idx ON core.t USING btree (lower((d)::text))",
            ]
        );
    }

    #[test]
    fn data_types_as_information_schema_spells_them() {
        for (ty, spelled) in [
            ("int4", "integer"),
            ("varchar(20)", "character varying"),
            ("timestamptz(3)", "timestamp with time zone"),
            ("text[]", "ARRAY"),
            ("core.st", "USER-DEFINED"),
            ("numeric(10,2)", "numeric"),
        ] {
            assert_eq!(data_type(&SqlType::parse(ty).unwrap()), spelled, "{ty}");
        }
    }
}
