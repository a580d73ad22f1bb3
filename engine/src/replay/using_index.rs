//! `ALTER TABLE t ADD [CONSTRAINT c] UNIQUE USING INDEX i`: an existing
//! unique index (built `CONCURRENTLY` beforehand) becomes the index of a
//! new unique constraint, renamed to the constraint's name. This is how a
//! plan adds a unique constraint to a table that already has rows without
//! holding a lock for the whole build.

use super::create_table::deferral;
use super::errors::{StmtError, StmtResult};
use super::{Replay, display_name, q};
use schema::{Constraint, ConstraintKind, Ident, IndexTarget, QualName};
use sqlparser::ast;

pub(super) fn unique_using_index(
    r: &mut Replay,
    table: &QualName,
    c: &ast::ConstraintUsingIndex,
) -> StmtResult {
    let index_name = QualName::new(table.schema.clone(), Ident::from_ast(&c.index_name));
    let Some(index) = r.catalog.indexes.get(&index_name) else {
        return Err(
            StmtError::missing(format!("index {} does not exist", q(&index_name.name)))
                .hint("create it first: CREATE UNIQUE INDEX CONCURRENTLY … ON the table (columns)"),
        );
    };
    if &index.table != table {
        return Err(StmtError::invalid(format!(
            "index {} does not belong to table \"{}\"",
            q(&index_name.name),
            display_name(table)
        )));
    }
    // What PostgreSQL requires of an index that backs a constraint.
    let mut columns = Vec::new();
    for key in &index.keys {
        match &key.target {
            IndexTarget::Column(c)
                if !key.descending
                    && !key.nulls_first
                    && key.opclass.is_none()
                    && key.collation.is_none() =>
            {
                columns.push(c.clone())
            }
            _ => {
                return Err(StmtError::invalid(format!(
                    "index {} does not have default sorting behavior or contains expressions",
                    q(&index_name.name)
                ))
                .hint("a constraint needs a plain btree index on columns"));
            }
        }
    }
    if !index.unique || index.predicate.is_some() || index.method != "btree" {
        return Err(StmtError::invalid(format!(
            "index {} is not a plain unique btree index",
            q(&index_name.name)
        ))
        .hint("a constraint needs a unique, non-partial btree index"));
    }
    let name = c
        .name
        .as_ref()
        .map(Ident::from_ast)
        .unwrap_or_else(|| index_name.name.clone());
    let t = r.table(table)?;
    if t.constraints.contains_key(&name) || t.primary_key.as_ref().is_some_and(|pk| pk.name == name)
    {
        return Err(StmtError::duplicate(format!(
            "constraint {} for relation \"{}\" already exists",
            q(&name),
            display_name(table)
        )));
    }
    if name != index_name.name && r.relation_taken(&table.schema, name.as_str()) {
        return Err(StmtError::duplicate(format!(
            "relation {} already exists",
            q(&name)
        )));
    }
    let index = r
        .catalog
        .indexes
        .remove(&index_name)
        .expect("looked up above");
    let kind = ConstraintKind::Unique {
        columns,
        nulls_not_distinct: index.nulls_not_distinct,
        deferral: deferral(c.characteristics.as_ref()),
    };
    r.table_mut(table)?
        .constraints
        .insert(name.clone(), Constraint::new(name, kind));
    Ok(())
}
