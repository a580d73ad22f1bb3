//! Offline replay against shadow replay: every object on which the two
//! Catalogs disagree, named and shown from both sides. Unlike
//! [`crate::diff`], which says how to get from one Catalog to the other in
//! SQL, this says what differs, so a person can see where the offline
//! replay went wrong (a dynamic `EXECUTE`, a guarded block it misread).
//!
//! PostgreSQL stores the type it resolved for every literal and every
//! implicit coercion and prints them back (`'draft'` → `'draft'::text`, a
//! default `-1` → `'-1'::integer`, `rating > 5` → `rating > 5::numeric`),
//! so expressions are compared without casts ([`loosen`]); a difference,
//! once found, shows both spellings.
//!
//! Column references are compared without their qualifier (`shows.id` =
//! `id`; not `old.`/`new.` in trigger conditions): `pg_get_viewdef` and
//! `pg_get_expr` qualify every column of a view query or of a subquery
//! inside a policy. A view's column list is compared as the names it gives
//! the query's outputs (`CREATE VIEW v (a) AS SELECT id …` = PostgreSQL's
//! `SELECT shows.id AS a …`).
//!
//! `loosen.rs` takes PostgreSQL's spelling out, `tables.rs` compares tables
//! and their columns, `security.rs` the security surface.

use crate::plan::sql::create_index;
use schema::Catalog;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

mod loosen;
mod security;
#[cfg(test)]
mod security_tests;
mod tables;
#[cfg(test)]
mod tests;

pub use loosen::{loosen, prefer_offline_spelling};
use security::*;
use tables::*;

/// One object on which the offline and shadow replays disagree. A side is
/// `None` when the object does not exist there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `schema`, `extension`, `enum`, `table`, `column`, `primary key`,
    /// `constraint`, `index`, `view`, `materialized view`, `function`,
    /// `policy`, `trigger`, `grant`, `default privileges`.
    pub kind: &'static str,
    /// `core.shows`, `core.shows.title`, `core.shows.shows_org_id_fkey`,
    /// `core.is_member(uuid, text)`, `core.shows."owners read"` (a policy or
    /// trigger: table and name), `TABLE core.shows to anon` (a grant),
    /// `in schema core on tables to anon` (default privileges).
    pub object: String,
    /// What differs: `exists`, `type`, `default`, `nullable`, `identity`,
    /// `generated`, `comment`, `definition`, `values`, `schema`, `column
    /// order`, `row level security`; policies: `as`, `command`, `roles`,
    /// `using`, `check`; functions: `arguments`, `returns`, `language`,
    /// `body`, `volatility`, `strict`, `security`, `leakproof`, `parallel`,
    /// `config`; triggers: `timing`, `events`, `for each`, `when`,
    /// `function`, `arguments`; views: `kind`, `columns`, `query`,
    /// `security_invoker`, `security_barrier`, `check option`; grants and
    /// default privileges: `privileges`.
    pub aspect: &'static str,
    pub offline: Option<String>,
    pub shadow: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |s: &Option<String>| s.clone().unwrap_or_else(|| "(absent)".into());
        if self.aspect == "exists" {
            let (only, text) = match (&self.offline, &self.shadow) {
                (Some(text), None) => ("only in the offline replay", text),
                (None, Some(text)) => ("only in PostgreSQL", text),
                _ => return write!(f, "{} {}", self.kind, self.object),
            };
            return write!(f, "{} {}: {only}: {text}", self.kind, self.object);
        }
        write!(
            f,
            "{} {} {}: offline {}, PostgreSQL {}",
            self.kind,
            self.object,
            self.aspect,
            side(&self.offline),
            side(&self.shadow)
        )
    }
}

/// Every difference between the offline replay and the shadow replay,
/// object by object: schemas, extensions, enums, tables (columns, primary
/// key, constraints, comments, RLS), indexes, views, functions, policies,
/// triggers, grants, then default privileges, each in name order.
pub fn compare(offline: &Catalog, shadow: &Catalog) -> Vec<Difference> {
    // What differs once literal casts are ignored; shown as spelled.
    let real: BTreeSet<(&str, String, &str)> = walk(&loosen(offline), &loosen(shadow))
        .into_iter()
        .map(|d| (d.kind, d.object, d.aspect))
        .collect();
    walk(offline, shadow)
        .into_iter()
        .filter(|d| real.contains(&(d.kind, d.object.clone(), d.aspect)))
        .collect()
}

