//! `ALTER DEFAULT PRIVILEGES [FOR ROLE postgres] [IN SCHEMA …] GRANT|REVOKE
//! … ON TABLES|SEQUENCES|FUNCTIONS|TYPES|SCHEMAS`, for objects the
//! migration role creates. Entries without a schema are the role's global
//! defaults (they start as PostgreSQL's built-in ones, see
//! `schema::provided::platform_catalog`); entries for a schema add to them,
//! and revoking there removes only what was granted there, as in
//! PostgreSQL.

use super::Replay;
use super::errors::{StmtError, StmtResult};
use super::grant::{MIGRATION_ROLE, grantees, privileges, schema_name};
use super::notes::Remark;
use schema::{DefaultPrivilege, Ident, ObjectClass};
use sqlparser::ast::{
    self, AlterDefaultPrivilegesOperation as Op, DefaultPrivilegesObjectType as K,
};

pub(super) fn alter_default_privileges(
    r: &mut Replay,
    adp: &ast::AlterDefaultPrivileges,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let mut schemas: Vec<Option<Ident>> = Vec::new();
    for option in &adp.options {
        match option {
            ast::DefaultPrivilegesOption::ForRole(roles) => {
                let others: Vec<String> = roles
                    .iter()
                    .map(Ident::from_ast)
                    .filter(|r| r.as_str() != MIGRATION_ROLE)
                    .map(|r| r.as_str().to_string())
                    .collect();
                if !others.is_empty() {
                    // Objects those roles create are not the migrations'.
                    notes.push(
                        Remark::outside_model(&format!(
                            "ALTER DEFAULT PRIVILEGES FOR ROLE {}",
                            others.join(", ")
                        ))
                        .with_objects(others),
                    );
                    return Ok(());
                }
            }
            ast::DefaultPrivilegesOption::InSchema(names) => {
                for n in names {
                    let s = schema_name(n)?;
                    r.require_schema(&s)?;
                    schemas.push(Some(s));
                }
            }
        }
    }
    if schemas.is_empty() {
        schemas.push(None);
    }
    let (object_type, grant, option) = match &adp.operation {
        Op::Grant {
            object_type,
            with_grant_option,
            ..
        } => (object_type, true, *with_grant_option),
        Op::Revoke {
            object_type,
            grant_option_for,
            ..
        } => (object_type, false, *grant_option_for),
    };
    let class = match object_type {
        K::Tables => ObjectClass::Table,
        K::Sequences => ObjectClass::Sequence,
        K::Functions | K::Routines => ObjectClass::Function,
        K::Types => ObjectClass::Type,
        K::Schemas => ObjectClass::Schema,
        K::LargeObjects => {
            notes.push(Remark::outside_model(
                "ALTER DEFAULT PRIVILEGES … ON LARGE OBJECTS",
            ));
            return Ok(());
        }
    };
    if class == ObjectClass::Schema && schemas.iter().any(Option::is_some) {
        return Err(StmtError::invalid(
            "cannot use IN SCHEMA clause when using GRANT/REVOKE ON SCHEMAS",
        ));
    }
    let (privs, who) = match &adp.operation {
        Op::Grant {
            privileges: p,
            grantees: g,
            ..
        }
        | Op::Revoke {
            privileges: p,
            grantees: g,
            ..
        } => (privileges(p, class)?, grantees(g)?),
    };
    for schema in &schemas {
        for w in &privs {
            // The owner's own privileges are implicit: PostgreSQL records
            // nothing for `… FOR ROLE postgres … TO postgres` (what
            // `db dump` writes), and objects get no entry for it.
            for grantee in who.iter().filter(|g| g.as_str() != MIGRATION_ROLE) {
                let entry = |grantable| DefaultPrivilege {
                    schema: schema.clone(),
                    objects: class,
                    grantee: grantee.clone(),
                    privilege: w.privilege,
                    grantable,
                };
                let set = &mut r.catalog.default_privileges;
                if grant {
                    if !set.contains(&entry(true)) {
                        set.remove(&entry(false));
                        set.insert(entry(option));
                    }
                } else {
                    let had_option = set.remove(&entry(true));
                    if option {
                        if had_option {
                            set.insert(entry(false));
                        }
                    } else {
                        set.remove(&entry(false));
                    }
                }
            }
        }
    }
    Ok(())
}
