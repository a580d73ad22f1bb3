//! Grants, compared per (object, grantee).
//!
//! What an object holds before its GRANT/REVOKE steps run: for an object
//! this plan creates (or drops and creates again), what the desired default
//! privileges give it at creation (the plan runs `ALTER DEFAULT PRIVILEGES`
//! before any create); otherwise its current privileges. Revoking a table
//! privilege also revokes that privilege on every column (PostgreSQL does),
//! so desired column grants of that privilege are granted again.

use super::{Change, Ctx};
use schema::names::{make_object_name, serial_sequence};
use schema::{Catalog, GrantTarget, Ident, ObjectClass, Privilege, QualName};
use std::collections::{BTreeMap, BTreeSet};

type Held = BTreeMap<Privilege, bool>;

/// The object class default privileges are given for, `None` for columns.
pub(crate) fn class_of(target: &GrantTarget) -> Option<ObjectClass> {
    match target {
        GrantTarget::Schema { .. } => Some(ObjectClass::Schema),
        GrantTarget::Table { .. } => Some(ObjectClass::Table),
        GrantTarget::Column { .. } => None,
        GrantTarget::Sequence { .. } => Some(ObjectClass::Sequence),
        GrantTarget::Function { .. } => Some(ObjectClass::Function),
    }
}

/// The sequences a table's serial and identity columns own.
pub(crate) fn owned_sequences(table: &schema::Table) -> Vec<(Ident, QualName)> {
    table
        .columns
        .iter()
        .filter_map(|c| {
            let seq = if c.identity.is_some() {
                Some(QualName::new(
                    table.name.schema.clone(),
                    Ident::new(make_object_name(
                        table.name.name.as_str(),
                        Some(c.name.as_str()),
                        "seq",
                    )),
                ))
            } else {
                c.default.as_ref().and_then(serial_sequence)
            };
            seq.map(|s| (c.name.clone(), s))
        })
        .collect()
}

/// Objects the changes so far bring into existence (new or recreated).
pub(crate) fn created(changes: &[Change]) -> BTreeSet<GrantTarget> {
    let mut out = BTreeSet::new();
    let seq = |out: &mut BTreeSet<GrantTarget>, t: &schema::Table| {
        for (_, s) in owned_sequences(t) {
            out.insert(GrantTarget::Sequence { sequence: s });
        }
    };
    for change in changes {
        match change {
            Change::CreateSchema(s) => {
                out.insert(GrantTarget::Schema {
                    schema: s.name.clone(),
                });
            }
            Change::CreateTable(t) => {
                out.insert(GrantTarget::Table {
                    table: t.name.clone(),
                });
                seq(&mut out, t);
            }
            Change::AddColumn { table, column }
            | Change::RecreateColumn {
                table, to: column, ..
            } => {
                out.insert(GrantTarget::Column {
                    table: table.clone(),
                    column: column.name.clone(),
                });
                let mut t = schema::Table::new(table.clone());
                t.columns.push(column.clone());
                seq(&mut out, &t);
            }
            Change::CreateView(v) => {
                out.insert(GrantTarget::Table {
                    table: v.name.clone(),
                });
            }
            Change::CreateFunction { function, .. } => {
                out.insert(GrantTarget::Function {
                    function: function.id(),
                });
            }
            _ => {}
        }
    }
    out
}

/// Whether `target` exists once the plan has run.
fn exists_after(ctx: &Ctx, target: &GrantTarget) -> bool {
    let d = &ctx.desired;
    match target {
        GrantTarget::Schema { schema } => {
            d.schemas.contains_key(schema) || ctx.managed.contains(schema)
        }
        GrantTarget::Table { table } => d.tables.contains_key(table) || d.views.contains_key(table),
        GrantTarget::Column { table, column } => d
            .tables
            .get(table)
            .is_some_and(|t| t.column(column).is_some()),
        GrantTarget::Sequence { sequence } => d
            .tables
            .values()
            .any(|t| owned_sequences(t).iter().any(|(_, s)| s == sequence)),
        GrantTarget::Function { function } => d.functions.contains_key(function),
    }
}

