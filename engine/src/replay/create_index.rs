//! `CREATE [UNIQUE] INDEX`, with PostgreSQL's derived name when unnamed.

use super::errors::{StmtError, StmtResult};
use super::{Replay, display_name, q, qual_name};
use schema::index_key::{index_key_from_ast, index_method, storage_params_from_ast};
use schema::names::{NameLabel, choose_name, columns_addition, index_column_names};
use schema::{Expr, Ident, Index, IndexTarget, QualName};
use sqlparser::ast;

pub(super) fn create_index(r: &mut Replay, ci: &ast::CreateIndex) -> StmtResult {
    let table = qual_name(&ci.table_name)?;
    let t = r.table(&table)?;
    let keys: Vec<_> = ci.columns.iter().map(index_key_from_ast).collect();
    let include: Vec<Ident> = ci.include.iter().map(Ident::from_ast).collect();
    let mentioned = keys
        .iter()
        .flat_map(|k| match &k.target {
            IndexTarget::Column(c) => vec![c.clone()],
            IndexTarget::Expression(_) => vec![],
        })
        .chain(include.iter().cloned());
    for c in mentioned {
        if t.column(&c).is_none() {
            return Err(
                StmtError::missing(format!("column {} does not exist", q(&c))).hint(format!(
                    "columns of \"{}\": {}",
                    display_name(&table),
                    super::create_table::column_list(t)
                )),
            );
        }
    }
    let schema = table.schema.clone();
    let name = match &ci.name {
        Some(n) => {
            // An index always lives in its table's schema.
            let written = qual_name(n)?;
            if written.schema != schema && n.0.len() > 1 {
                return Err(StmtError::invalid(
                    "an index name cannot be schema-qualified differently from its table",
                )
                .hint("write the index name without a schema"));
            }
            let qn = QualName::new(schema.clone(), written.name);
            if r.relation_taken(&schema, qn.name.as_str()) {
                if ci.if_not_exists {
                    return Ok(());
                }
                return Err(StmtError::duplicate(format!(
                    "relation {} already exists",
                    q(&qn.name)
                ))
                .hint("use CREATE INDEX IF NOT EXISTS, or pick another name"));
            }
            qn
        }
        None => {
            let key_names: Vec<String> = ci
                .columns
                .iter()
                .map(|c| key_name(&c.column.expr))
                .collect();
            let addition = columns_addition(&index_column_names(&key_names));
            let name = choose_name(&table.name, Some(&addition), NameLabel::Index, |n| {
                r.relation_taken(&schema, n)
            });
            QualName::new(schema.clone(), name)
        }
    };
    let index = Index {
        name: name.clone(),
        table,
        unique: ci.unique,
        method: index_method(ci.using.as_ref()),
        keys,
        include,
        predicate: ci.predicate.clone().map(Expr::from_ast),
        nulls_not_distinct: ci.nulls_distinct == Some(false),
        with: storage_params_from_ast(&ci.with),
        comment: None,
    };
    r.catalog.indexes.insert(name, index);
    Ok(())
}

/// PostgreSQL's `FigureIndexColname`: the column name, the function name for
/// a call, the type name for a cast of a non-column, else `expr`.
pub(super) fn key_name(expr: &ast::Expr) -> String {
    fn figure(e: &ast::Expr) -> Option<(String, u8)> {
        match e {
            ast::Expr::Identifier(id) => Some((Ident::from_ast(id).as_str().to_string(), 2)),
            ast::Expr::CompoundIdentifier(ids) => ids
                .last()
                .map(|id| (Ident::from_ast(id).as_str().to_string(), 2)),
            ast::Expr::Nested(inner) => figure(inner),
            ast::Expr::Function(f) => f
                .name
                .0
                .last()
                .and_then(|p| p.as_ident())
                .map(|id| (Ident::from_ast(id).as_str().to_string(), 2)),
            ast::Expr::Cast {
                expr, data_type, ..
            } => match figure(expr) {
                Some((name, 2)) => Some((name, 2)),
                _ => {
                    let ty = schema::SqlType::parse(&data_type.to_string()).ok()?;
                    let base = ty.element();
                    let base = base.as_str().split('(').next().unwrap_or_default();
                    let last = base.rsplit('.').next().unwrap_or(base).trim_matches('"');
                    Some((pg_type_name(last), 1))
                }
            },
            ast::Expr::Case { .. } => Some(("case".into(), 2)),
            _ => None,
        }
    }
    figure(expr).map_or_else(|| "expr".to_string(), |(n, _)| n)
}

/// The `pg_type.typname` behind a canonical type name (`integer` → `int4`).
fn pg_type_name(canonical: &str) -> String {
    match canonical {
        "integer" => "int4",
        "bigint" => "int8",
        "smallint" => "int2",
        "boolean" => "bool",
        "real" => "float4",
        "double precision" => "float8",
        "character varying" => "varchar",
        "character" => "bpchar",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" => "timestamp",
        "time with time zone" => "timetz",
        "time without time zone" => "time",
        "bit varying" => "varbit",
        other => other,
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::parser::Parser;

    fn name(e: &str) -> String {
        key_name(
            &Parser::new(&PostgreSqlDialect {})
                .try_with_sql(e)
                .unwrap()
                .parse_expr()
                .unwrap(),
        )
    }

    #[test]
    fn key_names_follow_postgres() {
        assert_eq!(name("Email"), "email");
        assert_eq!(name("lower(email)"), "lower");
        assert_eq!(name("(a + b)"), "expr");
        assert_eq!(name("a::text"), "a");
        assert_eq!(name("(a + b)::text"), "text");
        assert_eq!(name("coalesce(a, b)"), "coalesce");
    }
}
