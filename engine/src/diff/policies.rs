//! Row-level security policies. Scope: tables in the managed schemas, plus
//! any table on which the desired Catalog declares a policy (see the module
//! docs of [`super`]).

use super::dependents::Forced;
use super::{Change, Ctx};
use schema::{Ident, Policy, PolicyKey, QualName};
use std::collections::{BTreeMap, BTreeSet};

/// Whether the policies of `table` are compared.
pub(crate) fn in_scope(ctx: &Ctx, table: &QualName) -> bool {
    ctx.managed.contains(&table.schema) || ctx.full_desired.policies.keys().any(|(t, _)| t == table)
}

pub(super) fn diff(ctx: &Ctx, forced: &Forced, out: &mut Vec<Change>) {
    let current = &ctx.full_current.policies;
    let desired = &ctx.full_desired.policies;
    let keys: BTreeSet<&PolicyKey> = current
        .keys()
        .chain(desired.keys())
        .filter(|(t, _)| in_scope(ctx, t))
        .collect();
    let renames = renames(ctx, &keys, forced);
    for key in keys {
        if let Some(to) = renames.get(key) {
            out.push(Change::RenamePolicy {
                from: current[key].clone(),
                to: desired[to].clone(),
            });
            continue;
        }
        if renames.values().any(|to| to == key) {
            continue;
        }
        match (current.get(key), desired.get(key)) {
            (None, Some(want)) => out.push(Change::CreatePolicy {
                policy: want.clone(),
                replaces: None,
            }),
            (Some(have), None) => {
                // A dropped table takes its policies with it.
                if ctx.full_desired.tables.contains_key(&key.0)
                    || !ctx.managed.contains(&key.0.schema)
                {
                    out.push(Change::DropPolicy {
                        policy: have.clone(),
                        replaced: false,
                    });
                }
            }
            (Some(have), Some(want))
                if !forced.policies.contains(key)
                    && super::same_loosely(
                        &super::holding(Some(have), None, None),
                        &super::holding(Some(want), None, None),
                    ) => {}
            (Some(have), Some(want)) => {
                // ALTER POLICY can set USING/WITH CHECK, not remove them.
                let removed = (have.using.is_some() && want.using.is_none())
                    || (have.check.is_some() && want.check.is_none());
                let recreate = forced.policies.contains(key)
                    || removed
                    || have.command != want.command
                    || have.permissive != want.permissive;
                if recreate {
                    out.push(Change::DropPolicy {
                        policy: have.clone(),
                        replaced: true,
                    });
                    out.push(Change::CreatePolicy {
                        policy: want.clone(),
                        replaces: Some(have.clone()),
                    });
                } else if have != want {
                    out.push(Change::AlterPolicy {
                        from: have.clone(),
                        to: want.clone(),
                    });
                }
            }
            (None, None) => {}
        }
    }
}

