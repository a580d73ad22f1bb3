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

/// The sequences a table owns: one per serial or identity column, named
/// `<table>_<column>_seq` as PostgreSQL names it (and the loader's
/// `serial` default spells it).
pub fn owned_sequences(table: &Table) -> Vec<QualName> {
    let mut out = Vec::new();
    for c in &table.columns {
        let name = make_object_name(table.name.name.as_str(), Some(c.name.as_str()), "seq");
        let own = QualName::new(table.name.schema.clone(), Ident::new(name));
        // A `nextval` default of another sequence is a use, not ownership.
        let serial = c.default.as_ref().and_then(serial_sequence).as_ref() == Some(&own);
        if c.identity.is_some() || serial {
            out.push(own);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lang::test_util::{errors, load};
    use crate::{Catalog, GrantTarget, Ident, QualName};

    /// `role:privilege` held on `on`, sorted.
    fn held(c: &Catalog, on: &GrantTarget) -> Vec<String> {
        c.grants
            .iter()
            .filter(|g| &g.on == on)
            .map(|g| {
                format!(
                    "{}:{}{}",
                    g.grantee,
                    g.privilege.sql().to_lowercase(),
                    if g.grantable { "*" } else { "" }
                )
            })
            .collect()
    }

    fn table(name: &str) -> GrantTarget {
        GrantTarget::Table {
            table: QualName::from(name),
        }
    }

    #[test]
    fn objects_start_from_the_desired_defaults() {
        // public: Supabase's defaults give the API roles everything.
        let c = load("table t { column id serial }").unwrap();
        assert_eq!(held(&c, &table("public.t")).len(), 21);
        let seq = GrantTarget::Sequence {
            sequence: QualName::from("public.t_id_seq"),
        };
        assert_eq!(held(&c, &seq).len(), 9);
        // core: nothing but what its default privileges add.
        let c = load(
            "schema core { default-privileges { grant select on=tables to=authenticated } }\n\
             table core.t { column id int identity=always }",
        )
        .unwrap();
        assert_eq!(held(&c, &table("core.t")), ["authenticated:select"]);
        let seq = GrantTarget::Sequence {
            sequence: QualName::from("core.t_id_seq"),
        };
        assert!(held(&c, &seq).is_empty());
    }

    #[test]
    fn revokes_apply_before_grants_whatever_the_order() {
        let c =
            load("table t { column a int; grant select to=anon; revoke all from=anon }").unwrap();
        let anon: Vec<String> = held(&c, &table("public.t"))
            .into_iter()
            .filter(|g| g.starts_with("anon"))
            .collect();
        assert_eq!(anon, ["anon:select"]);
    }

    #[test]
    fn schema_default_revokes_only_remove_their_own_entries() {
        let c = load(
            "schema public { default-privileges { revoke all on=tables from=anon } }\n\
             default-privileges { revoke execute on=functions from=public }\n\
             table t { column a int }",
        )
        .unwrap();
        assert!(
            !held(&c, &table("public.t"))
                .iter()
                .any(|g| g.starts_with("anon"))
        );
        assert!(!c.default_privileges.iter().any(|d| d.schema.is_none()
            && d.grantee.as_str() == "public"
            && d.objects == crate::ObjectClass::Function));
    }

    #[test]
    fn grant_option_columns_and_table_revokes() {
        let c = load(
            "schema core\ntable core.t {\n    column a int\n    column b int\n    grant select to=anon grant-option=#true\n    grant update to=anon columns=\"a b\"\n}",
        )
        .unwrap();
        assert_eq!(held(&c, &table("core.t")), ["anon:select*"]);
        let col = GrantTarget::Column {
            table: QualName::from("core.t"),
            column: Ident::new("b"),
        };
        assert_eq!(held(&c, &col), ["anon:update"]);
    }

    #[test]
    fn schemas_and_functions() {
        let c = load(
            "schema core { grant usage to=authenticated }\n\
             function core.f returns=void language=sql { body \"select\"; revoke execute from=public; grant execute to=anon }",
        )
        .unwrap();
        let schema = GrantTarget::Schema {
            schema: Ident::new("core"),
        };
        assert_eq!(held(&c, &schema), ["authenticated:usage"]);
        let f = c.functions.keys().next().unwrap().clone();
        assert_eq!(
            held(&c, &GrantTarget::Function { function: f }),
            ["anon:execute"]
        );
    }

    #[test]
    fn sequences_must_be_owned() {
        let e = errors("table t { column a int; grant usage sequence=t_a_seq to=anon }");
        assert!(
            e.contains("public.t_a_seq is not a sequence of public.t"),
            "{e}"
        );
        let e = errors("table t { column a int; grant select to=anon columns=z }");
        assert!(e.contains("grant names column `z`"), "{e}");
    }
}
