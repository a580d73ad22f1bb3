//! Access templates: `access <template> …` in a table block expands to
//! explicit policies (one per allowed command, named
//! `<table>_<short>_<command>`), the matching table grants, and `rls`.
//! See docs/access-templates.md for each expansion and why it is so.
//!
//! Rules every template follows: INSERT gets WITH CHECK only, UPDATE gets
//! USING and WITH CHECK, SELECT/DELETE USING only; `auth.uid()` is written
//! `(select auth.uid())` so PostgreSQL evaluates it once per statement;
//! `anon` gets nothing.

mod org_membership;
mod owner;
mod role_based;
mod service_bypass;

use crate::expr::Expr;
use crate::ident::{Ident, QualName, truncate_ident};
use crate::lang::decl::{Decls, TableDecl};
use crate::lang::errors::{Diag, Loc, Sink, did_you_mean};
use crate::lang::grant::{GrantEdit, Privs};
use crate::lang::parse::NodeView;
use crate::lang::policy::PolicyDecl;
use crate::security::{Policy, PolicyCommand, Privilege};
use std::collections::BTreeMap;

pub const TEMPLATES: &[&str] = &["owner", "org-membership", "role-based", "service-bypass"];

/// The commands templates write policies for, in order.
pub const COMMANDS: [PolicyCommand; 4] = [
    PolicyCommand::Select,
    PolicyCommand::Insert,
    PolicyCommand::Update,
    PolicyCommand::Delete,
];

#[derive(Clone, Debug)]
pub struct AccessDecl {
    pub template: Template,
    pub at: Loc,
}

#[derive(Clone, Debug)]
pub enum Template {
    Owner(owner::Owner),
    OrgMembership(Box<org_membership::OrgMembership>),
    RoleBased(role_based::RoleBased),
    ServiceBypass,
}

/// `auth.uid()`, evaluated once per statement.
pub const UID: &str = "(select auth.uid())";

/// Reads `access <template> options…`.
pub fn read_access(v: NodeView<'_>, sink: &mut Sink) -> Option<AccessDecl> {
    v.no_children(sink);
    v.max_args(1, "one template name (options are properties)", sink);
    let (written, at) = v.req_arg(0, "a template name", "access owner column=owner_id", sink)?;
    let template = match written.as_str() {
        "owner" => Template::Owner(owner::read(&v, sink)?),
        "org-membership" => Template::OrgMembership(Box::new(org_membership::read(&v, sink)?)),
        "role-based" => Template::RoleBased(role_based::read(&v, sink)?),
        "service-bypass" => {
            v.check_props(&[], sink);
            Template::ServiceBypass
        }
        other => {
            let list = format!("templates: {}", TEMPLATES.join(", "));
            let help = match did_you_mean(other, TEMPLATES.iter().copied()) {
                Some(d) => format!("{d} ({list})"),
                None => list,
            };
            sink.push(
                Diag::new(
                    at,
                    format!("unknown access template `{other}`"),
                    "not a template",
                )
                .help(help),
            );
            return None;
        }
    };
    Some(AccessDecl {
        template,
        at: v.name_loc(),
    })
}

/// What one template asks for on one table: a predicate per command, or
/// none (the command is not allowed), for one role.
pub struct Expansion {
    /// owner, org, role, service.
    pub short: &'static str,
    pub role: &'static str,
    /// (command, predicate); `All` for service-bypass.
    pub commands: Vec<(PolicyCommand, String)>,
}

/// Columns of every declared table, for option checks.
pub type TableColumns = BTreeMap<QualName, Vec<Ident>>;

pub fn expand(decls: &mut Decls, sink: &mut Sink) {
    let columns: TableColumns = decls
        .tables
        .iter()
        .map(|t| {
            (
                t.name.clone(),
                t.columns.iter().map(|c| c.column.name.clone()).collect(),
            )
        })
        .collect();
    for t in &mut decls.tables {
        let access = std::mem::take(&mut t.access);
        for a in &access {
            let expansion = match &a.template {
                Template::Owner(o) => o.expand(t, a.at, sink),
                Template::OrgMembership(o) => o.expand(t, &columns, a.at, sink),
                Template::RoleBased(r) => Some(r.expand()),
                Template::ServiceBypass => Some(service_bypass::expand()),
            };
            if let Some(e) = expansion {
                apply(t, e, a.at, sink);
            }
        }
        t.access = access;
    }
}

