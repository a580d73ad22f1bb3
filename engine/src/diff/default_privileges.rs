//! `ALTER DEFAULT PRIVILEGES [IN SCHEMA s]`, compared per (schema, kind of
//! object, grantee). Global entries (no schema) are compared too: they
//! replace PostgreSQL's built-in defaults, which both Catalogs start from.

use super::grants::compare;
use super::{Change, Ctx};
use schema::{Catalog, Ident, ObjectClass, Privilege};
use std::collections::{BTreeMap, BTreeSet};

type Group = (Option<Ident>, ObjectClass, Ident);

fn groups(catalog: &Catalog) -> BTreeMap<Group, BTreeMap<Privilege, bool>> {
    let mut out: BTreeMap<Group, BTreeMap<Privilege, bool>> = BTreeMap::new();
    for d in &catalog.default_privileges {
        out.entry((d.schema.clone(), d.objects, d.grantee.clone()))
            .or_default()
            .insert(d.privilege, d.grantable);
    }
    out
}

pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) {
    let have = groups(&ctx.current);
    let want = groups(&ctx.desired);
    let keys: BTreeSet<&Group> = have.keys().chain(want.keys()).collect();
    let empty = BTreeMap::new();
    for key in keys {
        let (schema, objects, grantee) = key.clone();
        let delta = compare(
            have.get(key).unwrap_or(&empty),
            want.get(key).unwrap_or(&empty),
        );
        let mut push = |privileges: Vec<Privilege>, grant: bool, grant_option: bool| {
            if !privileges.is_empty() {
                out.push(Change::DefaultPrivileges {
                    schema: schema.clone(),
                    objects,
                    grantee: grantee.clone(),
                    privileges,
                    grant,
                    grant_option,
                });
            }
        };
        push(delta.revoke, false, false);
        push(delta.revoke_option, false, true);
        push(delta.grant, true, false);
        push(delta.grant_with_option, true, true);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::{DefaultPrivilege, ObjectClass, Privilege};

    #[test]
    fn per_schema_and_global() {
        let d = |schema: Option<&str>, grantee: &str, p: Privilege| DefaultPrivilege {
            schema: schema.map(id),
            objects: if p == Privilege::Execute {
                ObjectClass::Function
            } else {
                ObjectClass::Table
            },
            grantee: id(grantee),
            privilege: p,
            grantable: false,
        };
        let mut current = catalog(&["core"], vec![]);
        current
            .default_privileges
            .insert(d(None, "public", Privilege::Execute));
        current
            .default_privileges
            .insert(d(Some("public"), "anon", Privilege::Select));
        let mut desired = catalog(&["core"], vec![]);
        desired
            .default_privileges
            .insert(d(Some("core"), "authenticated", Privilege::Select));
        assert_eq!(
            brief(&diff(&current, &desired, &core())),
            [
                "default privileges None Function public grant=false [Execute]",
                "default privileges Some(\"core\") Table authenticated grant=true [Select]",
                "default privileges Some(\"public\") Table anon grant=false [Select]",
            ]
        );
    }
}
