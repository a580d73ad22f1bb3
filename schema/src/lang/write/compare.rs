//! The writer's self-check: what the written KDL loads back to, against
//! the Catalog it was written from.

use crate::catalog::{Catalog, Table};
use crate::ident::{Ident, QualName};
use crate::intents::Unmanaged;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

/// Constraints (and primary keys) the loader named differently: they need
/// an explicit `name=`.
pub fn misnamed(written: &Catalog, loaded: &Catalog) -> BTreeSet<(QualName, Ident)> {
    let mut out = BTreeSet::new();
    for (name, t) in &written.tables {
        let Some(l) = loaded.tables.get(name) else {
            continue;
        };
        if let Some(pk) = &t.primary_key
            && l.primary_key.as_ref().map(|p| &p.name) != Some(&pk.name)
        {
            out.insert((name.clone(), pk.name.clone()));
        }
        for (c, constraint) in &t.constraints {
            if l.constraints.get(c) != Some(constraint) {
                out.insert((name.clone(), c.clone()));
            }
        }
    }
    out
}

/// The objects that load back differently, keyed as `import` leaves them
/// unmanaged, each with what differs (in SQL terms).
pub fn differing_objects(written: &Catalog, loaded: &Catalog) -> BTreeMap<Unmanaged, String> {
    let mut out = BTreeMap::new();
    let why = "it does not load back from KDL exactly as PostgreSQL has it";
    for (k, e) in &written.enums {
        if loaded.enums.get(k) != Some(e) {
            out.insert(Unmanaged::Enum(k.clone()), why.to_string());
        }
    }
    for (k, i) in &written.indexes {
        if loaded.indexes.get(k) != Some(i) {
            out.insert(Unmanaged::Index(k.clone()), why.to_string());
        }
    }
    for (k, t) in &written.tables {
        let Some(l) = loaded.tables.get(k) else {
            out.insert(Unmanaged::Table(k.clone()), why.to_string());
            continue;
        };
        let mut only_constraints = t.clone();
        only_constraints.constraints = l.constraints.clone();
        if only_constraints != *l {
            out.insert(Unmanaged::Table(k.clone()), why.to_string());
            continue;
        }
        for (c, constraint) in &t.constraints {
            if l.constraints.get(c) != Some(constraint) {
                out.insert(
                    Unmanaged::Constraint {
                        table: k.clone(),
                        name: c.clone(),
                    },
                    why.to_string(),
                );
            }
        }
    }
    for (k, v) in &written.views {
        if loaded.views.get(k) != Some(v) {
            out.insert(Unmanaged::View(k.clone()), why.to_string());
        }
    }
    for (k, f) in &written.functions {
        if loaded.functions.get(k) != Some(f) {
            out.insert(Unmanaged::Function(k.name.clone()), why.to_string());
        }
    }
    for ((table, name), t) in &written.triggers {
        if loaded.triggers.get(&(table.clone(), name.clone())) != Some(t) {
            out.insert(
                Unmanaged::Trigger {
                    table: table.clone(),
                    name: name.clone(),
                },
                why.to_string(),
            );
        }
    }
    for ((table, _), p) in &written.policies {
        if loaded.policies.get(&(table.clone(), p.name.clone())) != Some(p)
            && written.tables.contains_key(table)
        {
            out.insert(
                Unmanaged::Table(table.clone()),
                format!("policy {}: {why}", p.name),
            );
        }
    }
    out
}