fn held(catalog: &Catalog, target: &GrantTarget) -> BTreeMap<Ident, Held> {
    let mut out: BTreeMap<Ident, Held> = BTreeMap::new();
    for g in catalog.grants.iter().filter(|g| &g.on == target) {
        out.entry(g.grantee.clone())
            .or_default()
            .insert(g.privilege, g.grantable);
    }
    out
}

pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) {
    let created = created(out);
    let mut targets: BTreeSet<GrantTarget> = created.clone();
    targets.extend(ctx.desired.grants.iter().map(|g| g.on.clone()));
    targets.extend(ctx.current.grants.iter().map(|g| g.on.clone()));
    // (table, grantee, privilege) revoked at table level.
    let mut revoked: BTreeSet<(QualName, Ident, Privilege)> = BTreeSet::new();
    let mut emitted = Vec::new();
    for target in targets.iter().filter(|t| exists_after(ctx, t)) {
        let column_of_new_table = matches!(target, GrantTarget::Column { table, .. }
            if created.contains(&GrantTarget::Table { table: table.clone() }));
        let mut have: BTreeMap<Ident, Held> = if created.contains(target) || column_of_new_table {
            let mut h: BTreeMap<Ident, Held> = BTreeMap::new();
            if let Some(class) = class_of(target) {
                for (grantee, privilege, grantable) in
                    ctx.desired.default_grants(class, target.schema())
                {
                    h.entry(grantee).or_default().insert(privilege, grantable);
                }
            }
            h
        } else {
            held(&ctx.current, target)
        };
        if let GrantTarget::Column { table, .. } = target {
            for (grantee, privileges) in &mut have {
                privileges.retain(|p, _| !revoked.contains(&(table.clone(), grantee.clone(), *p)));
            }
        }
        let want = held(&ctx.desired, target);
        let grantees: BTreeSet<&Ident> = have.keys().chain(want.keys()).collect();
        for grantee in grantees {
            let empty = Held::new();
            let h = have.get(grantee).unwrap_or(&empty);
            let w = want.get(grantee).unwrap_or(&empty);
            let changes = compare(h, w);
            if let GrantTarget::Table { table } = target {
                for p in &changes.revoke {
                    revoked.insert((table.clone(), grantee.clone(), *p));
                }
            }
            changes.emit(target, grantee, &mut emitted);
        }
    }
    out.extend(emitted);
}

/// What to revoke and grant to turn `have` into `want` for one grantee.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Delta {
    pub revoke: Vec<Privilege>,
    pub revoke_option: Vec<Privilege>,
    pub grant: Vec<Privilege>,
    pub grant_with_option: Vec<Privilege>,
}

pub(crate) fn compare(have: &Held, want: &Held) -> Delta {
    let mut d = Delta::default();
    for (p, had_option) in have {
        match want.get(p) {
            None => d.revoke.push(*p),
            Some(false) if *had_option => d.revoke_option.push(*p),
            _ => {}
        }
    }
    for (p, option) in want {
        match (have.get(p), option) {
            (None, false) => d.grant.push(*p),
            (None, true) | (Some(false), true) => d.grant_with_option.push(*p),
            _ => {}
        }
    }
    d
}

impl Delta {
    fn emit(self, on: &GrantTarget, grantee: &Ident, out: &mut Vec<Change>) {
        for (privileges, grant_option_only) in [(self.revoke, false), (self.revoke_option, true)] {
            if !privileges.is_empty() {
                out.push(Change::Revoke {
                    on: on.clone(),
                    grantee: grantee.clone(),
                    privileges,
                    grant_option_only,
                });
            }
        }
        for (privileges, grant_option) in [(self.grant, false), (self.grant_with_option, true)] {
            if !privileges.is_empty() {
                out.push(Change::Grant {
                    on: on.clone(),
                    grantee: grantee.clone(),
                    privileges,
                    grant_option,
                });
            }
        }
    }
}

