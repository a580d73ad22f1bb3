//! Index parts shared by the KDL loader and SQL replay, so both read
//! `created_at DESC`, `lower(email)` or `external_ids jsonb_path_ops` into
//! the same [`IndexKey`].

use crate::catalog::{IndexKey, IndexTarget};
use crate::expr::{Expr, ExprError};
use crate::ident::Ident;
use sqlparser::ast::{self, IndexColumn, IndexType, OrderBySort, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::BTreeMap;

/// One key of `CREATE INDEX … (key, …)` as sqlparser read it.
pub fn index_key_from_ast(col: &IndexColumn) -> IndexKey {
    let (expr, collation) = match &col.column.expr {
        ast::Expr::Collate { expr, collation } => (expr.as_ref(), Some(object_name_text(collation))),
        other => (other, None),
    };
    let target = match expr {
        ast::Expr::Identifier(id) => IndexTarget::Column(Ident::from_ast(id)),
        ast::Expr::Nested(inner) if matches!(inner.as_ref(), ast::Expr::Identifier(_)) => {
            let ast::Expr::Identifier(id) = inner.as_ref() else { unreachable!() };
            IndexTarget::Column(Ident::from_ast(id))
        }
        other => IndexTarget::Expression(Expr::from_ast(other.clone())),
    };
    let descending = matches!(col.column.options.sort, Some(OrderBySort::Desc));
    let opclass = col
        .operator_class
        .as_ref()
        .map(object_name_text)
        .map(|o| o.strip_prefix("pg_catalog.").map(str::to_string).unwrap_or(o));
    IndexKey {
        target,
        collation,
        opclass,
        descending,
        nulls_first: col.column.options.nulls_first.unwrap_or(descending),
    }
}

/// Parses one key as written in KDL: `"created_at desc nulls last"`,
/// `"lower(email)"`, `"external_ids jsonb_path_ops"`.
pub fn parse_index_key(written: &str) -> Result<IndexKey, ExprError> {
    let sql = format!("CREATE INDEX i ON t ({written})");
    let fail = |message: String| ExprError {
        written: written.trim().to_string(),
        message,
        position: None,
    };
    let statements = Parser::parse_sql(&PostgreSqlDialect {}, &sql).map_err(|e| {
        fail(
            e.to_string()
                .trim_start_matches("sql parser error: ")
                .split(" at Line:")
                .next()
                .unwrap_or_default()
                .to_string(),
        )
    })?;
    match statements.as_slice() {
        [Statement::CreateIndex(ci)] if ci.columns.len() == 1 => Ok(index_key_from_ast(&ci.columns[0])),
        _ => Err(fail("expected one index key".to_string())),
    }
}

/// The access method in lower case (`btree` when omitted).
pub fn index_method(using: Option<&IndexType>) -> String {
    match using {
        None | Some(IndexType::BTree) => "btree".into(),
        Some(IndexType::Hash) => "hash".into(),
        Some(IndexType::GIN) => "gin".into(),
        Some(IndexType::GiST) => "gist".into(),
        Some(IndexType::SPGiST) => "spgist".into(),
        Some(IndexType::BRIN) => "brin".into(),
        Some(IndexType::Bloom) => "bloom".into(),
        Some(IndexType::Custom(id)) => Ident::from_ast(id).as_str().to_string(),
    }
}

/// `WITH (fillfactor = 70, …)` as lower-case keys and unquoted values.
pub fn storage_params_from_ast(with: &[ast::Expr]) -> BTreeMap<String, String> {
    with.iter()
        .filter_map(|e| match e {
            ast::Expr::BinaryOp { left, right, .. } => Some((
                left.to_string().to_lowercase(),
                right.to_string().trim_matches('\'').to_lowercase(),
            )),
            _ => None,
        })
        .collect()
}

fn object_name_text(name: &ast::ObjectName) -> String {
    name.0
        .iter()
        .map(|p| match p.as_ident() {
            Some(id) => Ident::from_ast(id).quoted(),
            None => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys() {
        let k = parse_index_key("created_at DESC").unwrap();
        assert_eq!(k.target, IndexTarget::Column(Ident::new("created_at")));
        assert!(k.descending && k.nulls_first);

        let k = parse_index_key("created_at desc nulls last").unwrap();
        assert!(k.descending && !k.nulls_first);

        let k = parse_index_key("external_ids jsonb_path_ops").unwrap();
        assert_eq!(k.opclass.as_deref(), Some("jsonb_path_ops"));

        let k = parse_index_key("lower(Email)").unwrap();
        assert_eq!(k.target, IndexTarget::Expression(Expr::parse("lower(email)").unwrap()));

        let k = parse_index_key("title COLLATE \"C\"").unwrap();
        assert_eq!(k.collation.as_deref(), Some("\"C\""));
    }

    #[test]
    fn bad_keys_are_errors() {
        assert!(parse_index_key("").is_err());
        assert!(parse_index_key("a, b").is_err());
        assert!(parse_index_key("lower(").is_err());
    }
}