/// Policies that only changed their name: dropped under one name and
/// created under another on the same table with everything else equal.
/// Taken as a rename only when the match is one to one (two identical
/// policies on one table are legitimate; then it is a drop and a create).
fn renames(
    ctx: &Ctx,
    keys: &BTreeSet<&PolicyKey>,
    forced: &Forced,
) -> BTreeMap<PolicyKey, PolicyKey> {
    let current = &ctx.full_current.policies;
    let desired = &ctx.full_desired.policies;
    let body = |p: &Policy| Policy {
        name: Ident::new(""),
        ..p.clone()
    };
    let gone: Vec<&PolicyKey> = keys
        .iter()
        .copied()
        // One that must be recreated anyway (it uses a retyped column or a
        // recreated function) is dropped and created, not renamed.
        .filter(|k| current.contains_key(*k) && !desired.contains_key(*k))
        .filter(|k| !forced.policies.contains(*k))
        .collect();
    let new: Vec<&PolicyKey> = keys
        .iter()
        .copied()
        .filter(|k| desired.contains_key(*k) && !current.contains_key(*k))
        .collect();
    let mut out = BTreeMap::new();
    for from in &gone {
        let shape = body(&current[*from]);
        let matches: Vec<&&PolicyKey> = new
            .iter()
            .filter(|k| body(&desired[**k]) == shape)
            .collect();
        let rivals = gone.iter().filter(|k| body(&current[**k]) == shape).count();
        if let [to] = matches.as_slice()
            && rivals == 1
        {
            out.insert((*from).clone(), (**to).clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::PolicyCommand;

    #[test]
    fn alter_in_place_or_recreate() {
        let t = table("core.t", &[("owner_id", "uuid")]);
        let p = policy(
            "core.t",
            "own",
            PolicyCommand::Select,
            &["authenticated"],
            Some("owner_id = auth.uid()"),
            None,
        );
        let mut roles = p.clone();
        roles.roles = vec![id("anon"), id("authenticated")];
        let mut cmd = p.clone();
        cmd.command = PolicyCommand::Update;
        let d = |a: &schema::Policy, b: &schema::Policy| {
            brief(&diff(
                &with_policies(vec![t.clone()], vec![a.clone()]),
                &with_policies(vec![t.clone()], vec![b.clone()]),
                &core(),
            ))
        };
        assert_eq!(d(&p, &roles), ["alter policy own on core.t"]);
        assert_eq!(
            d(&p, &cmd),
            [
                "drop policy own on core.t replaced=true",
                "create policy own on core.t replaces=true"
            ]
        );
        assert!(d(&p, &p).is_empty());
    }

    #[test]
    fn external_tables_only_when_declared() {
        let obj = policy(
            "storage.objects",
            "read",
            PolicyCommand::Select,
            &["authenticated"],
            Some("bucket_id = 'media'"),
            None,
        );
        let other = policy(
            "storage.objects",
            "platform",
            PolicyCommand::All,
            &["service_role"],
            Some("true"),
            None,
        );
        let current = with_policies(vec![], vec![other.clone()]);
        // Nothing declared on storage.objects: the platform's policy stays.
        assert!(diff(&current, &with_policies(vec![], vec![]), &core()).is_empty());
        // One declared: the table's policies are ours.
        assert_eq!(
            brief(&diff(&current, &with_policies(vec![], vec![obj]), &core())),
            [
                "drop policy platform on storage.objects replaced=false",
                "create policy read on storage.objects replaces=false"
            ]
        );
    }

    #[test]
    fn dropped_tables_take_their_policies() {
        let t = table("core.t", &[("owner_id", "uuid")]);
        let p = policy(
            "core.t",
            "own",
            PolicyCommand::Select,
            &["authenticated"],
            Some("true"),
            None,
        );
        let changes = diff(
            &with_policies(vec![t], vec![p]),
            &with_policies(vec![], vec![]),
            &core(),
        );
        assert_eq!(brief(&changes), ["drop table core.t"]);
    }

    #[test]
    fn renames_only_when_one_to_one() {
        let t = table("core.t", &[("owner_id", "uuid")]);
        let p = |name: &str, using: &str| {
            policy(
                "core.t",
                name,
                PolicyCommand::Select,
                &["authenticated"],
                Some(using),
                None,
            )
        };
        let d = |a: Vec<schema::Policy>, b: Vec<schema::Policy>| {
            brief(&diff(
                &with_policies(vec![t.clone()], a),
                &with_policies(vec![t.clone()], b),
                &core(),
            ))
        };
        assert_eq!(
            d(vec![p("old", "true")], vec![p("new", "true")]),
            ["rename policy old on core.t to new"]
        );
        // Two identical candidates: no guessing.
        assert_eq!(
            d(vec![p("a", "true"), p("b", "true")], vec![p("c", "true")]),
            [
                "drop policy a on core.t replaced=false",
                "drop policy b on core.t replaced=false",
                "create policy c on core.t replaces=false"
            ]
        );
        assert_eq!(
            d(vec![p("old", "true")], vec![p("new", "false")]),
            [
                "create policy new on core.t replaces=false",
                "drop policy old on core.t replaced=false"
            ]
        );
    }

    #[test]
    fn postgres_deparsed_spelling_is_no_change() {
        let t = table("core.t", &[("owner_id", "uuid"), ("status", "text")]);
        let written = policy(
            "core.t",
            "p",
            PolicyCommand::Update,
            &["authenticated"],
            Some("status in ('draft', 'review') or owner_id = (select auth.uid())"),
            None,
        );
        let deparsed = policy(
            "core.t",
            "p",
            PolicyCommand::Update,
            &["authenticated"],
            Some(
                "((status = ANY (ARRAY['draft'::text, 'review'::text])) OR (owner_id = ( SELECT auth.uid() AS uid)))",
            ),
            None,
        );
        let c = with_policies(vec![t.clone()], vec![deparsed]);
        let d = with_policies(vec![t], vec![written]);
        assert!(
            diff(&c, &d, &core()).is_empty(),
            "{:?}",
            brief(&diff(&c, &d, &core()))
        );
    }
}