/// Test and catalog helper: one grant entry.
#[cfg(test)]
pub(crate) fn entry(
    on: GrantTarget,
    grantee: &str,
    privilege: Privilege,
    grantable: bool,
) -> schema::Grant {
    schema::Grant {
        on,
        grantee: Ident::new(grantee),
        privilege,
        grantable,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use super::*;
    use Privilege::*;
    use schema::DefaultPrivilege;

    fn t(name: &str) -> GrantTarget {
        GrantTarget::Table { table: qn(name) }
    }

    #[test]
    fn revoke_grant_option_and_grants_grouped_per_grantee() {
        let tb = table("core.t", &[("a", "text")]);
        let mut current = catalog(&["core"], vec![tb.clone()]);
        current.grants.extend([
            entry(t("core.t"), "anon", Select, false),
            entry(t("core.t"), "anon", Insert, false),
            entry(t("core.t"), "editor", Update, true),
        ]);
        let mut desired = catalog(&["core"], vec![tb]);
        desired.grants.extend([
            entry(t("core.t"), "editor", Update, false),
            entry(t("core.t"), "authenticated", Select, false),
            entry(t("core.t"), "authenticated", Delete, false),
            entry(t("core.t"), "admin", Select, true),
        ]);
        assert_eq!(
            brief(&diff(&current, &desired, &core())),
            [
                "grant SELECT on TABLE core.t to admin option=true",
                "revoke SELECT, INSERT on TABLE core.t from anon option_only=false",
                "grant SELECT, DELETE on TABLE core.t to authenticated option=false",
                "revoke UPDATE on TABLE core.t from editor option_only=true",
            ]
        );
    }

    #[test]
    fn new_objects_start_from_the_default_privileges() {
        let mut desired = catalog(&["public"], vec![table("public.t", &[("a", "text")])]);
        for p in [Select, Insert] {
            desired.default_privileges.insert(DefaultPrivilege {
                schema: Some(id("public")),
                objects: ObjectClass::Table,
                grantee: id("anon"),
                privilege: p,
                grantable: false,
            });
        }
        desired
            .grants
            .insert(entry(t("public.t"), "anon", Select, false));
        desired.grants.insert(entry(
            GrantTarget::Column {
                table: qn("public.t"),
                column: id("a"),
            },
            "authenticated",
            Update,
            false,
        ));
        let current = catalog(&["public"], vec![]);
        let mut changes = diff(&current, &desired, &core());
        changes.retain(|c| !matches!(c, super::super::Change::DefaultPrivileges { .. }));
        assert_eq!(
            brief(&changes),
            [
                "create table public.t (0 constraints)",
                "revoke INSERT on TABLE public.t from anon option_only=false",
                "grant UPDATE on TABLE public.t (a) to authenticated option=false",
            ]
        );
    }

    #[test]
    fn table_revokes_take_column_grants_along_and_drops_take_everything() {
        let tb = table("core.t", &[("a", "text")]);
        let col = GrantTarget::Column {
            table: qn("core.t"),
            column: id("a"),
        };
        let mut current = catalog(&["core"], vec![tb.clone(), table("core.gone", &[])]);
        current.grants.extend([
            entry(t("core.t"), "x", Select, false),
            entry(col.clone(), "x", Select, false),
            entry(t("core.gone"), "x", Select, false),
        ]);
        let mut desired = catalog(&["core"], vec![tb]);
        desired.grants.insert(entry(col, "x", Select, false));
        assert_eq!(
            brief(&diff(&current, &desired, &core())),
            [
                "drop table core.gone",
                "revoke SELECT on TABLE core.t from x option_only=false",
                "grant SELECT on TABLE core.t (a) to x option=false",
            ]
        );
    }
}
