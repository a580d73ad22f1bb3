//! Builds the security surface once tables are built: functions, views,
//! policies (with RLS flags), triggers, then privileges. Checks that need
//! every file: duplicates, the tables policies are on, trigger columns and
//! functions.

use super::decl::TableDecl;
use super::errors::{Diag, Loc, Sink, did_you_mean};
use super::policy::PolicyDecl;
use super::trigger::TriggerDecl;
use super::validate::{Security, check_columns, duplicate};
use crate::catalog::Catalog;
use crate::ident::{Ident, QualName};
use crate::routines::{FunctionId, TriggerTiming};
use crate::security::PolicyKey;
use std::collections::{BTreeMap, BTreeSet};

pub fn build(
    catalog: &mut Catalog,
    security: Security,
    tables: &BTreeMap<QualName, TableDecl>,
    types: &mut BTreeMap<QualName, Loc>,
    managed: &BTreeSet<Ident>,
    sink: &mut Sink,
) {
    let mut functions: BTreeMap<FunctionId, Loc> = BTreeMap::new();
    for f in &security.functions {
        let id = f.function.id();
        if let Some(first) = functions.get(&id) {
            duplicate("function", &id.to_string(), f.name_at, *first, sink);
            continue;
        }
        functions.insert(id.clone(), f.name_at);
        catalog.functions.insert(id, f.function.clone());
    }

    for v in &security.views {
        if let Some(first) = types.get(&v.view.name) {
            duplicate(
                "relation",
                &v.view.name.to_string(),
                v.name_at,
                *first,
                sink,
            );
            continue;
        }
        types.insert(v.view.name.clone(), v.name_at);
        catalog.views.insert(v.view.name.clone(), v.view.clone());
    }

    build_policies(catalog, &security.policies, tables, managed, sink);

    for (name, t) in tables {
        if let (Some((forced, _)), Some(table)) = (t.rls, catalog.tables.get_mut(name)) {
            table.rls_enabled = true;
            table.rls_forced = forced;
        }
        let before = sink.diags.len();
        check_columns_of_triggers(t, sink);
        if sink.diags.len() == before {
            build_triggers(catalog, name, &t.triggers, false, managed, sink);
        }
    }
    for v in &security.views {
        if catalog.views.contains_key(&v.view.name) {
            build_triggers(catalog, &v.view.name, &v.triggers, true, managed, sink);
        }
    }

    super::privileges::build(catalog, &security, tables, sink);
}

fn build_policies(
    catalog: &mut Catalog,
    top_level: &[PolicyDecl],
    tables: &BTreeMap<QualName, TableDecl>,
    managed: &BTreeSet<Ident>,
    sink: &mut Sink,
) {
    let mut seen: BTreeMap<PolicyKey, Loc> = BTreeMap::new();
    let in_tables = tables.values().flat_map(|t| &t.policies);
    for p in in_tables.chain(top_level) {
        let table = &p.policy.table;
        if let Some(at) = p.table_at
            && !tables.contains_key(table)
            && managed.contains(&table.schema)
        {
            // A table of a schema these files manage must be declared
            // here: an unknown one is a typo, not an external table.
            let known: Vec<String> = tables
                .keys()
                .filter(|q| q.schema == table.schema)
                .map(|q| q.to_string())
                .collect();
            let help = did_you_mean(&table.to_string(), known.iter().map(String::as_str)).unwrap_or_else(|| {
                format!("declare `table {table}` or fix the name; schema {} is declared in these files", table.schema)
            });
            sink.push(
                Diag::new(
                    at,
                    format!("policy {} is on unknown table {table}", p.policy.name),
                    "no such table",
                )
                .help(help),
            );
            continue;
        }
        let key = p.policy.key();
        if let Some(first) = seen.get(&key) {
            duplicate(
                "policy",
                &format!("{} on {table}", p.policy.name),
                p.at,
                *first,
                sink,
            );
            continue;
        }
        seen.insert(key.clone(), p.at);
        catalog.policies.insert(key, p.policy.clone());
    }
}

fn check_columns_of_triggers(t: &TableDecl, sink: &mut Sink) {
    for d in &t.triggers {
        check_columns(t, &d.of, "trigger", sink);
    }
}

/// The triggers of one table (or view, `on_view`): duplicates, timing
/// rules PostgreSQL enforces, and the function they run.
fn build_triggers(
    catalog: &mut Catalog,
    relation: &QualName,
    triggers: &[TriggerDecl],
    on_view: bool,
    managed: &BTreeSet<Ident>,
    sink: &mut Sink,
) {
    let mut seen: BTreeMap<&Ident, Loc> = BTreeMap::new();
    for d in triggers {
        let trigger = &d.trigger;
        if let Some(first) = seen.get(&trigger.name) {
            duplicate(
                "trigger",
                &format!("{} on {}", trigger.name, relation),
                d.at,
                *first,
                sink,
            );
            continue;
        }
        seen.insert(&trigger.name, d.at);
        let instead = trigger.timing == TriggerTiming::InsteadOf;
        let misplaced = match (on_view, instead, trigger.for_each_row) {
            (false, true, _) => Some((
                "INSTEAD OF triggers are for views",
                "write `before` or `after` on a table, or put the trigger in the view's block",
            )),
            (true, true, false) => Some((
                "INSTEAD OF triggers run for each row",
                "remove for-each=statement",
            )),
            (true, false, true) => Some((
                "BEFORE and AFTER triggers on a view run for each statement",
                "write for-each=statement, or use `instead-of` for a row trigger",
            )),
            _ => None,
        };
        if let Some((message, help)) = misplaced {
            sink.push(
                Diag::new(
                    d.at,
                    format!("trigger {} on {relation}: {message}", trigger.name),
                    "not allowed here",
                )
                .help(help),
            );
            continue;
        }
        let declared: Vec<&FunctionId> = catalog
            .functions
            .keys()
            .filter(|id| id.name.schema == trigger.function.schema)
            .collect();
        let exists = declared
            .iter()
            .any(|id| id.name == trigger.function && id.arg_types.is_empty());
        if !exists && managed.contains(&trigger.function.schema) {
            let names: Vec<String> = declared.iter().map(|id| id.name.to_string()).collect();
            let help = did_you_mean(&trigger.function.to_string(), names.iter().map(String::as_str)).unwrap_or_else(|| {
                format!(
                    "declare `function {} returns=trigger language=plpgsql {{ … }}` (schema {} is declared in these files)",
                    trigger.function, trigger.function.schema
                )
            });
            sink.push(
                Diag::new(
                    d.execute_at,
                    format!(
                        "trigger {} runs {}(), which is not declared",
                        trigger.name, trigger.function
                    ),
                    "unknown function",
                )
                .help(help),
            );
            continue;
        }
        catalog.triggers.insert(trigger.key(), trigger.clone());
    }
}
