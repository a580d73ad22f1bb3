//! The access diff: who gains or loses what through each step.
//!
//! Labels are per role and relative to the state just before the step:
//! - RLS: enabling (or forcing) narrows for every role holding privileges
//!   on the table; disabling widens for them and is flagged.
//! - Policies: a new permissive policy widens for its roles (a restrictive
//!   one narrows); dropping does the opposite. A changed policy is compared
//!   per role: roles added or removed, the command (ALL covers the others),
//!   permissive ↔ restrictive, and each expression: becoming `true` widens,
//!   leaving `true` narrows, any other rewrite is unknown. A policy on a
//!   table whose RLS is off after the plan is neutral (it has no effect).
//! - Grants widen, revokes narrow; default privileges likewise, for the
//!   objects created later.
//! - New tables, views and functions receive default privileges with no
//!   GRANT statement (Supabase gives `anon`, `authenticated` and
//!   `service_role` everything on new tables in `public`): the create step
//!   says who gains what. Privileges a later step of the plan revokes are
//!   neutral here.
//!
//! Flagged: disabling RLS; a permissive policy giving `anon`,
//! `authenticated` or `public` a write command (INSERT, UPDATE, DELETE,
//! ALL) with `USING (true)` or `WITH CHECK (true)`; any new privilege for
//! `anon` (or `public`, which includes it) on a table, column or sequence;
//! `EXECUTE` for `anon`/`public` on a `SECURITY DEFINER` function.

use super::model::{AccessChange, AccessEffect};
use crate::diff::Change;
use schema::{
    Catalog, GrantTarget, Ident, ObjectClass, PUBLIC, Policy, PolicyCommand, Privilege, QualName,
};
use std::collections::{BTreeMap, BTreeSet};

const API_ROLES: &[&str] = &["anon", "authenticated", PUBLIC];

fn change(role: &str, effect: AccessEffect, reason: String, flagged: bool) -> AccessChange {
    AccessChange {
        role: role.to_string(),
        effect,
        reason,
        flagged,
    }
}

