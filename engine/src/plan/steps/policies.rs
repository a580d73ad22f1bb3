//! `CREATE/ALTER/DROP POLICY`.

use super::*;
use schema::Policy;

/// `TO` roles: `public` is the keyword PUBLIC.
pub(crate) fn role_list(roles: &[Ident]) -> String {
    roles
        .iter()
        .map(|r| {
            if r.as_str() == schema::PUBLIC {
                "PUBLIC".to_string()
            } else {
                r.quoted()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn policy_name(p: &Policy) -> String {
    format!("{}.{}", p.table, p.name)
}

pub(crate) fn create_policy(p: &Policy) -> String {
    let mut out = format!("CREATE POLICY {} ON {}", p.name, p.table);
    if !p.permissive {
        out.push_str(" AS RESTRICTIVE");
    }
    out.push_str(&format!(
        " FOR {} TO {}",
        p.command.sql(),
        role_list(&p.roles)
    ));
    if let Some(using) = &p.using {
        out.push_str(&format!(" USING ({})", using.sql()));
    }
    if let Some(check) = &p.check {
        out.push_str(&format!(" WITH CHECK ({})", check.sql()));
    }
    out.push(';');
    out
}

fn drop_policy(p: &Policy) -> String {
    format!("DROP POLICY {} ON {};", p.name, p.table)
}

/// `ALTER POLICY` setting what differs from `from` (roles, USING, CHECK).
fn alter_policy(from: &Policy, to: &Policy) -> String {
    let mut out = format!("ALTER POLICY {} ON {}", to.name, to.table);
    if from.roles != to.roles {
        out.push_str(&format!(" TO {}", role_list(&to.roles)));
    }
    if from.using != to.using
        && let Some(using) = &to.using
    {
        out.push_str(&format!(" USING ({})", using.sql()));
    }
    if from.check != to.check
        && let Some(check) = &to.check
    {
        out.push_str(&format!(" WITH CHECK ({})", check.sql()));
    }
    out.push(';');
    out
}

fn shape(p: &Policy) -> String {
    format!(
        "{}for {} to {}",
        if p.permissive { "" } else { "restrictive, " },
        p.command.sql().to_lowercase(),
        role_list(&p.roles)
    )
}

pub(super) fn draft(change: &Change) -> Option<Parts> {
    use Action::*;
    let k = ObjectKind::Policy;
    Some(match change {
        Change::CreatePolicy { policy, replaces } => (
            step(
                obj(k, policy_name(policy)),
                Create,
                format!(
                    "{} policy {} ({})",
                    if replaces.is_some() {
                        "recreate"
                    } else {
                        "create"
                    },
                    policy_name(policy),
                    shape(policy)
                ),
                create_policy(policy),
                sql_rollback(drop_policy(policy)),
                vec![],
            ),
            FileKind::Expand,
            22,
            None,
        ),
        Change::DropPolicy { policy, replaced } => (
            step(
                obj(k, policy_name(policy)),
                Drop,
                format!(
                    "drop policy {}{}",
                    policy_name(policy),
                    if *replaced { " (to recreate it)" } else { "" }
                ),
                drop_policy(policy),
                sql_rollback(create_policy(policy)),
                vec![],
            ),
            FileKind::Expand,
            // Dropping a permissive policy narrows access: as early as it can.
            if *replaced || !policy.permissive {
                3
            } else {
                1
            },
            None,
        ),
        Change::AlterPolicy { from, to } => (
            step(
                obj(k, policy_name(to)),
                Alter,
                format!("alter policy {} ({})", policy_name(to), shape(to)),
                alter_policy(from, to),
                // ALTER POLICY cannot take a USING or CHECK away again.
                sql_rollback(format!("{}\n{}", drop_policy(to), create_policy(from))),
                vec![],
            ),
            FileKind::Expand,
            22,
            None,
        ),
        _ => return None,
    })
}