/// Adds the policies, grants and `rls` an expansion stands for.
fn apply(t: &mut TableDecl, e: Expansion, at: Loc, sink: &mut Sink) {
    if t.rls.is_none() {
        t.rls = Some((false, at));
    }
    let role = Ident::new(e.role);
    let mut granted = Vec::new();
    for (command, predicate) in e.commands {
        let Ok(expr) = Expr::parse(&predicate) else {
            sink.push(
                Diag::new(at, format!("the `{}` template builds a condition that is not valid SQL: {predicate}", e.short), "from this template")
                    .help("check the template's names (columns, tables, claim) for characters SQL cannot read"),
            );
            continue;
        };
        let (using, check) = match command {
            PolicyCommand::Insert => (None, Some(expr)),
            PolicyCommand::Update | PolicyCommand::All => (Some(expr.clone()), Some(expr)),
            PolicyCommand::Select | PolicyCommand::Delete => (Some(expr), None),
        };
        let word = command.sql().to_lowercase();
        t.policies.push(PolicyDecl {
            policy: Policy {
                name: Ident::new(truncate_ident(&format!(
                    "{}_{}_{word}",
                    t.name.name.as_str(),
                    e.short
                ))),
                table: t.name.clone(),
                permissive: true,
                command,
                roles: vec![role.clone()],
                using,
                check,
            },
            at,
            table_at: None,
        });
        match command {
            PolicyCommand::All => granted.extend([
                Privilege::Select,
                Privilege::Insert,
                Privilege::Update,
                Privilege::Delete,
            ]),
            PolicyCommand::Select => granted.push(Privilege::Select),
            PolicyCommand::Insert => granted.push(Privilege::Insert),
            PolicyCommand::Update => granted.push(Privilege::Update),
            PolicyCommand::Delete => granted.push(Privilege::Delete),
        }
    }
    if !granted.is_empty() {
        t.grants.push(GrantEdit {
            revoke: false,
            privileges: Privs::Some(granted),
            roles: vec![role],
            grantable: false,
            columns: Vec::new(),
            sequence: None,
        });
    }
}

/// A SQL string literal.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `array['editor', 'admin']`: the tiers from `tier` up the ladder.
pub fn tiers_from(ladder: &[String], tier: &str) -> String {
    let start = ladder.iter().position(|t| t == tier).unwrap_or(0);
    let items: Vec<String> = ladder[start..].iter().map(|t| literal(t)).collect();
    format!("array[{}]", items.join(", "))
}

/// Reads `ladder=` (default `viewer editor admin`).
pub fn read_ladder(v: &NodeView<'_>, sink: &mut Sink) -> Vec<String> {
    match v.prop_string("ladder", "tiers separated by spaces, lowest first", sink) {
        Some((s, at)) => {
            let tiers: Vec<String> = s.split_whitespace().map(str::to_string).collect();
            let mut seen = std::collections::BTreeSet::new();
            if tiers.is_empty() || tiers.iter().any(|t| !seen.insert(t.clone()) || t == "none") {
                sink.push(
                    Diag::new(at, format!("`ladder=\"{s}\"` is not a list of distinct tiers"), "bad ladder")
                        .help("write the tiers lowest first, each once, e.g. ladder=\"viewer editor admin\" (`none` is reserved)"),
                );
                return Vec::new();
            }
            tiers
        }
        None => ["viewer", "editor", "admin"].map(String::from).to_vec(),
    }
}

/// Reads a tier option (`read=viewer`), checked against the ladder;
/// `none` when `allow_none` and written so. `None` on error.
pub fn read_tier(
    v: &NodeView<'_>,
    key: &str,
    default: &str,
    ladder: &[String],
    allow_none: bool,
    sink: &mut Sink,
) -> Option<Option<String>> {
    let (tier, at) = match v.prop_string(key, "a tier of the ladder", sink) {
        Some((s, at)) => (s, Some(at)),
        None if v.has_prop(key) => return None,
        None => (default.to_string(), None),
    };
    if allow_none && tier == "none" {
        return Some(None);
    }
    if ladder.contains(&tier) {
        return Some(Some(tier));
    }
    if ladder.is_empty() {
        return None;
    }
    let mut help = format!("tiers of the ladder, lowest first: {}", ladder.join(", "));
    if allow_none {
        help.push_str("; or `none` to allow no one");
    }
    if let Some(d) = did_you_mean(&tier, ladder.iter().map(String::as_str)) {
        help = format!("{d} ({help})");
    }
    sink.push(
        Diag::new(
            at.unwrap_or_else(|| v.name_loc()),
            format!("`{key}={tier}` is not a tier of the ladder"),
            "unknown tier",
        )
        .help(help),
    );
    None
}

/// Reports `column` if `table` does not have it.
pub fn check_column(
    column: &Ident,
    at: Loc,
    table: &QualName,
    columns: &[Ident],
    key: &str,
    sink: &mut Sink,
) -> bool {
    if columns.contains(column) {
        return true;
    }
    let help = match did_you_mean(column.as_str(), columns.iter().map(Ident::as_str)) {
        Some(d) => d,
        None => format!(
            "columns of {table}: {}",
            columns
                .iter()
                .map(Ident::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    sink.push(
        Diag::new(
            at,
            format!("`{key}=` names column `{column}`, which {table} does not have"),
            "no such column",
        )
        .help(help),
    );
    false
}

#[cfg(test)]
mod tests;