/// Every object that loads back differently, described for a person.
pub fn differences(written: &Catalog, loaded: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    map_diff(&mut out, "schema", &written.schemas, &loaded.schemas);
    map_diff(
        &mut out,
        "extension",
        &written.extensions,
        &loaded.extensions,
    );
    map_diff(&mut out, "enum", &written.enums, &loaded.enums);
    map_diff(&mut out, "index", &written.indexes, &loaded.indexes);
    let names: BTreeSet<&QualName> = written.tables.keys().chain(loaded.tables.keys()).collect();
    for name in names {
        match (written.tables.get(name), loaded.tables.get(name)) {
            (Some(w), Some(l)) => table_diff(&mut out, w, l),
            (w, l) => out.push(format!(
                "table {name}: {} the Catalog, {} the written KDL",
                presence(w.is_some()),
                presence(l.is_some())
            )),
        }
    }
    keyed_diff(&mut out, "view", &written.views, &loaded.views);
    keyed_diff(&mut out, "function", &written.functions, &loaded.functions);
    keyed_diff(&mut out, "policy", &written.policies, &loaded.policies);
    keyed_diff(&mut out, "trigger", &written.triggers, &loaded.triggers);
    for g in written.grants.difference(&loaded.grants) {
        out.push(format!(
            "{} on {} to {}: in the Catalog, not in the written KDL",
            g.privilege.sql(),
            g.on,
            g.grantee
        ));
    }
    for g in loaded.grants.difference(&written.grants) {
        out.push(format!(
            "{} on {} to {}: in the written KDL, not in the Catalog",
            g.privilege.sql(),
            g.on,
            g.grantee
        ));
    }
    for d in written
        .default_privileges
        .symmetric_difference(&loaded.default_privileges)
    {
        out.push(format!("default privilege {d:?} differs"));
    }
    if out.is_empty() && written != loaded {
        out.push("the written KDL loads back differently (a bug in the writer)".into());
    }
    out
}

fn presence(present: bool) -> &'static str {
    if present { "in" } else { "not in" }
}

fn map_diff<K: Ord + std::fmt::Display, V: PartialEq + Debug>(
    out: &mut Vec<String>,
    what: &str,
    written: &BTreeMap<K, V>,
    loaded: &BTreeMap<K, V>,
) {
    let keys: BTreeSet<&K> = written.keys().chain(loaded.keys()).collect();
    for k in keys {
        let (w, l) = (written.get(k), loaded.get(k));
        if w != l {
            out.push(format!(
                "{what} {k}: the Catalog has {w:?}, the written KDL loads {l:?}"
            ));
        }
    }
}

/// Like `map_diff`, for maps whose keys are not printable names.
fn keyed_diff<K: Ord + Debug, V: PartialEq + Debug>(
    out: &mut Vec<String>,
    what: &str,
    written: &BTreeMap<K, V>,
    loaded: &BTreeMap<K, V>,
) {
    let keys: BTreeSet<&K> = written.keys().chain(loaded.keys()).collect();
    for k in keys {
        let (w, l) = (written.get(k), loaded.get(k));
        if w != l {
            out.push(format!(
                "{what} {k:?}: the Catalog has {w:?}, the written KDL loads {l:?}"
            ));
        }
    }
}

fn table_diff(out: &mut Vec<String>, w: &Table, l: &Table) {
    let t = &w.name;
    let wc: Vec<&Ident> = w.columns.iter().map(|c| &c.name).collect();
    let lc: Vec<&Ident> = l.columns.iter().map(|c| &c.name).collect();
    if wc != lc {
        out.push(format!("table {t}: columns {wc:?} load back as {lc:?}"));
    }
    for (a, b) in w.columns.iter().zip(&l.columns) {
        if a != b {
            out.push(format!(
                "table {t}, column {}: the Catalog has {a:?}, the written KDL loads {b:?}",
                a.name
            ));
        }
    }
    if w.primary_key != l.primary_key {
        out.push(format!(
            "table {t}: primary key {:?} loads back as {:?}",
            w.primary_key, l.primary_key
        ));
    }
    map_diff(
        out,
        &format!("table {t}: constraint"),
        &w.constraints,
        &l.constraints,
    );
    if w.comment != l.comment {
        out.push(format!(
            "table {t}: comment {:?} loads back as {:?}",
            w.comment, l.comment
        ));
    }
}
