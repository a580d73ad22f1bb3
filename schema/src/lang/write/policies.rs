//! RLS flags and policies as KDL.

use super::grants::roles_value;
use super::text::{prose, qual_name, sql_value, string};
use crate::catalog::Table;
use crate::ident::Ident;
use crate::lang::policy::policy_name;
use crate::security::{PUBLIC, Policy, PolicyCommand};

/// `rls` / `rls force=#true`, or nothing.
pub fn rls(table: &Table) -> Option<String> {
    match (table.rls_enabled, table.rls_forced) {
        (true, true) => Some("rls force=#true".into()),
        (true, false) => Some("rls".into()),
        _ => None,
    }
}

/// `policy "name" for=… to=… using=… check=…`; `on=` when written at the
/// top level.
pub fn policy(p: &Policy, top_level: bool) -> String {
    let mut line = format!("policy {}", written_name(&p.name));
    if top_level {
        line.push_str(&format!(" on={}", qual_name(&p.table)));
    }
    if p.command != PolicyCommand::All {
        line.push_str(&format!(" for={}", p.command.sql().to_lowercase()));
    }
    if !p.permissive {
        line.push_str(" as=restrictive");
    }
    if p.roles != [Ident::new(PUBLIC)] {
        let roles: Vec<&Ident> = p.roles.iter().collect();
        line.push_str(&format!(" to={}", roles_value(&roles)));
    }
    if let Some(u) = &p.using {
        line.push_str(&format!(" using={}", sql_value(u.sql())));
    }
    if let Some(c) = &p.check {
        line.push_str(&format!(" check={}", sql_value(c.sql())));
    }
    line
}

/// A policy name that the loader reads back as `name`: as written when
/// that works (prose names such as "owners read"), else with SQL quotes.
pub fn written_name(name: &Ident) -> String {
    let s = name.as_str();
    if policy_name(s) == *name {
        return if s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            string(s)
        } else {
            prose(s)
        };
    }
    prose(&format!("\"{}\"", s.replace('"', "\"\"")))
}
