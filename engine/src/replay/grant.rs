//! `GRANT` and `REVOKE` of object privileges: tables (and views), columns,
//! sequences, functions, schemas and `ALL … IN SCHEMA`. The Catalog keeps
//! each object's effective ACL without the owner's entries (the migration
//! role, [`MIGRATION_ROLE`], owns everything the migrations create), so a
//! grant to that role changes nothing.

use super::errors::{StmtError, StmtResult};
use super::function::resolve_function;
use super::notes::Remark;
use super::{Replay, display_name, label_of, qual_name};
use schema::provided::is_external_schema;
use schema::security::PUBLIC;
use schema::{Grant, GrantTarget, Ident, ObjectClass, Privilege, QualName};
use sqlparser::ast;

/// The role that runs the migrations and owns what they create.
pub(super) const MIGRATION_ROLE: &str = "postgres";

/// One privilege as written: `UPDATE (a, b)` carries its columns.
pub(super) struct Written {
    pub privilege: Privilege,
    pub columns: Option<Vec<Ident>>,
}

/// The privileges of `GRANT ALL` or a list, for objects of `class`.
pub(super) fn privileges(p: &ast::Privileges, class: ObjectClass) -> StmtResult<Vec<Written>> {
    let actions = match p {
        ast::Privileges::All { .. } => {
            return Ok(Privilege::all_for(class)
                .iter()
                .map(|&privilege| Written {
                    privilege,
                    columns: None,
                })
                .collect());
        }
        ast::Privileges::Actions(actions) => actions,
    };
    let cols =
        |c: &Option<Vec<ast::Ident>>| c.as_ref().map(|c| c.iter().map(Ident::from_ast).collect());
    let mut out = Vec::new();
    for a in actions {
        let (privilege, columns) = match a {
            ast::Action::Select { columns } => (Privilege::Select, cols(columns)),
            ast::Action::Insert { columns } => (Privilege::Insert, cols(columns)),
            ast::Action::Update { columns } => (Privilege::Update, cols(columns)),
            ast::Action::References { columns } => (Privilege::References, cols(columns)),
            ast::Action::Delete => (Privilege::Delete, None),
            ast::Action::Truncate => (Privilege::Truncate, None),
            ast::Action::Trigger => (Privilege::Trigger, None),
            ast::Action::Usage => (Privilege::Usage, None),
            ast::Action::Create { obj_type: None } => (Privilege::Create, None),
            ast::Action::Execute { obj_type: None } => (Privilege::Execute, None),
            other => {
                return Err(StmtError::invalid(format!(
                    "privilege {other} is not one the replay models"
                ))
                .hint("object privileges are SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, USAGE, CREATE and EXECUTE"));
            }
        };
        if columns.is_some() && class != ObjectClass::Table {
            return Err(StmtError::invalid(
                "column privileges are only valid for tables and views",
            ));
        }
        if !Privilege::all_for(if columns.is_some() {
            ObjectClass::Column
        } else {
            class
        })
        .contains(&privilege)
        {
            return Err(StmtError::invalid(format!(
                "invalid privilege type {} for {}",
                privilege.sql(),
                class_name(class)
            ))
            .hint(format!(
                "{} takes {}",
                class_name(class),
                Privilege::all_for(class)
                    .iter()
                    .map(|p| p.sql())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        out.push(Written { privilege, columns });
    }
    Ok(out)
}

fn class_name(class: ObjectClass) -> &'static str {
    match class {
        ObjectClass::Schema => "schema",
        ObjectClass::Table => "relation",
        ObjectClass::Column => "column",
        ObjectClass::Sequence => "sequence",
        ObjectClass::Function => "function",
        ObjectClass::Type => "type",
    }
}

/// Grantees, `PUBLIC` as [`PUBLIC`].
pub(super) fn grantees(list: &[ast::Grantee]) -> StmtResult<Vec<Ident>> {
    list.iter()
        .map(|g| match (&g.grantee_type, &g.name) {
            (ast::GranteesType::Public, _) => Ok(Ident::new(PUBLIC)),
            (_, Some(ast::GranteeName::ObjectName(n))) => match n.0.as_slice() {
                [part] => part
                    .as_ident()
                    .map(Ident::from_ast)
                    .ok_or_else(|| StmtError::invalid(format!("improper role name: {n}"))),
                _ => Err(StmtError::invalid(format!("improper role name: {n}"))),
            },
            _ => Err(StmtError::invalid(format!("improper grantee: {g}"))),
        })
        .collect()
}

/// Adds `grantee`'s `privilege` on `on`; an entry with the grant option
/// keeps it (granting again without the option does not remove it).
pub(super) fn add_grant(
    r: &mut Replay,
    on: &GrantTarget,
    grantee: &Ident,
    privilege: Privilege,
    grantable: bool,
) {
    // The migration role owns what the migrations create, so its own
    // privileges are implicit there; `public` belongs to
    // `pg_database_owner`, so a grant on it to postgres is recorded.
    let public_schema = matches!(on, GrantTarget::Schema { schema } if schema.as_str() == schema::ident::DEFAULT_SCHEMA);
    if grantee.as_str() == MIGRATION_ROLE && !public_schema {
        return;
    }
    let entry = |grantable| Grant {
        on: on.clone(),
        grantee: grantee.clone(),
        privilege,
        grantable,
    };
    if r.catalog.grants.contains(&entry(true)) {
        return;
    }
    r.catalog.grants.remove(&entry(false));
    r.catalog.grants.insert(entry(grantable));
}

/// Removes `grantee`'s `privilege` on `on`, or only its grant option.
pub(super) fn remove_grant(
    r: &mut Replay,
    on: &GrantTarget,
    grantee: &Ident,
    privilege: Privilege,
    option_only: bool,
) {
    let entry = |grantable| Grant {
        on: on.clone(),
        grantee: grantee.clone(),
        privilege,
        grantable,
    };
    let had_option = r.catalog.grants.remove(&entry(true));
    if option_only {
        if had_option {
            r.catalog.grants.insert(entry(false));
        }
    } else {
        r.catalog.grants.remove(&entry(false));
    }
}

/// What a `GRANT`/`REVOKE` names, resolved against the Catalog. Objects
/// the platform owns (`storage.objects`, `auth.uid()`) are not modeled and
/// come back in the second list, for a note.
fn targets(
    r: &Replay,
    objects: &ast::GrantObjects,
) -> StmtResult<(ObjectClass, Vec<GrantTarget>, Vec<String>)> {
    use ast::GrantObjects as G;
    let mut external = Vec::new();
    let schemas = |names: &[ast::ObjectName]| -> StmtResult<Vec<Ident>> {
        names
            .iter()
            .map(|n| {
                let s = schema_name(n)?;
                r.require_schema(&s)?;
                Ok(s)
            })
            .collect()
    };
    let (class, list) = match objects {
        G::Tables(names) | G::Views(names) => {
            let mut out = Vec::new();
            for n in names {
                let t = qual_name(n)?;
                if r.catalog.tables.contains_key(&t) || r.catalog.views.contains_key(&t) {
                    out.push(GrantTarget::Table { table: t });
                } else if is_external_schema(t.schema.as_str()) {
                    external.push(t.to_string());
                } else {
                    return Err(super::missing_relation(&t));
                }
            }
            (ObjectClass::Table, out)
        }
        G::Sequences(names) => {
            let mut out = Vec::new();
            for n in names {
                let s = qual_name(n)?;
                if super::serial::sequence_exists(r, &s) {
                    out.push(GrantTarget::Sequence { sequence: s });
                } else {
                    // Sequences of their own (CREATE SEQUENCE) are not modeled.
                    external.push(s.to_string());
                }
            }
            (ObjectClass::Sequence, out)
        }
        G::Schemas(names) => (
            ObjectClass::Schema,
            schemas(names)?
                .into_iter()
                .map(|schema| GrantTarget::Schema { schema })
                .collect(),
        ),
        G::Functions(descs) | G::Routines(descs) => {
            let mut out = Vec::new();
            for d in descs {
                match resolve_function(r, d)? {
                    Some(id) => out.push(GrantTarget::Function { function: id }),
                    None => external.push(d.to_string()),
                }
            }
            (ObjectClass::Function, out)
        }
        G::AllTablesInSchema { schemas: names } => {
            let schemas = schemas(names)?;
            let tables = r
                .catalog
                .tables
                .keys()
                .chain(r.catalog.views.keys())
                .filter(|t| schemas.contains(&t.schema))
                .map(|t| GrantTarget::Table { table: t.clone() })
                .collect();
            (ObjectClass::Table, tables)
        }
        G::AllSequencesInSchema { schemas: names } => {
            let schemas = schemas(names)?;
            let seqs = r
                .catalog
                .tables
                .values()
                .filter(|t| schemas.contains(&t.name.schema))
                .flat_map(super::serial::owned_sequences)
                .filter(|s| schemas.contains(&s.schema))
                .map(|sequence| GrantTarget::Sequence { sequence })
                .collect();
            (ObjectClass::Sequence, seqs)
        }
        G::AllFunctionsInSchema { schemas: names } | G::AllRoutinesInSchema { schemas: names } => {
            let schemas = schemas(names)?;
            let fns = r
                .catalog
                .functions
                .keys()
                .filter(|f| schemas.contains(&f.name.schema))
                .map(|f| GrantTarget::Function {
                    function: f.clone(),
                })
                .collect();
            (ObjectClass::Function, fns)
        }
        other => {
            return Err(StmtError::invalid(format!(
                "GRANT ON {other} is not one the replay models"
            )));
        }
    };
    Ok((class, list, external))
}

pub(super) fn schema_name(n: &ast::ObjectName) -> StmtResult<Ident> {
    match n.0.as_slice() {
        [p] => p.as_ident().map(Ident::from_ast),
        _ => None,
    }
    .ok_or_else(|| StmtError::invalid(format!("improper schema name: {n}")))
}

/// Column privileges expand to one entry per column, which must exist.
fn expand(r: &Replay, on: &GrantTarget, w: &Written) -> StmtResult<Vec<GrantTarget>> {
    match (&w.columns, on) {
        (Some(columns), GrantTarget::Table { table }) => {
            let known: Option<Vec<Ident>> = match r.catalog.tables.get(table) {
                Some(t) => Some(t.columns.iter().map(|c| c.name.clone()).collect()),
                // A view's columns are only known when listed.
                None => r
                    .catalog
                    .views
                    .get(table)
                    .filter(|v| !v.columns.is_empty())
                    .map(|v| v.columns.clone()),
            };
            columns
                .iter()
                .map(|c| {
                    if known.as_ref().is_some_and(|k| !k.contains(c)) {
                        return Err(StmtError::missing(format!(
                            "column {} of relation \"{}\" does not exist",
                            super::q(c),
                            display_name(table)
                        )));
                    }
                    Ok(GrantTarget::Column {
                        table: table.clone(),
                        column: c.clone(),
                    })
                })
                .collect()
        }
        _ => Ok(vec![on.clone()]),
    }
}

pub(super) fn grant(
    r: &mut Replay,
    g: &ast::Grant,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let Some(objects) = &g.objects else {
        notes.push(Remark::outside_model(&label_of(text)));
        return Ok(());
    };
    if outside_model(objects, text, notes) {
        return Ok(());
    }
    let (class, on, external) = targets(r, objects)?;
    note_external(&external, text, notes);
    let privileges = privileges(&g.privileges, class)?;
    let grantees = grantees(&g.grantees)?;
    for target in &on {
        for w in &privileges {
            for t in expand(r, target, w)? {
                for grantee in &grantees {
                    add_grant(r, &t, grantee, w.privilege, g.with_grant_option);
                }
            }
        }
    }
    Ok(())
}

pub(super) fn revoke(
    r: &mut Replay,
    g: &ast::Revoke,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let Some(objects) = &g.objects else {
        notes.push(Remark::outside_model(&label_of(text)));
        return Ok(());
    };
    if outside_model(objects, text, notes) {
        return Ok(());
    }
    let (class, on, external) = targets(r, objects)?;
    note_external(&external, text, notes);
    let privileges = privileges(&g.privileges, class)?;
    let grantees = grantees(&g.grantees)?;
    for target in &on {
        for w in &privileges {
            let mut targets = expand(r, target, w)?;
            // Revoking a table privilege revokes it on every column too.
            if let (None, GrantTarget::Table { table }) = (&w.columns, target) {
                targets.extend(
                    r.catalog
                        .grants
                        .iter()
                        .filter(|g| {
                            g.privilege == w.privilege
                                && matches!(&g.on, GrantTarget::Column { table: t, .. } if t == table)
                        })
                        .map(|g| g.on.clone()),
                );
            }
            for t in targets {
                for grantee in &grantees {
                    remove_grant(r, &t, grantee, w.privilege, g.grant_option_for);
                }
            }
        }
    }
    Ok(())
}

/// Privileges on the database itself (`GRANT … ON DATABASE postgres`, which
/// `db dump` writes) are cluster state, not schema: a notice.
fn outside_model(objects: &ast::GrantObjects, text: &str, notes: &mut Vec<Remark>) -> bool {
    if let ast::GrantObjects::Databases(names) = objects {
        notes.push(
            Remark::outside_model(&format!("{} (database privileges)", label_of(text)))
                .with_objects(names.iter().map(ToString::to_string)),
        );
        return true;
    }
    false
}

fn note_external(external: &[String], text: &str, notes: &mut Vec<Remark>) {
    if !external.is_empty() {
        notes.push(
            Remark::outside_model(&format!(
                "{} on objects the migrations do not create",
                label_of(text)
            ))
            .with_objects(external.iter().cloned()),
        );
    }
}

/// Privileges a newly created table (or view) and its owned sequences
/// receive from the default privileges in force.
pub(super) fn grant_table_defaults(r: &mut Replay, table: &QualName) {
    r.catalog.grant_defaults(
        GrantTarget::Table {
            table: table.clone(),
        },
        ObjectClass::Table,
    );
    if let Some(t) = r.catalog.tables.get(table) {
        for sequence in super::serial::owned_sequences(t) {
            r.catalog
                .grant_defaults(GrantTarget::Sequence { sequence }, ObjectClass::Sequence);
        }
    }
}
