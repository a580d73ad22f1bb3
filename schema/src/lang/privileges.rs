//! Privileges of the declared objects. The desired default privileges are
//! the platform's edited by the `default-privileges` blocks; every
//! declared object then receives what they give it at creation (a table's
//! serial/identity sequences too), and its `grant`/`revoke` edits are
//! applied on top (revokes first).

use super::decl::TableDecl;
use super::errors::{Diag, Sink};
use super::grant::{self, GrantEdit};
use super::validate::{Security, check_columns};
use crate::catalog::{Catalog, Table};
use crate::ident::{DEFAULT_SCHEMA, Ident, QualName};
use crate::names::{make_object_name, serial_sequence};
use crate::security::{GrantTarget, ObjectClass};
use std::collections::BTreeMap;

pub fn build(
    catalog: &mut Catalog,
    security: &Security,
    tables: &BTreeMap<QualName, TableDecl>,
    sink: &mut Sink,
) {
    super::default_privileges::apply(catalog, &security.default_privileges);

    for (schema, edits) in &security.schema_grants {
        let on = GrantTarget::Schema {
            schema: schema.clone(),
        };
        // `public` exists before any migration, with the platform's grants.
        if schema.as_str() != DEFAULT_SCHEMA {
            catalog.grant_defaults(on.clone(), ObjectClass::Schema);
        }
        grant::apply(catalog, edits, ObjectClass::Schema, |_| vec![on.clone()]);
    }

    for (name, t) in tables {
        let Some(table) = catalog.tables.get(name) else {
            continue;
        };
        let sequences = owned_sequences(table);
        let on = GrantTarget::Table {
            table: name.clone(),
        };
        catalog.grant_defaults(on.clone(), ObjectClass::Table);
        for seq in &sequences {
            catalog.grant_defaults(
                GrantTarget::Sequence {
                    sequence: seq.clone(),
                },
                ObjectClass::Sequence,
            );
        }
        let mut edits: Vec<&GrantEdit> = Vec::new();
        for e in &t.grants {
            let before = sink.diags.len();
            check_columns(t, &e.columns, e.verb(), sink);
            if let Some((seq, at)) = &e.sequence
                && !sequences.contains(seq)
            {
                let owned: Vec<String> = sequences.iter().map(|s| s.to_string()).collect();
                let help = if owned.is_empty() {
                    format!("{name} owns no sequence (only serial and identity columns do)")
                } else {
                    format!("sequences {name} owns: {}", owned.join(", "))
                };
                sink.push(
                    Diag::new(
                        *at,
                        format!("{seq} is not a sequence of {name}"),
                        "not owned by this table",
                    )
                    .help(help),
                );
            }
            if sink.diags.len() == before {
                edits.push(e);
            }
        }
        let edits: Vec<GrantEdit> = edits.into_iter().cloned().collect();
        grant::apply(catalog, &edits, ObjectClass::Table, |e| target(name, e));
    }

    for v in &security.views {
        if !catalog.views.contains_key(&v.view.name) {
            continue;
        }
        let on = GrantTarget::Table {
            table: v.view.name.clone(),
        };
        catalog.grant_defaults(on.clone(), ObjectClass::Table);
        grant::apply(catalog, &v.grants, ObjectClass::Table, |_| vec![on.clone()]);
    }

    for f in &security.functions {
        let id = f.function.id();
        if catalog.functions.get(&id) != Some(&f.function) {
            continue;
        }
        let on = GrantTarget::Function { function: id };
        catalog.grant_defaults(on.clone(), ObjectClass::Function);
        grant::apply(catalog, &f.grants, ObjectClass::Function, |_| {
            vec![on.clone()]
        });
    }
}

/// What one table edit is on: the table, its named columns, or one of its
/// sequences.
fn target(table: &QualName, e: &GrantEdit) -> Vec<GrantTarget> {
    if let Some((sequence, _)) = &e.sequence {
        return vec![GrantTarget::Sequence {
            sequence: sequence.clone(),
        }];
    }
    if !e.columns.is_empty() {
        return e
            .columns
            .iter()
            .map(|c| GrantTarget::Column {
                table: table.clone(),
                column: c.name.clone(),
            })
            .collect();
    }
    vec![GrantTarget::Table {
        table: table.clone(),
    }]
}

/// The sequences a table owns: one per serial column (named in its
/// default) and per identity column (named as PostgreSQL names it).
pub fn owned_sequences(table: &Table) -> Vec<QualName> {
    let mut out = Vec::new();
    for c in &table.columns {
        if c.identity.is_some() {
            let name = make_object_name(table.name.name.as_str(), Some(c.name.as_str()), "seq");
            out.push(QualName::new(table.name.schema.clone(), Ident::new(name)));
        } else if let Some(seq) = c.default.as_ref().and_then(serial_sequence)
            && seq.schema == table.name.schema
        {
            out.push(seq);
        }
    }
    out
}
