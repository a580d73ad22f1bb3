//! `ALTER TABLE t ADD [CONSTRAINT c] UNIQUE USING INDEX i`: an existing
//! unique index (built `CONCURRENTLY` beforehand) becomes the index of a
//! new unique constraint, renamed to the constraint's name. This is how a
//! plan adds a unique constraint to a table that already has rows without
//! holding a lock for the whole build. `PRIMARY KEY USING INDEX` (which
//! `db diff` writes after every `CREATE UNIQUE INDEX …_pkey`) does the same
//! for the primary key, and makes its columns NOT NULL.

use super::create_table::deferral;
use super::errors::{StmtError, StmtResult};
use super::{Replay, display_name, q};
use schema::{Constraint, ConstraintKind, Ident, IndexTarget, QualName};
use sqlparser::ast;

pub(super) fn unique_using_index(
    r: &mut Replay,
    table: &QualName,
    c: &ast::ConstraintUsingIndex,
    primary: bool,
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
    if primary && let Some(pk) = &t.primary_key {
        return Err(StmtError::invalid(format!(
            "multiple primary keys for table \"{}\" are not allowed",
            display_name(table)
        ))
        .hint(format!("the table already has {}", q(&pk.name))));
    }
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
    if primary {
        let t = r.table_mut(table)?;
        for column in &mut t.columns {
            if columns.contains(&column.name) {
                column.nullable = false;
            }
        }
        t.primary_key = Some(schema::PrimaryKey { name, columns });
        return Ok(());
    }
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

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::{ConstraintKind, Ident, QualName, Source};

    const TABLE: &str = "CREATE SCHEMA core;
CREATE TABLE core.t (id integer PRIMARY KEY, a integer, b text);\n";

    fn replay(sql: &str) -> Result<schema::Catalog, String> {
        replay_sources(&[Source::new("m.sql", format!("{TABLE}{sql}"))])
            .map(|r| r.catalog)
            .map_err(|e| e.message.clone())
    }

    fn table(c: &schema::Catalog) -> &schema::Table {
        &c.tables[&QualName::from("core.t")]
    }

    #[test]
    fn not_valid_until_validated() {
        let c = replay(
            "ALTER TABLE core.t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;
             ALTER TABLE core.t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES core.t (id) NOT VALID;",
        )
        .unwrap();
        assert!(table(&c).constraints.values().all(|c| c.not_valid));
        let c = replay(
            "ALTER TABLE core.t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;
             ALTER TABLE core.t VALIDATE CONSTRAINT t_a_check;",
        )
        .unwrap();
        assert!(!table(&c).constraints[&Ident::new("t_a_check")].not_valid);
        let e =
            replay("ALTER TABLE core.t ADD CONSTRAINT t_b_key UNIQUE (b) NOT VALID;").unwrap_err();
        assert!(e.contains("only check and foreign-key"), "{e}");
    }

    #[test]
    fn unique_using_index_takes_the_index_over() {
        let c = replay(
            "CREATE UNIQUE INDEX t_ab ON core.t (a, b);
             ALTER TABLE core.t ADD CONSTRAINT t_ab_key UNIQUE USING INDEX t_ab DEFERRABLE;",
        )
        .unwrap();
        assert!(c.indexes.is_empty(), "{:?}", c.indexes);
        let k = &table(&c).constraints[&Ident::new("t_ab_key")];
        assert!(matches!(
            &k.kind,
            ConstraintKind::Unique { columns, deferral, .. }
                if columns == &[Ident::new("a"), Ident::new("b")]
                    && *deferral == schema::Deferral::DeferrableInitiallyImmediate
        ));
        // Without a name the constraint takes the index's.
        let c = replay(
            "CREATE UNIQUE INDEX t_b_key ON core.t (b);
             ALTER TABLE core.t ADD UNIQUE USING INDEX t_b_key;",
        )
        .unwrap();
        assert!(table(&c).constraints.contains_key(&Ident::new("t_b_key")));
    }

    #[test]
    fn unique_using_index_refuses_what_postgres_refuses() {
        for (sql, says) in [
            (
                "ALTER TABLE core.t ADD UNIQUE USING INDEX nope;",
                "does not exist",
            ),
            (
                "CREATE INDEX t_b ON core.t (b); ALTER TABLE core.t ADD UNIQUE USING INDEX t_b;",
                "not a plain unique btree",
            ),
            (
                "CREATE UNIQUE INDEX t_b ON core.t (b) WHERE a > 0; ALTER TABLE core.t ADD UNIQUE USING INDEX t_b;",
                "not a plain unique btree",
            ),
            (
                "CREATE UNIQUE INDEX t_b ON core.t (lower(b)); ALTER TABLE core.t ADD UNIQUE USING INDEX t_b;",
                "contains expressions",
            ),
        ] {
            let e = replay(sql).unwrap_err();
            assert!(e.contains(says), "{sql}: {e}");
        }
    }
}
