//! Privileges (ACLs) on the managed schemas and on what was read in them:
//! tables, views, their columns, the sequences their serial and identity
//! columns own, and functions.
//!
//! As the model stores them (see [`schema::security`]): effective entries —
//! an object that was never granted or revoked on has a NULL ACL, which
//! means PostgreSQL's default (`acldefault`) — without the owner's own
//! entries, `PUBLIC` as `public`, one entry per grantee and privilege
//! (granted by several grantors, it is grantable if any grant is).
//! Privileges the model has no name for (`MAINTAIN`, PostgreSQL 17) are left
//! out.

use super::functions::FunctionOids;
use super::{IntrospectError, Reader, TableOids, get};
use schema::{Catalog, Grant, GrantTarget, Ident, Privilege, QualName};
use std::collections::BTreeMap;

/// The grantee column of an `aclexplode` row.
const GRANTEE: &str =
    "CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee)::text END";

pub(super) fn read(
    reader: &mut Reader,
    relations: &TableOids,
    tables: &TableOids,
    functions: &FunctionOids,
    catalog: &mut Catalog,
) -> Result<(), IntrospectError> {
    let mut found = Found::default();

    let schemas = reader.schemas.clone();
    let what = "schema privileges";
    let sql = format!(
        "SELECT n.nspname::text, {GRANTEE}, a.privilege_type, a.is_grantable
           FROM pg_namespace n,
                aclexplode(COALESCE(n.nspacl, acldefault('n', n.nspowner))) AS a
          WHERE n.nspname::text = ANY($1) AND a.grantee <> n.nspowner"
    );
    for row in reader.query(what, &sql, &[&schemas])? {
        let schema = Ident::new(get::<String>(&row, 0, what)?);
        found.add(GrantTarget::Schema { schema }, &row, what)?;
    }

    // Relations: tables and views as TABLE, owned sequences as SEQUENCE.
    let mut targets: BTreeMap<u32, GrantTarget> = relations
        .iter()
        .map(|(oid, table)| {
            let target = GrantTarget::Table {
                table: table.clone(),
            };
            (*oid, target)
        })
        .collect();
    let table_oids: Vec<u32> = tables.keys().copied().collect();
    let what = "owned sequences";
    let rows = reader.query(
        what,
        "SELECT s.oid, n.nspname::text, s.relname::text
           FROM pg_class s
           JOIN pg_namespace n ON n.oid = s.relnamespace
           JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
                           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
          WHERE s.relkind = 'S' AND d.refobjid = ANY($1)",
        &[&table_oids],
    )?;
    for row in rows {
        let sequence = QualName::new(
            Ident::new(get::<String>(&row, 1, what)?),
            Ident::new(get::<String>(&row, 2, what)?),
        );
        targets.insert(get(&row, 0, what)?, GrantTarget::Sequence { sequence });
    }
    let oid_list: Vec<u32> = targets.keys().copied().collect();
    let what = "table, view and sequence privileges";
    let sql = format!(
        "SELECT c.oid, {GRANTEE}, a.privilege_type, a.is_grantable
           FROM pg_class c,
                aclexplode(COALESCE(c.relacl, acldefault(
                    CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))) AS a
          WHERE c.oid = ANY($1) AND a.grantee <> c.relowner"
    );
    for row in reader.query(what, &sql, &[&oid_list])? {
        let target = targets[&get::<u32>(&row, 0, what)?].clone();
        found.add(target, &row, what)?;
    }

    // Columns have no default privileges: a NULL ACL is an empty one.
    let relation_oids: Vec<u32> = relations.keys().copied().collect();
    let what = "column privileges";
    let sql = format!(
        "SELECT att.attrelid, att.attname::text, {GRANTEE}, a.privilege_type, a.is_grantable
           FROM pg_attribute att
           JOIN pg_class c ON c.oid = att.attrelid,
                aclexplode(att.attacl) AS a
          WHERE att.attrelid = ANY($1) AND att.attnum > 0 AND NOT att.attisdropped
            AND att.attacl IS NOT NULL AND a.grantee <> c.relowner"
    );
    for row in reader.query(what, &sql, &[&relation_oids])? {
        let target = GrantTarget::Column {
            table: relations[&get::<u32>(&row, 0, what)?].clone(),
            column: Ident::new(get::<String>(&row, 1, what)?),
        };
        found.add_at(target, &row, 2, what)?;
    }

    let function_oids: Vec<u32> = functions.keys().copied().collect();
    let what = "function privileges";
    let sql = format!(
        "SELECT p.oid, {GRANTEE}, a.privilege_type, a.is_grantable
           FROM pg_proc p,
                aclexplode(COALESCE(p.proacl, acldefault('f', p.proowner))) AS a
          WHERE p.oid = ANY($1) AND a.grantee <> p.proowner"
    );
    for row in reader.query(what, &sql, &[&function_oids])? {
        let function = functions[&get::<u32>(&row, 0, what)?].clone();
        found.add(GrantTarget::Function { function }, &row, what)?;
    }

    catalog.grants.extend(
        found
            .0
            .into_iter()
            .map(|((on, grantee, privilege), grantable)| Grant {
                on,
                grantee,
                privilege,
                grantable,
            }),
    );
    Ok(())
}

/// Entries found so far; grantable if any grantor gave the option.
#[derive(Default)]
struct Found(BTreeMap<(GrantTarget, Ident, Privilege), bool>);

impl Found {
    /// Adds the entry in columns 1 (grantee), 2 (privilege), 3 (grantable).
    fn add(
        &mut self,
        on: GrantTarget,
        row: &postgres::Row,
        what: &'static str,
    ) -> Result<(), IntrospectError> {
        self.add_at(on, row, 1, what)
    }

    /// Adds the entry whose grantee is in column `first`.
    fn add_at(
        &mut self,
        on: GrantTarget,
        row: &postgres::Row,
        first: usize,
        what: &'static str,
    ) -> Result<(), IntrospectError> {
        let grantee = Ident::new(get::<String>(row, first, what)?);
        let Some(privilege) = privilege(&get::<String>(row, first + 1, what)?) else {
            return Ok(());
        };
        let grantable: bool = get(row, first + 2, what)?;
        *self.0.entry((on, grantee, privilege)).or_insert(false) |= grantable;
        Ok(())
    }
}

/// A privilege as `aclexplode` names it; `None` for those the model leaves
/// out.
pub(super) fn privilege(name: &str) -> Option<Privilege> {
    Privilege::ALL.into_iter().find(|p| p.sql() == name)
}