fn words(privileges: &[Privilege]) -> String {
    privileges
        .iter()
        .map(|p| p.sql())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Roles holding a privilege on `table` (its columns included) in `catalog`.
fn table_roles(catalog: &Catalog, table: &QualName) -> BTreeSet<String> {
    catalog
        .grants
        .iter()
        .filter(|g| match &g.on {
            GrantTarget::Table { table: t } | GrantTarget::Column { table: t, .. } => t == table,
            _ => false,
        })
        .map(|g| g.grantee.as_str().to_string())
        .collect()
}

fn is_true(e: &Option<schema::Expr>) -> bool {
    e.as_ref()
        .is_some_and(|e| e.sql().eq_ignore_ascii_case("true"))
}

/// A permissive policy whose every clause is `false` admits no row: adding
/// or removing it changes nobody's access.
fn admits_nothing(p: &Policy) -> bool {
    let is_false = |e: &Option<schema::Expr>| {
        e.as_ref()
            .is_none_or(|e| e.sql().eq_ignore_ascii_case("false"))
    };
    p.permissive
        && (p.using.is_some() || p.check.is_some())
        && is_false(&p.using)
        && is_false(&p.check)
}

fn writes(c: PolicyCommand) -> bool {
    !matches!(c, PolicyCommand::Select)
}

/// A permissive policy open to everyone on a write command.
fn wide_open(p: &Policy, role: &str) -> bool {
    p.permissive
        && writes(p.command)
        && API_ROLES.contains(&role)
        && (is_true(&p.using) || is_true(&p.check))
}

fn open_reason(p: &Policy) -> String {
    let which = if is_true(&p.using) {
        "USING (true)"
    } else {
        "WITH CHECK (true)"
    };
    format!(
        "{which} on {}: every row, for anyone with this role",
        p.command.sql()
    )
}

/// Whether RLS is on for the policy's table once the plan has run; tables
/// we do not manage (storage.objects) are taken to have it on.
fn rls_on(desired: &Catalog, table: &QualName) -> bool {
    desired.tables.get(table).is_none_or(|t| t.rls_enabled)
}

fn condition(p: &Policy) -> String {
    match (&p.using, &p.check) {
        (Some(u), Some(c)) if u == c => format!("where {}", u.sql()),
        (Some(u), Some(c)) => format!("where {} (writes checked by {})", u.sql(), c.sql()),
        (Some(u), None) => format!("where {}", u.sql()),
        (None, Some(c)) => format!("checked by {}", c.sql()),
        (None, None) => "with no condition".into(),
    }
}

fn new_policy(p: &Policy, desired: &Catalog, out: &mut Vec<AccessChange>) {
    for role in &p.roles {
        let role = role.as_str();
        if !rls_on(desired, &p.table) {
            out.push(change(
                role,
                AccessEffect::Neutral,
                format!(
                    "RLS is off on {}: the policy has no effect until it is enabled",
                    p.table
                ),
                false,
            ));
        } else if admits_nothing(p) {
            out.push(change(
                role,
                AccessEffect::Neutral,
                format!(
                    "{} on {}: the policy admits no row",
                    p.command.sql(),
                    p.table
                ),
                false,
            ));
        } else if p.permissive {
            let flagged = wide_open(p, role);
            out.push(change(
                role,
                AccessEffect::Widens,
                if flagged {
                    open_reason(p)
                } else {
                    format!(
                        "gains {} on {} rows {}",
                        p.command.sql(),
                        p.table,
                        condition(p)
                    )
                },
                flagged,
            ));
        } else {
            out.push(change(
                role,
                AccessEffect::Narrows,
                format!(
                    "{} on {} limited to rows {}",
                    p.command.sql(),
                    p.table,
                    condition(p)
                ),
                false,
            ));
        }
    }
}

fn gone_policy(p: &Policy, out: &mut Vec<AccessChange>) {
    for role in &p.roles {
        out.push(if admits_nothing(p) {
            change(
                role.as_str(),
                AccessEffect::Neutral,
                format!("policy {} admitted no row", p.name),
                false,
            )
        } else if p.permissive {
            change(
                role.as_str(),
                AccessEffect::Narrows,
                format!("loses the {} rows policy {} gave", p.command.sql(), p.name),
                false,
            )
        } else {
            change(
                role.as_str(),
                AccessEffect::Widens,
                format!("no longer limited by restrictive policy {}", p.name),
                false,
            )
        });
    }
}

fn covers(a: PolicyCommand, b: PolicyCommand) -> bool {
    a == b || a == PolicyCommand::All
}

/// One changed policy, role by role.
fn changed_policy(from: &Policy, to: &Policy, desired: &Catalog, out: &mut Vec<AccessChange>) {
    let old: BTreeSet<&Ident> = from.roles.iter().collect();
    let new: BTreeSet<&Ident> = to.roles.iter().collect();
    for role in new.difference(&old) {
        let only = Policy {
            roles: vec![(*role).clone()],
            ..to.clone()
        };
        new_policy(&only, desired, out);
    }
    for role in old.difference(&new) {
        let only = Policy {
            roles: vec![(*role).clone()],
            ..from.clone()
        };
        gone_policy(&only, out);
    }
    if !rls_on(desired, &to.table) {
        for role in old.intersection(&new) {
            out.push(change(
                role.as_str(),
                AccessEffect::Neutral,
                format!("RLS is off on {}: the policy has no effect", to.table),
                false,
            ));
        }
        return;
    }
    // A wider condition admits more rows under either kind of policy; a
    // command change is read in the permissive sense, and a restrictive
    // policy that covers more commands restricts more, so it inverts.
    let mut effects: Vec<(AccessEffect, String)> = Vec::new();
    let command_changed = from.command != to.command;
    if command_changed {
        effects.push(if covers(to.command, from.command) {
            (
                AccessEffect::Widens,
                format!("command {} → {}", from.command.sql(), to.command.sql()),
            )
        } else if covers(from.command, to.command) {
            (
                AccessEffect::Narrows,
                format!("command {} → {}", from.command.sql(), to.command.sql()),
            )
        } else {
            (
                AccessEffect::Unknown,
                format!("command {} → {}", from.command.sql(), to.command.sql()),
            )
        });
    }
    for (what, a, b) in [
        ("USING", &from.using, &to.using),
        ("WITH CHECK", &from.check, &to.check),
    ] {
        if a == b {
            continue;
        }
        let text = |e: &Option<schema::Expr>| {
            e.as_ref()
                .map_or("(none)".to_string(), |e| e.sql().to_string())
        };
        let reason = format!("{what} {} → {}", text(a), text(b));
        effects.push(if is_true(b) && !is_true(a) {
            (AccessEffect::Widens, reason)
        } else if is_true(a) && !is_true(b) {
            (AccessEffect::Narrows, reason)
        } else {
            (AccessEffect::Unknown, format!("{reason}: cannot compare"))
        });
    }
    let invert = |e: AccessEffect| match e {
        AccessEffect::Widens => AccessEffect::Narrows,
        AccessEffect::Narrows => AccessEffect::Widens,
        other => other,
    };
    if from.permissive != to.permissive {
        effects.push(if to.permissive {
            (AccessEffect::Widens, "restrictive → permissive".into())
        } else {
            (AccessEffect::Narrows, "permissive → restrictive".into())
        });
    } else if !to.permissive && command_changed {
        effects[0].0 = invert(effects[0].0);
    }
    if effects.is_empty() {
        if from == to {
            for role in old.intersection(&new) {
                out.push(change(
                    role.as_str(),
                    AccessEffect::Neutral,
                    "recreated as it was".into(),
                    false,
                ));
            }
        }
        return;
    }
    let effect = if effects.iter().all(|e| e.0 == effects[0].0) {
        effects[0].0
    } else {
        AccessEffect::Unknown
    };
    let reason = effects
        .iter()
        .map(|e| e.1.clone())
        .collect::<Vec<_>>()
        .join("; ");
    for role in old.intersection(&new) {
        let flagged = wide_open(to, role.as_str()) && !wide_open(from, role.as_str());
        out.push(change(
            role.as_str(),
            effect,
            if flagged {
                format!("{}; {reason}", open_reason(to))
            } else {
                reason.clone()
            },
            flagged,
        ));
    }
}

fn rls(
    table: &QualName,
    from: (bool, bool),
    to: (bool, bool),
    current: &Catalog,
    desired: &Catalog,
) -> Vec<AccessChange> {
    let mut out = Vec::new();
    // Who holds privileges once the plan has run; enabling RLS also
    // narrows for those that hold them until a later revoke.
    let mut roles = table_roles(desired, table);
    if to.0 && !from.0 {
        roles.extend(table_roles(current, table));
    }
    if roles.is_empty() {
        roles.insert(PUBLIC.to_string());
    }
    if from.0 != to.0 {
        let policies = desired.policies_on(table).count();
        for role in &roles {
            out.push(if to.0 {
                change(
                    role,
                    AccessEffect::Narrows,
                    format!("RLS enabled on {table}: rows now need a permissive policy ({policies} after this plan)"),
                    false,
                )
            } else {
                change(
                    role,
                    AccessEffect::Widens,
                    format!("RLS disabled on {table}: policies stop applying, every row is open to the role's table privileges"),
                    true,
                )
            });
        }
    }
    if from.1 != to.1 {
        out.push(if to.1 {
            change(
                "table owner",
                AccessEffect::Narrows,
                format!("policies of {table} now apply to its owner"),
                false,
            )
        } else {
            change(
                "table owner",
                AccessEffect::Widens,
                format!("the owner of {table} bypasses its policies again"),
                false,
            )
        });
    }
    out
}

fn grant_flagged(on: &GrantTarget, grantee: &str, function_definer: bool) -> bool {
    match on {
        GrantTarget::Function { .. } => {
            function_definer && (grantee == "anon" || grantee == PUBLIC)
        }
        GrantTarget::Schema { .. } => grantee == "anon",
        _ => grantee == "anon" || grantee == PUBLIC,
    }
}

fn definer(desired: &Catalog, on: &GrantTarget) -> bool {
    match on {
        GrantTarget::Function { function } => desired
            .functions
            .get(function)
            .is_some_and(|f| f.security_definer),
        _ => false,
    }
}

/// A function that returns `trigger` or `event_trigger`: PostgreSQL refuses
/// to call it outside a trigger, so EXECUTE on it gives nobody anything.
fn trigger_function(desired: &Catalog, on: &GrantTarget) -> bool {
    let GrantTarget::Function { function } = on else {
        return false;
    };
    desired.functions.get(function).is_some_and(|f| {
        matches!(&f.returns, schema::FunctionReturn::Type { ty }
            if matches!(ty.as_str(), "trigger" | "event_trigger"))
    })
}

/// What a new object receives from the default privileges, per grantee.
fn created(
    on: GrantTarget,
    class: ObjectClass,
    desired: &Catalog,
    note: &str,
) -> Vec<AccessChange> {
    let mut by_grantee: BTreeMap<Ident, Vec<Privilege>> = BTreeMap::new();
    for (grantee, privilege, _) in desired.default_grants(class, on.schema()) {
        by_grantee.entry(grantee).or_default().push(privilege);
    }
    let definer = definer(desired, &on);
    by_grantee
        .into_iter()
        .map(|(grantee, privileges)| {
            let kept: Vec<Privilege> = privileges
                .iter()
                .copied()
                .filter(|p| {
                    desired
                        .grants
                        .iter()
                        .any(|g| g.on == on && g.grantee == grantee && g.privilege == *p)
                })
                .collect();
            let in_schema = desired.default_privileges.iter().any(|d| {
                d.objects == class
                    && d.grantee == grantee
                    && d.schema.as_ref() == Some(on.schema())
                    && privileges.contains(&d.privilege)
            });
            let source = if in_schema {
                format!("default privileges in {}", on.schema())
            } else {
                "global default privileges (PostgreSQL's built-in ones unless altered)".to_string()
            };
            if trigger_function(desired, &on) {
                return change(
                    grantee.as_str(),
                    AccessEffect::Neutral,
                    format!(
                        "receives {} on new {on} from the {source}; a trigger function cannot be called directly",
                        words(&privileges)
                    ),
                    false,
                );
            }
            if kept.is_empty() {
                change(
                    grantee.as_str(),
                    AccessEffect::Neutral,
                    format!(
                        "receives {} on new {on} from the {source}, revoked later in this plan",
                        words(&privileges)
                    ),
                    false,
                )
            } else {
                let flagged = grant_flagged(&on, grantee.as_str(), definer);
                change(
                    grantee.as_str(),
                    AccessEffect::Widens,
                    format!(
                        "gains {} on new {on} from the {source} (no GRANT statement){note}",
                        words(&kept)
                    ),
                    flagged,
                )
            }
        })
        .collect()
}

/// An object dropped and created again in this plan: its privileges come
/// back (defaults at creation, then the grant steps), so nobody's access
/// changes through the create itself.
fn recreated(on: &GrantTarget, desired: &Catalog) -> Vec<AccessChange> {
    let grantees: BTreeSet<&Ident> = desired
        .grants
        .iter()
        .filter(|g| &g.on == on)
        .map(|g| &g.grantee)
        .collect();
    grantees
        .into_iter()
        .map(|g| {
            change(
                g.as_str(),
                AccessEffect::Neutral,
                format!("{on} is recreated; its privileges are given back"),
                false,
            )
        })
        .collect()
}

/// The access changes of one change.
pub fn access(change: &Change, current: &Catalog, desired: &Catalog) -> Vec<AccessChange> {
    let mut out = Vec::new();
    match change {
        Change::SetRls { table, from, to } => out = rls(table, *from, *to, current, desired),
        Change::CreatePolicy {
            policy,
            replaces: None,
        } => new_policy(policy, desired, &mut out),
        Change::CreatePolicy {
            policy,
            replaces: Some(old),
        } => changed_policy(old, policy, desired, &mut out),
        Change::AlterPolicy { from, to } => changed_policy(from, to, desired, &mut out),
        Change::RenamePolicy { from, to } => {
            for role in &to.roles {
                out.push(self::change(
                    role.as_str(),
                    AccessEffect::Neutral,
                    format!("policy {} renamed to {}, unchanged", from.name, to.name),
                    false,
                ));
            }
        }
        Change::DropPolicy {
            policy,
            replaced: true,
        } => {
            for role in &policy.roles {
                out.push(self::change(
                    role.as_str(),
                    AccessEffect::Neutral,
                    "dropped to be recreated in this plan (see the recreate step)".into(),
                    false,
                ));
            }
        }
        Change::DropPolicy {
            policy,
            replaced: false,
        } => gone_policy(policy, &mut out),
        Change::Grant {
            on,
            grantee,
            privileges,
            grant_option,
            ..
        } => {
            let flagged = grant_flagged(on, grantee.as_str(), definer(desired, on));
            out.push(self::change(
                grantee.as_str(),
                AccessEffect::Widens,
                format!(
                    "gains {} on {on}{}",
                    words(privileges),
                    if *grant_option {
                        " with grant option"
                    } else {
                        ""
                    }
                ),
                flagged,
            ));
        }
        Change::Revoke {
            on,
            grantee,
            privileges,
            grant_option_only,
            ..
        } => out.push(self::change(
            grantee.as_str(),
            AccessEffect::Narrows,
            if *grant_option_only {
                format!(
                    "can no longer grant {} on {on} to others",
                    words(privileges)
                )
            } else {
                format!("loses {} on {on}", words(privileges))
            },
            false,
        )),
        Change::DefaultPrivileges {
            schema,
            objects,
            grantee,
            privileges,
            grant,
            ..
        } => {
            let scope = schema
                .as_ref()
                .map_or("any schema".to_string(), |s| format!("schema {s}"));
            let what = super::steps::objects_word(*objects).to_lowercase();
            out.push(if *grant {
                self::change(
                    grantee.as_str(),
                    AccessEffect::Widens,
                    format!("new {what} in {scope} will grant it {}", words(privileges)),
                    grantee.as_str() == "anon" && *objects != ObjectClass::Function,
                )
            } else {
                self::change(
                    grantee.as_str(),
                    AccessEffect::Narrows,
                    format!(
                        "new {what} in {scope} no longer grant it {}",
                        words(privileges)
                    ),
                    false,
                )
            });
        }
        Change::CreateTable(t) => {
            let note = if t.rls_enabled {
                "; RLS is on, so rows still need a policy"
            } else {
                "; RLS is off: every row"
            };
            out = created(
                GrantTarget::Table {
                    table: t.name.clone(),
                },
                ObjectClass::Table,
                desired,
                note,
            );
        }
        Change::AlterViewOptions { from, to } if from.security_invoker != to.security_invoker => {
            let on = GrantTarget::Table {
                table: to.name.clone(),
            };
            let readers: BTreeSet<&Ident> = desired
                .grants
                .iter()
                .filter(|g| g.on == on && g.privilege == Privilege::Select)
                .map(|g| &g.grantee)
                .collect();
            for role in readers {
                out.push(if to.security_invoker {
                    self::change(
                        role.as_str(),
                        AccessEffect::Narrows,
                        format!(
                            "{} now reads its tables with the caller's rights (their RLS applies)",
                            to.name
                        ),
                        false,
                    )
                } else {
                    self::change(
                        role.as_str(),
                        AccessEffect::Widens,
                        format!(
                            "{} now reads its tables as its owner, bypassing their RLS",
                            to.name
                        ),
                        role.as_str() == "anon" || role.as_str() == PUBLIC,
                    )
                });
            }
        }
        Change::CreateView(v) if current.views.contains_key(&v.name) => {
            out = recreated(
                &GrantTarget::Table {
                    table: v.name.clone(),
                },
                desired,
            )
        }
        Change::CreateFunction {
            function,
            replaces: Some(_),
        } => {
            out = recreated(
                &GrantTarget::Function {
                    function: function.id(),
                },
                desired,
            )
        }
        Change::CreateView(v) => {
            let note = if v.materialized || !v.security_invoker {
                "; the view reads its tables as its owner, bypassing their RLS"
            } else {
                "; security_invoker: the tables' RLS applies"
            };
            out = created(
                GrantTarget::Table {
                    table: v.name.clone(),
                },
                ObjectClass::Table,
                desired,
                note,
            );
        }
        Change::CreateFunction { function, .. } => {
            let note = if function.security_definer {
                "; SECURITY DEFINER: runs with its owner's rights"
            } else {
                ""
            };
            out = created(
                GrantTarget::Function {
                    function: function.id(),
                },
                ObjectClass::Function,
                desired,
                note,
            );
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::{Expr, Table};

    fn policy(command: PolicyCommand, roles: &[&str], using: &str) -> Policy {
        Policy {
            name: Ident::new("p"),
            table: QualName::from("core.t"),
            permissive: true,
            command,
            roles: roles.iter().map(|r| Ident::new(*r)).collect(),
            using: Some(Expr::parse(using).unwrap()),
            check: None,
        }
    }

    fn with_rls() -> Catalog {
        let mut c = Catalog::default();
        let mut t = Table::new(QualName::from("core.t"));
        t.rls_enabled = true;
        c.tables.insert(t.name.clone(), t);
        c
    }

    fn brief(out: &[AccessChange]) -> Vec<String> {
        out.iter()
            .map(|a| {
                format!(
                    "{} {}{}",
                    a.role,
                    a.effect.word(),
                    if a.flagged { " !" } else { "" }
                )
            })
            .collect()
    }

    fn alter(from: &Policy, to: &Policy) -> Vec<String> {
        let change = Change::AlterPolicy {
            from: from.clone(),
            to: to.clone(),
        };
        brief(&access(&change, &with_rls(), &with_rls()))
    }

    #[test]
    fn policies_compared_role_by_role() {
        let base = policy(
            PolicyCommand::Update,
            &["authenticated"],
            "owner_id = auth.uid()",
        );
        let mut more = base.clone();
        more.roles.push(Ident::new("editor"));
        assert_eq!(alter(&base, &more), ["editor widens"]);
        assert_eq!(alter(&more, &base), ["editor narrows"]);
        let open = policy(PolicyCommand::Update, &["authenticated"], "true");
        assert_eq!(alter(&base, &open), ["authenticated widens !"]);
        assert_eq!(alter(&open, &base), ["authenticated narrows"]);
        let other = policy(
            PolicyCommand::Update,
            &["authenticated"],
            "org_id = auth.uid()",
        );
        assert_eq!(alter(&base, &other), ["authenticated unknown"]);
        let mut restrictive = base.clone();
        restrictive.permissive = false;
        let mut restrictive_open = open.clone();
        restrictive_open.permissive = false;
        // A restrictive condition that becomes `true` restricts nothing.
        assert_eq!(
            alter(&restrictive, &restrictive_open),
            ["authenticated widens"]
        );
        assert_eq!(
            alter(&restrictive_open, &restrictive),
            ["authenticated narrows"]
        );
        let mut restrictive_select = restrictive.clone();
        restrictive_select.command = PolicyCommand::Select;
        let mut restrictive_all = restrictive.clone();
        restrictive_all.command = PolicyCommand::All;
        assert_eq!(
            alter(&restrictive_all, &restrictive_select),
            ["authenticated widens"]
        );
        let closed = policy(PolicyCommand::Update, &["authenticated"], "false");
        let create = Change::CreatePolicy {
            policy: closed,
            replaces: None,
        };
        assert_eq!(
            brief(&access(&create, &with_rls(), &with_rls())),
            ["authenticated neutral"]
        );
        assert_eq!(alter(&base, &restrictive), ["authenticated narrows"]);
        let mut all = base.clone();
        all.command = PolicyCommand::All;
        let recreate = Change::CreatePolicy {
            policy: all,
            replaces: Some(base.clone()),
        };
        assert_eq!(
            brief(&access(&recreate, &with_rls(), &with_rls())),
            ["authenticated widens"]
        );
    }

    #[test]
    fn select_true_is_not_flagged_and_rls_off_is_neutral() {
        let read = policy(PolicyCommand::Select, &["anon"], "true");
        let create = Change::CreatePolicy {
            policy: read.clone(),
            replaces: None,
        };
        assert_eq!(
            brief(&access(&create, &with_rls(), &with_rls())),
            ["anon widens"]
        );
        let mut off = with_rls();
        off.tables.values_mut().for_each(|t| t.rls_enabled = false);
        assert_eq!(brief(&access(&create, &off, &off)), ["anon neutral"]);
    }

    #[test]
    fn rls_disable_and_grants_to_anon_are_flagged() {
        let mut c = with_rls();
        c.grants.insert(schema::Grant {
            on: GrantTarget::Table {
                table: QualName::from("core.t"),
            },
            grantee: Ident::new("authenticated"),
            privilege: Privilege::Select,
            grantable: false,
        });
        let disable = Change::SetRls {
            table: QualName::from("core.t"),
            from: (true, true),
            to: (false, false),
        };
        assert_eq!(
            brief(&access(&disable, &c, &c)),
            ["authenticated widens !", "table owner widens"]
        );
        let grant = |who: &str| Change::Grant {
            on: GrantTarget::Table {
                table: QualName::from("core.t"),
            },
            grantee: Ident::new(who),
            privileges: vec![Privilege::Select],
            grant_option: false,
            option_only: false,
        };
        assert_eq!(brief(&access(&grant("anon"), &c, &c)), ["anon widens !"]);
        assert_eq!(brief(&access(&grant("editor"), &c, &c)), ["editor widens"]);
    }
}
