//! Default privileges (`pg_default_acl`) of the role that introspects — the
//! role that runs the migrations — globally and in the managed schemas.
//!
//! A global entry for a kind of object replaces PostgreSQL's built-in
//! defaults for it (and holds the role's own privileges, which are left out
//! as for grants); without one, the built-ins apply
//! ([`schema::security::builtin_default_privileges`]). Entries for a schema
//! add to the global ones, as the model keeps them.

use super::grants::privilege;
use super::{IntrospectError, Reader, get};
use schema::security::builtin_default_privileges;
use schema::{Catalog, DefaultPrivilege, Ident, ObjectClass};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn read(reader: &mut Reader, catalog: &mut Catalog) -> Result<(), IntrospectError> {
    let schemas = reader.schemas.clone();
    let what = "default privileges";
    let rows = reader.query(
        what,
        "SELECT n.nspname::text, d.defaclobjtype::text,
                CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee)::text END,
                a.privilege_type, a.is_grantable
           FROM pg_default_acl d
           LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace,
                aclexplode(d.defaclacl) AS a
          WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
            AND (d.defaclnamespace = 0 OR n.nspname::text = ANY($1))
            AND a.grantee <> d.defaclrole",
        &[&schemas],
    )?;
    // Classes with a global entry, even one that keeps nothing but the
    // role's own privileges: those replace the built-ins.
    let global_rows = reader.query(
        what,
        "SELECT d.defaclobjtype::text FROM pg_default_acl d
          WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
            AND d.defaclnamespace = 0",
        &[],
    )?;
    let mut replaced = BTreeSet::new();
    for row in global_rows {
        replaced.insert(class(&get::<String>(&row, 0, what)?)?);
    }
    catalog.default_privileges.extend(
        builtin_default_privileges()
            .into_iter()
            .filter(|d| !replaced.contains(&d.objects)),
    );
    let mut entries: BTreeMap<(Option<Ident>, ObjectClass, Ident, schema::Privilege), bool> =
        BTreeMap::new();
    for row in rows {
        let schema = get::<Option<String>>(&row, 0, what)?.map(Ident::new);
        let objects = class(&get::<String>(&row, 1, what)?)?;
        let grantee = Ident::new(get::<String>(&row, 2, what)?);
        let Some(privilege) = privilege(&get::<String>(&row, 3, what)?) else {
            continue;
        };
        let grantable: bool = get(&row, 4, what)?;
        *entries
            .entry((schema, objects, grantee, privilege))
            .or_insert(false) |= grantable;
    }
    catalog.default_privileges.extend(entries.into_iter().map(
        |((schema, objects, grantee, privilege), grantable)| DefaultPrivilege {
            schema,
            objects,
            grantee,
            privilege,
            grantable,
        },
    ));
    Ok(())
}

/// `defaclobjtype` as a model class.
fn class(objtype: &str) -> Result<ObjectClass, IntrospectError> {
    Ok(match objtype {
        "r" => ObjectClass::Table,
        "S" => ObjectClass::Sequence,
        "f" => ObjectClass::Function,
        "T" => ObjectClass::Type,
        "n" => ObjectClass::Schema,
        other => {
            return Err(IntrospectError::Unexpected {
                object: "default privileges".into(),
                detail: format!("unknown defaclobjtype `{other}`"),
            });
        }
    })
}
