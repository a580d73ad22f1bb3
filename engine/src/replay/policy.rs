//! `CREATE POLICY`, `ALTER POLICY` (rename; `TO`, `USING`, `WITH CHECK`)
//! and `DROP POLICY [IF EXISTS]`. Policies on tables of the platform's
//! schemas (`storage.objects`) are kept too: a project manages those
//! policies even though it does not manage the table.

use super::errors::{StmtError, StmtResult};
use super::{Replay, display_name, q, qual_name};
use schema::provided::is_external_schema;
use schema::security::PUBLIC;
use schema::{Expr, Ident, Policy, PolicyCommand, QualName};
use sqlparser::ast;

/// The table a policy statement names: a modeled table, or any table of a
/// platform schema (which the replay cannot check).
fn policy_table(r: &Replay, name: &ast::ObjectName) -> StmtResult<QualName> {
    let table = qual_name(name)?;
    if r.catalog.tables.contains_key(&table) || is_external_schema(table.schema.as_str()) {
        return Ok(table);
    }
    if r.catalog.views.contains_key(&table) {
        return Err(
            StmtError::invalid(format!("\"{}\" is not a table", display_name(&table))).hint(
                "policies apply to tables; a view filters rows with its query or security_invoker",
            ),
        );
    }
    Err(super::missing_relation(&table))
}

/// `TO` roles, sorted and without repeats; none named is `PUBLIC`.
fn roles(to: Option<&[ast::Owner]>) -> Vec<Ident> {
    let mut out: Vec<Ident> = to
        .unwrap_or_default()
        .iter()
        .map(|o| match o {
            ast::Owner::Ident(id) => Ident::from_ast(id),
            ast::Owner::CurrentRole => Ident::new("current_role"),
            ast::Owner::CurrentUser => Ident::new("current_user"),
            ast::Owner::SessionUser => Ident::new("session_user"),
        })
        .collect();
    if out.is_empty() {
        out.push(Ident::new(PUBLIC));
    }
    out.sort();
    out.dedup();
    out
}

/// PostgreSQL's checks of which expressions a command takes.
fn check_clauses(command: PolicyCommand, using: bool, check: bool) -> StmtResult {
    if command == PolicyCommand::Insert && using {
        return Err(
            StmtError::invalid("only WITH CHECK expression allowed for INSERT")
                .hint("an INSERT policy checks new rows: write WITH CHECK (…)"),
        );
    }
    if matches!(command, PolicyCommand::Select | PolicyCommand::Delete) && check {
        return Err(
            StmtError::invalid("WITH CHECK cannot be applied to SELECT or DELETE")
                .hint("SELECT and DELETE policies filter existing rows: write USING (…)"),
        );
    }
    Ok(())
}

fn missing_policy(name: &Ident, table: &QualName) -> StmtError {
    StmtError::missing(format!(
        "policy {} for table \"{}\" does not exist",
        q(name),
        display_name(table)
    ))
}

pub(super) fn create_policy(r: &mut Replay, p: &ast::CreatePolicy) -> StmtResult {
    let table = policy_table(r, &p.table_name)?;
    let name = Ident::from_ast(&p.name);
    if r.catalog
        .policies
        .contains_key(&(table.clone(), name.clone()))
    {
        return Err(StmtError::duplicate(format!(
            "policy {} for table \"{}\" already exists",
            q(&name),
            display_name(&table)
        ))
        .hint("drop it first, or change it with ALTER POLICY"));
    }
    let command = match p.command {
        None | Some(ast::CreatePolicyCommand::All) => PolicyCommand::All,
        Some(ast::CreatePolicyCommand::Select) => PolicyCommand::Select,
        Some(ast::CreatePolicyCommand::Insert) => PolicyCommand::Insert,
        Some(ast::CreatePolicyCommand::Update) => PolicyCommand::Update,
        Some(ast::CreatePolicyCommand::Delete) => PolicyCommand::Delete,
    };
    check_clauses(command, p.using.is_some(), p.with_check.is_some())?;
    let policy = Policy {
        name: name.clone(),
        table: table.clone(),
        permissive: !matches!(p.policy_type, Some(ast::CreatePolicyType::Restrictive)),
        command,
        roles: roles(p.to.as_deref()),
        using: p.using.clone().map(Expr::from_ast),
        check: p.with_check.clone().map(Expr::from_ast),
    };
    r.catalog.policies.insert((table, name), policy);
    Ok(())
}

pub(super) fn alter_policy(r: &mut Replay, p: &ast::AlterPolicy) -> StmtResult {
    let table = policy_table(r, &p.table_name)?;
    let name = Ident::from_ast(&p.name);
    let key = (table.clone(), name.clone());
    let Some(mut policy) = r.catalog.policies.get(&key).cloned() else {
        return Err(missing_policy(&name, &table));
    };
    match &p.operation {
        ast::AlterPolicyOperation::Rename { new_name } => {
            let to = Ident::from_ast(new_name);
            if to != name
                && r.catalog
                    .policies
                    .contains_key(&(table.clone(), to.clone()))
            {
                return Err(StmtError::duplicate(format!(
                    "policy {} for table \"{}\" already exists",
                    q(&to),
                    display_name(&table)
                )));
            }
            r.catalog.policies.remove(&key);
            policy.name = to.clone();
            r.catalog.policies.insert((table, to), policy);
        }
        ast::AlterPolicyOperation::Apply {
            to,
            using,
            with_check,
        } => {
            check_clauses(policy.command, using.is_some(), with_check.is_some())?;
            if let Some(to) = to {
                policy.roles = roles(Some(to));
            }
            if let Some(u) = using {
                policy.using = Some(Expr::from_ast(u.clone()));
            }
            if let Some(c) = with_check {
                policy.check = Some(Expr::from_ast(c.clone()));
            }
            r.catalog.policies.insert(key, policy);
        }
    }
    Ok(())
}

pub(super) fn drop_policy(r: &mut Replay, p: &ast::DropPolicy) -> StmtResult {
    let table = qual_name(&p.table_name)?;
    let name = Ident::from_ast(&p.name);
    if r.catalog
        .policies
        .remove(&(table.clone(), name.clone()))
        .is_some()
    {
        return Ok(());
    }
    if p.if_exists {
        return Ok(());
    }
    if !r.catalog.tables.contains_key(&table) && !is_external_schema(table.schema.as_str()) {
        return Err(super::missing_relation(&table));
    }
    Err(missing_policy(&name, &table).hint("use DROP POLICY IF EXISTS"))
}
