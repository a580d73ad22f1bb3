//! Objects the KDL declares `unmanaged`: the desired Catalog takes their
//! current shape, so the diff finds nothing to do for them. An object the
//! language cannot declare (written so by `import`) is left alone, never
//! dropped.

use schema::{Catalog, GrantTarget, QualName, Unmanaged};

/// `desired` with every unmanaged object as `current` has it (absent from
/// both when `current` lacks it).
pub fn adopt(current: &Catalog, desired: &Catalog, unmanaged: &[&Unmanaged]) -> Catalog {
    let mut out = desired.clone();
    for object in unmanaged {
        match object {
            Unmanaged::Table(name) => {
                copy_entry(&current.tables, &mut out.tables, name);
                out.indexes.retain(|_, i| &i.table != name);
                out.indexes.extend(
                    current
                        .indexes
                        .iter()
                        .filter(|(_, i)| &i.table == name)
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
                on_relation(current, &mut out, name);
                let sequences: Vec<QualName> = current
                    .tables
                    .get(name)
                    .map(crate::diff::owned_sequences)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect();
                for s in &sequences {
                    grants_on(
                        current,
                        &mut out,
                        |t| matches!(t, GrantTarget::Sequence { sequence } if sequence == s),
                    );
                }
            }
            Unmanaged::View(name) => {
                copy_entry(&current.views, &mut out.views, name);
                on_relation(current, &mut out, name);
            }
            Unmanaged::Index(name) => copy_entry(&current.indexes, &mut out.indexes, name),
            Unmanaged::Enum(name) => copy_entry(&current.enums, &mut out.enums, name),
            Unmanaged::Function(name) => {
                out.functions.retain(|id, _| &id.name != name);
                out.functions.extend(
                    current
                        .functions
                        .iter()
                        .filter(|(id, _)| &id.name == name)
                        .map(|(k, v)| (k.clone(), v.clone())),
                );
                grants_on(
                    current,
                    &mut out,
                    |t| matches!(t, GrantTarget::Function { function } if &function.name == name),
                );
            }
            Unmanaged::Sequence(name) => grants_on(
                current,
                &mut out,
                |t| matches!(t, GrantTarget::Sequence { sequence } if sequence == name),
            ),
            Unmanaged::Constraint { table, name } => {
                let now = current
                    .tables
                    .get(table)
                    .and_then(|t| t.constraints.get(name));
                if let Some(t) = out.tables.get_mut(table) {
                    match now {
                        Some(c) => {
                            t.constraints.insert(name.clone(), c.clone());
                        }
                        None => {
                            t.constraints.remove(name);
                        }
                    }
                }
            }
            Unmanaged::Trigger { table, name } => {
                let key = (table.clone(), name.clone());
                copy_entry(&current.triggers, &mut out.triggers, &key);
            }
        }
    }
    out
}

/// `to[key]` becomes `from[key]`, or goes when `from` lacks it.
fn copy_entry<K: Ord + Clone, V: Clone>(
    from: &std::collections::BTreeMap<K, V>,
    to: &mut std::collections::BTreeMap<K, V>,
    key: &K,
) {
    match from.get(key) {
        Some(v) => {
            to.insert(key.clone(), v.clone());
        }
        None => {
            to.remove(key);
        }
    }
}

/// What hangs on a table or view besides its definition: triggers,
/// policies, privileges.
fn on_relation(current: &Catalog, out: &mut Catalog, name: &QualName) {
    out.triggers.retain(|(t, _), _| t != name);
    out.triggers.extend(
        current
            .triggers
            .iter()
            .filter(|((t, _), _)| t == name)
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    out.policies.retain(|(t, _), _| t != name);
    out.policies.extend(
        current
            .policies
            .iter()
            .filter(|((t, _), _)| t == name)
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    grants_on(
        current,
        out,
        |t| matches!(t, GrantTarget::Table { table } | GrantTarget::Column { table, .. } if table == name),
    );
}

/// The grants whose target `pick` selects become `current`'s.
fn grants_on(current: &Catalog, out: &mut Catalog, pick: impl Fn(&GrantTarget) -> bool) {
    out.grants.retain(|g| !pick(&g.on));
    out.grants
        .extend(current.grants.iter().filter(|g| pick(&g.on)).cloned());
}

#[cfg(test)]
mod tests {
    use crate::plan::{PlanOptions, plan_declared};
    use schema::{Ident, Source};

    /// The history has a table, an index, a trigger and a constraint the KDL
    /// leaves out or declares otherwise; declared `unmanaged`, none of
    /// them is dropped or changed, and the rest is still planned.
    #[test]
    fn unmanaged_objects_are_neither_dropped_nor_changed() {
        let history = "create schema core;\n\
            create table core.events (id bigint primary key, at timestamptz);\n\
            create index events_at on core.events (at);\n\
            create table core.people (id bigint primary key, name text);\n\
            alter table core.people add constraint people_id_key unique (id);\n\
            create index people_name on core.people (name);\n";
        let current = crate::replay::replay_sources(&[Source::new("0001.sql", history)])
            .unwrap()
            .catalog;
        let kdl = "schema core\n\
            table core.people {\n    column id bigint primary-key=#true\n    column name text nullable=#true\n    column nick text nullable=#true\n}\n\
            unmanaged table core.events reason=\"partitioned\"\n\
            unmanaged constraint core.people.people_id_key\n\
            unmanaged index core.people_name\n";
        let declared =
            schema::lang::load_sources_declared(&[Source::new("core.kdl", kdl)], None).unwrap();
        let plan = plan_declared(
            &current,
            &declared.catalog,
            &declared.intents,
            &PlanOptions::new(vec![Ident::new("core")]),
        );
        let summaries: Vec<&str> = plan.steps().map(|s| s.summary.as_str()).collect();
        assert_eq!(summaries, ["add column core.people.nick (text, nullable)"]);
    }
}