/// Every difference, spelling included.
fn walk(offline: &Catalog, shadow: &Catalog) -> Vec<Difference> {
    let mut out = Out::default();
    pairs(&offline.schemas, &shadow.schemas, |name, a, b| {
        let object = name.to_string();
        match (a, b) {
            (Some(a), Some(b)) => out.aspect("schema", &object, "comment", &a.comment, &b.comment),
            _ => out.exists(
                "schema",
                &object,
                a.map(|_| object.clone()),
                b.map(|_| object.clone()),
            ),
        }
    });
    pairs(&offline.extensions, &shadow.extensions, |name, a, b| {
        let render = |e: &schema::Extension| match &e.schema {
            Some(s) => format!("{name} in schema {s}"),
            None => format!("{name} (default schema)"),
        };
        let object = name.to_string();
        match (a, b) {
            (Some(a), Some(b)) => {
                let schema = |e: &schema::Extension| e.schema.as_ref().map(ToString::to_string);
                out.aspect("extension", &object, "schema", &schema(a), &schema(b));
            }
            _ => out.exists("extension", &object, a.map(render), b.map(render)),
        }
    });
    pairs(&offline.enums, &shadow.enums, |name, a, b| {
        let object = name.to_string();
        let values = |e: &schema::Enum| {
            let labels: Vec<String> = e
                .values
                .iter()
                .map(|v| crate::plan::sql::literal(v))
                .collect();
            format!("({})", labels.join(", "))
        };
        match (a, b) {
            (Some(a), Some(b)) => {
                out.aspect(
                    "enum",
                    &object,
                    "values",
                    &Some(values(a)),
                    &Some(values(b)),
                );
                out.aspect("enum", &object, "comment", &a.comment, &b.comment);
            }
            _ => out.exists("enum", &object, a.map(values), b.map(values)),
        }
    });
    pairs(&offline.tables, &shadow.tables, |name, a, b| match (a, b) {
        (Some(a), Some(b)) => table(&mut out, a, b),
        _ => out.exists(
            "table",
            &name.to_string(),
            a.map(table_summary),
            b.map(table_summary),
        ),
    });
    pairs(&offline.indexes, &shadow.indexes, |name, a, b| {
        let object = name.to_string();
        let def = |i: &schema::Index| create_index(i, false).trim_end_matches(';').to_string();
        match (a, b) {
            (Some(a), Some(b)) => {
                let mut a_def = a.clone();
                let mut b_def = b.clone();
                a_def.comment = None;
                b_def.comment = None;
                out.aspect(
                    "index",
                    &object,
                    "definition",
                    &Some(def(&a_def)),
                    &Some(def(&b_def)),
                );
                out.aspect("index", &object, "comment", &a.comment, &b.comment);
            }
            _ => out.exists("index", &object, a.map(def), b.map(def)),
        }
    });
    pairs(&offline.views, &shadow.views, |name, a, b| {
        view(&mut out, &name.to_string(), a, b)
    });
    pairs(&offline.functions, &shadow.functions, |id, a, b| {
        function(&mut out, &id.to_string(), a, b)
    });
    pairs(
        &offline.policies,
        &shadow.policies,
        |(table, name), a, b| policy(&mut out, &format!("{table}.{}", name.quoted()), a, b),
    );
    pairs(
        &offline.triggers,
        &shadow.triggers,
        |(table, name), a, b| trigger(&mut out, &format!("{table}.{}", name.quoted()), a, b),
    );
    grants(&mut out, &offline.grants, &shadow.grants);
    default_privileges(
        &mut out,
        &offline.default_privileges,
        &shadow.default_privileges,
    );
    out.0
}

#[derive(Default)]
pub(super) struct Out(Vec<Difference>);

impl Out {
    fn exists(
        &mut self,
        kind: &'static str,
        object: &str,
        offline: Option<String>,
        shadow: Option<String>,
    ) {
        self.0.push(Difference {
            kind,
            object: object.to_string(),
            aspect: "exists",
            offline,
            shadow,
        });
    }

    /// Records `aspect` when the two sides differ.
    fn aspect(
        &mut self,
        kind: &'static str,
        object: &str,
        aspect: &'static str,
        offline: &Option<String>,
        shadow: &Option<String>,
    ) {
        if offline != shadow {
            self.0.push(Difference {
                kind,
                object: object.to_string(),
                aspect,
                offline: offline.clone(),
                shadow: shadow.clone(),
            });
        }
    }
}

/// Calls `each` for every key of either map, in key order.
pub(super) fn pairs<K: Ord + Clone, V>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
    mut each: impl FnMut(&K, Option<&V>, Option<&V>),
) {
    let mut keys: Vec<&K> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        each(key, a.get(key), b.get(key));
    }
}
