//! Row-level security policies. Scope: tables in the managed schemas, plus
//! any table on which the desired Catalog declares a policy (see the module
//! docs of [`super`]).

use super::dependents::Forced;
use super::{Change, Ctx};
use schema::{PolicyKey, QualName};
use std::collections::BTreeSet;

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
    for key in keys {
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
}
