//! What `apply` needs accepted before it writes: destructive (contract)
//! steps approved in KDL, and the hazards of every file it writes.
//!
//! An `approve` names an object as plans print it. Approving a table covers
//! what belongs to it — its columns, indexes, constraints, policies and
//! triggers — so `approve "core.legacy"` is enough to drop that table with
//! everything on it.

use crate::plan::{ObjectKind, Step};
use schema::Catalog;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Approvals {
    objects: BTreeSet<String>,
    /// Index and constraint display names (`core.shows_pkey`) → their
    /// table's: those names do not say which table they belong to.
    owners: BTreeMap<String, String>,
}

impl Approvals {
    /// `objects` as the KDL's `approve` nodes name them; `current` is the
    /// schema the plan starts from, where the objects a contract drops
    /// still exist.
    pub fn new(objects: BTreeSet<String>, current: &Catalog) -> Self {
        let mut owners = BTreeMap::new();
        for index in current.indexes.values() {
            owners.insert(index.name.to_string(), index.table.to_string());
        }
        for table in current.tables.values() {
            let qualified = |name: &schema::Ident| format!("{}.{name}", table.name.schema);
            if let Some(pk) = &table.primary_key {
                owners.insert(qualified(&pk.name), table.name.to_string());
            }
            for name in table.constraints.keys() {
                owners.insert(qualified(name), table.name.to_string());
            }
        }
        Approvals { objects, owners }
    }

    /// The objects named, sorted.
    pub fn objects(&self) -> impl Iterator<Item = &String> {
        self.objects.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The step's object, or the table it belongs to, is approved.
    pub fn covers(&self, step: &Step) -> bool {
        let name = &step.object.name;
        if self.objects.contains(name) {
            return true;
        }
        let owner = match step.object.kind {
            ObjectKind::Index | ObjectKind::Constraint | ObjectKind::PrimaryKey => {
                self.owners.get(name).cloned()
            }
            // `core.shows.handle`, `core.shows.trigger_name`, `core.shows.policy`.
            ObjectKind::Column | ObjectKind::Trigger | ObjectKind::Policy | ObjectKind::Comment => {
                schema::ident::split_qualified(name)
                    .filter(|parts| parts.len() >= 3)
                    .map(|parts| parts[..2].join("."))
            }
            _ => None,
        };
        owner.is_some_and(|o| self.objects.contains(&o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, ObjectRef, Rollback};

    fn step(kind: ObjectKind, name: &str) -> Step {
        Step {
            object: ObjectRef {
                kind,
                name: name.into(),
            },
            action: Action::Drop,
            summary: format!("drop {name}"),
            sql: "select 1;".into(),
            rollback: Rollback::Irreversible {
                reason: "test".into(),
            },
            hazards: vec![],
            access: vec![],
        }
    }

    #[test]
    fn a_table_covers_what_belongs_to_it() {
        let current = schema::lang::load_sources(&[schema::Source::new(
            "t.kdl",
            "table core.legacy { column id int primary-key=#true\n column code text\n unique code\n index legacy_code_lower \"lower(code)\" }\ntable core.other { column id int primary-key=#true }",
        )])
        .unwrap();
        let approvals = Approvals::new(
            ["core.legacy".to_string(), "core.other.id".to_string()].into(),
            &current,
        );
        for (kind, name) in [
            (ObjectKind::Table, "core.legacy"),
            (ObjectKind::Column, "core.legacy.code"),
            (ObjectKind::PrimaryKey, "core.legacy_pkey"),
            (ObjectKind::Constraint, "core.legacy_code_key"),
            (ObjectKind::Index, "core.legacy_code_lower"),
            (ObjectKind::Policy, "core.legacy.p"),
            (ObjectKind::Column, "core.other.id"),
        ] {
            assert!(approvals.covers(&step(kind, name)), "{name}");
        }
        for (kind, name) in [
            (ObjectKind::Table, "core.other"),
            (ObjectKind::PrimaryKey, "core.other_pkey"),
            (ObjectKind::Column, "core.legacy2.code"),
            (ObjectKind::Index, "core.unknown_idx"),
        ] {
            assert!(!approvals.covers(&step(kind, name)), "{name}");
        }
    }
}
