//! `CREATE SCHEMA` and `CREATE EXTENSION`.

use super::errors::{StmtError, StmtResult};
use super::{Replay, q};
use schema::ident::DEFAULT_SCHEMA;
use schema::{Extension, Ident, Schema};
use sqlparser::ast;

pub(super) fn create_schema(
    r: &mut Replay,
    name: &ast::SchemaName,
    if_not_exists: bool,
) -> StmtResult {
    let name = match name {
        ast::SchemaName::Simple(n) | ast::SchemaName::NamedAuthorization(n, _) => {
            let parts = &n.0;
            match parts.as_slice() {
                [part] => part.as_ident().map(Ident::from_ast),
                _ => None,
            }
            .ok_or_else(|| StmtError::invalid(format!("improper schema name: {n}")))?
        }
        // `CREATE SCHEMA AUTHORIZATION joe` names the schema after the role.
        ast::SchemaName::UnnamedAuthorization(role) => Ident::from_ast(role),
    };
    if r.catalog.schemas.contains_key(&name) || name.as_str() == DEFAULT_SCHEMA {
        if if_not_exists {
            return Ok(());
        }
        return Err(
            StmtError::duplicate(format!("schema {} already exists", q(&name)))
                .hint("use CREATE SCHEMA IF NOT EXISTS, or drop the earlier definition"),
        );
    }
    r.catalog.schemas.insert(
        name.clone(),
        Schema {
            name,
            comment: None,
        },
    );
    Ok(())
}

pub(super) fn create_extension(r: &mut Replay, ext: &ast::CreateExtension) -> StmtResult {
    let name = Ident::from_ast(&ext.name);
    if r.catalog.extensions.contains_key(&name) {
        if ext.if_not_exists {
            return Ok(());
        }
        return Err(
            StmtError::duplicate(format!("extension {} already exists", q(&name)))
                .hint("use CREATE EXTENSION IF NOT EXISTS"),
        );
    }
    let schema = ext.schema.as_ref().map(Ident::from_ast);
    if let Some(schema) = &schema {
        r.require_schema(schema)?;
    }
    r.catalog
        .extensions
        .insert(name.clone(), Extension { name, schema });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::Source;

    fn replay(sql: &str) -> Result<crate::replay::Replayed, crate::replay::ReplayError> {
        replay_sources(&[Source::new("m.sql", sql)])
    }

    #[test]
    fn schemas_and_extensions_refuse_duplicates() {
        assert!(replay("create schema a; create schema a").is_err());
        assert!(replay("create schema public").is_err());
        assert!(replay("create schema if not exists public; create extension x; create extension if not exists x").is_ok());
        assert!(replay("create extension x; create extension x").is_err());
        assert!(replay("create extension x schema nowhere").is_err());
        let r = replay("create extension x with schema extensions").unwrap();
        assert_eq!(
            r.catalog
                .extensions
                .values()
                .next()
                .unwrap()
                .schema
                .as_ref()
                .unwrap()
                .as_str(),
            "extensions"
        );
    }
}
