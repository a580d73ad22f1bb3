//! One table's document: what `<schema>.<table>.json` holds, built from the
//! Catalog and spelled as PostgreSQL reports it (see [`super::pg_spelling`]).

use super::pg_spelling::{
    column_default, constraint_index_definition, data_type, example_value, index_definition,
    index_key_target,
};
use schema::{
    Catalog, ConstraintKind, GrantTarget, Ident, PolicyCommand, Table, TriggerEvent, TriggerTiming,
};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Field order is the JSON key order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TableDoc {
    pub schema: String,
    pub table: String,
    pub comment: Option<String>,
    pub columns: Vec<ColumnDoc>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKeyDoc>,
    /// Column lists of the unique constraints, in constraint-name order.
    pub unique_constraints: Vec<Vec<String>>,
    pub indexes: Vec<IndexDoc>,
    pub rls_enabled: bool,
    pub rls_forced: bool,
    pub policies: Vec<PolicyDoc>,
    pub grants: Vec<GrantDoc>,
    pub triggers: Vec<TriggerDoc>,
    pub example_row: ExampleRow,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ColumnDoc {
    pub name: String,
    pub data_type: String,
    /// The full type (`character varying(20)`, `core.show_status`), which
    /// `data_type` reduces to `character varying` / `USER-DEFINED`.
    pub type_name: String,
    pub is_nullable: &'static str,
    pub default: Option<String>,
    pub is_identity: &'static str,
    pub is_generated: &'static str,
    pub generation_expression: Option<String>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ForeignKeyDoc {
    pub constraint: String,
    pub column: String,
    /// `schema.table.column`.
    pub references: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IndexDoc {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub definition: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PolicyDoc {
    pub name: String,
    pub command: &'static str,
    pub permissive: bool,
    pub roles: Vec<String>,
    pub using: Option<String>,
    pub with_check: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct GrantDoc {
    pub grantee: String,
    /// Privileges in PostgreSQL's order (`SELECT`, `INSERT`, …); a column
    /// privilege reads `UPDATE (title)`.
    pub privileges: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TriggerDoc {
    pub name: String,
    pub timing: String,
    pub events: Vec<String>,
    pub for_each_row: bool,
    pub function: String,
}

/// Column name → placeholder, in column order (a JSON object keeps the
/// order it is written in).
#[derive(Clone, Debug, PartialEq)]
pub struct ExampleRow(pub Vec<(String, serde_json::Value)>);

impl Serialize for ExampleRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl TableDoc {
    pub fn of(table: &Table, catalog: &Catalog) -> TableDoc {
        let name = |i: &Ident| i.as_str().to_string();
        let columns = table
            .columns
            .iter()
            .map(|c| ColumnDoc {
                name: name(&c.name),
                data_type: data_type(&c.ty),
                type_name: super::pg_spelling::type_name(&c.ty),
                is_nullable: if c.nullable { "YES" } else { "NO" },
                default: column_default(c),
                is_identity: if c.identity.is_some() { "YES" } else { "NO" },
                is_generated: if c.generated.is_some() {
                    "ALWAYS"
                } else {
                    "NEVER"
                },
                generation_expression: c.generated.as_ref().map(|e| e.sql().to_string()),
                comment: c.comment.clone(),
            })
            .collect();

        let mut foreign_keys = Vec::new();
        let mut unique_constraints = Vec::new();
        let mut indexes = Vec::new();
        if let Some(pk) = &table.primary_key {
            indexes.push(IndexDoc {
                name: name(&pk.name),
                columns: pk.columns.iter().map(quoted).collect(),
                unique: true,
                definition: constraint_index_definition(&pk.name, &table.name, &pk.columns, false),
            });
        }
        for constraint in table.constraints.values() {
            match &constraint.kind {
                ConstraintKind::Unique {
                    columns,
                    nulls_not_distinct,
                    ..
                } => {
                    unique_constraints.push(columns.iter().map(name).collect());
                    indexes.push(IndexDoc {
                        name: name(&constraint.name),
                        columns: columns.iter().map(quoted).collect(),
                        unique: true,
                        definition: constraint_index_definition(
                            &constraint.name,
                            &table.name,
                            columns,
                            *nulls_not_distinct,
                        ),
                    });
                }
                ConstraintKind::ForeignKey(fk) => {
                    for (column, target) in fk.columns.iter().zip(&fk.ref_columns) {
                        foreign_keys.push(ForeignKeyDoc {
                            constraint: name(&constraint.name),
                            column: name(column),
                            // Unquoted, as `information_schema` names them.
                            references: format!(
                                "{}.{}.{}",
                                fk.ref_table.schema.as_str(),
                                fk.ref_table.name.as_str(),
                                target.as_str()
                            ),
                        });
                    }
                }
                ConstraintKind::Check { .. } => {}
            }
        }
        for index in catalog.indexes_on(&table.name) {
            indexes.push(IndexDoc {
                name: name(&index.name.name),
                columns: index
                    .keys
                    .iter()
                    .map(|k| index_key_target(k, Some(table)))
                    .collect(),
                unique: index.unique,
                definition: index_definition(index, Some(table)),
            });
        }
        // By name, as `pg_indexes` is usually read.
        indexes.sort_by(|a, b| a.name.cmp(&b.name));

        let policies = catalog
            .policies_on(&table.name)
            .map(|p| PolicyDoc {
                name: name(&p.name),
                command: match p.command {
                    PolicyCommand::All => "ALL",
                    other => other.sql(),
                },
                permissive: p.permissive,
                roles: p.roles.iter().map(name).collect(),
                using: p.using.as_ref().map(|e| e.sql().to_string()),
                with_check: p.check.as_ref().map(|e| e.sql().to_string()),
            })
            .collect();

        let triggers = catalog
            .triggers_on(&table.name)
            .map(|t| TriggerDoc {
                name: name(&t.name),
                timing: match t.timing {
                    TriggerTiming::Before => "BEFORE",
                    TriggerTiming::After => "AFTER",
                    TriggerTiming::InsteadOf => "INSTEAD OF",
                }
                .to_string(),
                events: t.events.iter().map(event).collect(),
                for_each_row: t.for_each_row,
                function: t.function.to_string(),
            })
            .collect();

        let example_row = ExampleRow(
            table
                .columns
                .iter()
                .map(|c| (name(&c.name), example_value(&c.ty, catalog)))
                .collect(),
        );

        TableDoc {
            schema: name(&table.name.schema),
            table: name(&table.name.name),
            comment: table.comment.clone(),
            columns,
            primary_key: table
                .primary_key
                .as_ref()
                .map(|pk| pk.columns.iter().map(name).collect())
                .unwrap_or_default(),
            foreign_keys,
            unique_constraints,
            indexes,
            rls_enabled: table.rls_enabled,
            rls_forced: table.rls_forced,
            policies,
            grants: grants(table, catalog),
            triggers,
            example_row,
        }
    }
}

/// An index key column as `pg_get_indexdef` prints it: quoted when needed.
fn quoted(name: &Ident) -> String {
    schema::ident::quote_ident(name.as_str())
}

/// Table and column privileges by grantee.
fn grants(table: &Table, catalog: &Catalog) -> Vec<GrantDoc> {
    let mut by_grantee: std::collections::BTreeMap<&Ident, Vec<(schema::Privilege, String)>> =
        Default::default();
    for grant in &catalog.grants {
        let text = match &grant.on {
            GrantTarget::Table { table: t } if t == &table.name => {
                grant.privilege.sql().to_string()
            }
            GrantTarget::Column { table: t, column } if t == &table.name => {
                format!("{} ({})", grant.privilege.sql(), column)
            }
            _ => continue,
        };
        let text = if grant.grantable {
            format!("{text} WITH GRANT OPTION")
        } else {
            text
        };
        by_grantee
            .entry(&grant.grantee)
            .or_default()
            .push((grant.privilege, text));
    }
    by_grantee
        .into_iter()
        .map(|(grantee, mut list)| {
            list.sort();
            GrantDoc {
                grantee: grantee.as_str().to_string(),
                privileges: list.into_iter().map(|(_, t)| t).collect(),
            }
        })
        .collect()
}

/// `INSERT`, `UPDATE OF title, slug`.
fn event(event: &TriggerEvent) -> String {
    match event {
        TriggerEvent::Insert => "INSERT".into(),
        TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE".into(),
        TriggerEvent::Update { columns } => format!(
            "UPDATE OF {}",
            columns
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        TriggerEvent::Delete => "DELETE".into(),
        TriggerEvent::Truncate => "TRUNCATE".into(),
    }
}
