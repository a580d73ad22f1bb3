//! `table core.programs renamed-from=core.shows compat-view=#true`: a
//! rename, not a drop and a create, so no row moves and nothing is lost.
//!
//! - **cutover**: `ALTER TABLE … RENAME TO` (and `SET SCHEMA` when the
//!   schema changes); the primary key, constraints and indexes whose names
//!   derive from the old table name (`shows_pkey`) get the names the KDL
//!   derives for the new one (`programs_pkey`); with `compat-view`, a view
//!   under the old name, `security_invoker` so row-level security still
//!   applies to whoever queries it, carrying the table's grants so the old
//!   application's roles keep working. A view selecting the columns of one
//!   table is automatically updatable: the old application still writes
//!   through it.
//! - **contract**: drops the compatibility view (its rollback creates it
//!   again, with its grants: nothing is lost).
//!
//! How far it got is read from the current Catalog: old table present and
//! new absent → everything; new table present and the view still there →
//! only the contract; otherwise nothing. The plain diff sees the table
//! under its new name (the rename statements replayed on the current
//! Catalog), so it neither creates the new table nor drops the old one.

use super::super::deps::{Deps, Key};
use super::super::model::*;
use super::super::steps::{Draft, FileKind};
use super::Rollout;
use schema::{Catalog, GrantTarget, Ident, Intents, QualName, Source};

/// Adds the table renames `intents` declare to `rollout`.
pub(super) fn add(
    rollout: &mut Rollout<'_>,
    desired: &Catalog,
    intents: &Intents,
    options: &PlanOptions,
) {
    for (new, intent) in &intents.tables {
        let Some(old) = &intent.renamed_from else {
            continue;
        };
        // Only managed tables: the plain diff ignores the others too.
        if !options.managed_schemas.contains(&new.schema)
            || !options.managed_schemas.contains(&old.schema)
        {
            continue;
        }
        if !desired.tables.contains_key(new) {
            continue;
        }
        let current = &rollout.current_view;
        let has_old = current.tables.contains_key(old);
        let has_new = current.tables.contains_key(new);
        if has_old && has_new {
            rollout.unsupported.push(Unsupported {
                object: ObjectRef {
                    kind: ObjectKind::Table,
                    name: new.to_string(),
                },
                reason: format!(
                    "{new} is declared `renamed-from={old}`, but the migrations already have both tables; \
                     remove `renamed-from=` (and drop or keep {old} explicitly)"
                ),
            });
            continue;
        }
        if has_old {
            start(rollout, old, new, intent.compat_view, desired);
        } else if has_new && intent.compat_view && current.views.contains_key(old) {
            finish(rollout, old, new);
        }
    }
}

/// The whole rollout: nothing is renamed yet.
fn start(rollout: &mut Rollout<'_>, old: &QualName, new: &QualName, view: bool, desired: &Catalog) {
    let current = rollout.current_view.as_ref();
    let chain = format!("rename table {old}");
    let mut steps: Vec<(Step, Deps)> = Vec::new();
    let mut replayed = String::new();

    // The table itself: another schema first, then another name.
    let mut at = old.clone();
    if old.schema != new.schema {
        let moved = QualName::new(new.schema.clone(), old.name.clone());
        let sql = format!("ALTER TABLE {at} SET SCHEMA {};", new.schema);
        let rollback = format!("ALTER TABLE {moved} SET SCHEMA {};", old.schema);
        steps.push((
            step(
                ObjectKind::Table,
                new.to_string(),
                Action::Alter,
                format!("move table {at} to schema {}", new.schema),
                sql,
                rollback,
                vec![Hazard::AccessExclusiveLock],
            ),
            Deps {
                needs: vec![Key::Schema(new.schema.clone())],
                ..Deps::default()
            },
        ));
        at = moved;
    }
    if at.name != new.name {
        steps.push((
            step(
                ObjectKind::Table,
                new.to_string(),
                Action::Alter,
                format!("rename table {at} to {new}"),
                format!("ALTER TABLE {at} RENAME TO {};", new.name),
                format!("ALTER TABLE {new} RENAME TO {};", at.name),
                vec![Hazard::AccessExclusiveLock],
            ),
            Deps::default(),
        ));
    }
    for (s, _) in &steps {
        replayed.push_str(&s.sql);
        replayed.push('\n');
    }
    // What the table creates under its new name, for plain steps on it.
    let table = &current.tables[old];
    let mut creates = vec![Key::Table(new.clone())];
    creates.extend(
        table
            .columns
            .iter()
            .map(|c| Key::Column(new.clone(), c.name.clone())),
    );
    if let Some((_, deps)) = steps.last_mut() {
        deps.creates = creates;
    }

    // Names derived from the old table name, where the KDL derives the new.
    let want = &desired.tables[new];
    let wanted_constraint = |name: &Ident| {
        want.primary_key.as_ref().is_some_and(|pk| &pk.name == name)
            || want.constraints.contains_key(name)
    };
    let mut owned: Vec<(ObjectKind, &Ident)> = Vec::new();
    if let Some(pk) = &table.primary_key {
        owned.push((ObjectKind::PrimaryKey, &pk.name));
    }
    owned.extend(
        table
            .constraints
            .keys()
            .map(|n| (ObjectKind::Constraint, n)),
    );
    for (kind, name) in owned {
        let Some(renamed) = derived(name, &old.name, &new.name) else {
            continue;
        };
        if !wanted_constraint(&renamed) || table.constraints.contains_key(&renamed) {
            continue;
        }
        steps.push((
            step(
                kind,
                format!("{}.{renamed}", new.schema),
                Action::Alter,
                format!("rename constraint {}.{name} to {renamed}", new.schema),
                format!("ALTER TABLE {new} RENAME CONSTRAINT {name} TO {renamed};"),
                format!("ALTER TABLE {new} RENAME CONSTRAINT {renamed} TO {name};"),
                vec![Hazard::AccessExclusiveLock],
            ),
            Deps {
                creates: vec![Key::Constraint(new.clone(), renamed.clone())],
                ..Deps::default()
            },
        ));
    }
    for index in current.indexes.values().filter(|i| &i.table == old) {
        let Some(renamed) = derived(&index.name.name, &old.name, &new.name) else {
            continue;
        };
        let from = QualName::new(new.schema.clone(), index.name.name.clone());
        let to = QualName::new(new.schema.clone(), renamed.clone());
        if !desired.indexes.contains_key(&to) || current.indexes.contains_key(&to) {
            continue;
        }
        steps.push((
            step(
                ObjectKind::Index,
                to.to_string(),
                Action::Alter,
                format!("rename index {from} to {renamed}"),
                format!("ALTER INDEX {from} RENAME TO {renamed};"),
                format!("ALTER INDEX {to} RENAME TO {};", index.name.name),
                Vec::new(),
            ),
            Deps {
                creates: vec![Key::Index(to.clone())],
                ..Deps::default()
            },
        ));
    }
    // A serial column's sequence is named after the table, and renaming the
    // table does not rename it: where the KDL derives the new name (its
    // `nextval` default), rename the sequence too. It is the same object, so
    // the values drawn so far and its grants stay with it.
    for column in &table.columns {
        let Some(seq) = column
            .default
            .as_ref()
            .and_then(schema::names::serial_sequence)
        else {
            continue;
        };
        let Some(wanted) = want
            .columns
            .iter()
            .find(|c| c.name == column.name)
            .and_then(|c| c.default.as_ref())
            .and_then(schema::names::serial_sequence)
        else {
            continue;
        };
        let moved = QualName::new(new.schema.clone(), seq.name.clone());
        let owned_here = seq.schema == old.schema
            && seq.name.as_str()
                == schema::names::make_object_name(
                    old.name.as_str(),
                    Some(column.name.as_str()),
                    "seq",
                );
        if !owned_here || wanted == moved || wanted.schema != new.schema {
            continue;
        }
        steps.push((
            step(
                ObjectKind::Sequence,
                wanted.to_string(),
                Action::Alter,
                format!(
                    "rename sequence {moved} to {} (the serial of {new}.{})",
                    wanted.name, column.name
                ),
                format!("ALTER SEQUENCE {moved} RENAME TO {};", wanted.name),
                format!("ALTER SEQUENCE {wanted} RENAME TO {};", moved.name),
                Vec::new(),
            ),
            Deps::default(),
        ));
    }
    for (s, _) in steps.iter().skip(replayed.lines().count()) {
        replayed.push_str(&s.sql);
        replayed.push('\n');
    }

    // The plain diff sees the table renamed, with what it carries along.
    let grants = table_grants(current, old);
    let columns: Vec<Ident> = table.columns.iter().map(|c| c.name.clone()).collect();
    let renamed = match engine_replay(current, &replayed) {
        Ok(view) => view,
        Err(reason) => {
            rollout.unsupported.push(Unsupported {
                object: ObjectRef {
                    kind: ObjectKind::Table,
                    name: new.to_string(),
                },
                reason: format!("cannot follow the rename of {old} to {new}: {reason}"),
            });
            return;
        }
    };
    rollout.current_view = std::borrow::Cow::Owned(renamed);

    if view {
        steps.push((
            step(
                ObjectKind::View,
                old.to_string(),
                Action::Create,
                format!(
                    "create compatibility view {old} over {new} (security invoker{})",
                    grants_note(&grants)
                ),
                create_view(old, new, &columns, &grants),
                format!("DROP VIEW {old};"),
                Vec::new(),
            ),
            Deps::default(),
        ));
    }
    for (s, deps) in steps {
        rollout
            .drafts
            .push((draft(s, FileKind::Cutover, &chain), deps));
    }
    if view {
        let drop = drop_view(old, new, &columns, &grants);
        rollout.drafts.push((
            draft(drop, FileKind::Contract, &chain),
            view_uses(new, &columns),
        ));
    }
}

/// The view reads every column it lists: a contract that also drops one of
/// them drops the view first.
fn view_uses(table: &QualName, columns: &[Ident]) -> Deps {
    Deps {
        releases: columns
            .iter()
            .map(|c| Key::Column(table.clone(), c.clone()))
            .collect(),
        ..Deps::default()
    }
}

/// Renamed already, the compatibility view still there: only the contract.
fn finish(rollout: &mut Rollout<'_>, old: &QualName, new: &QualName) {
    let grants = table_grants(&rollout.current_view, old);
    let columns = view_columns(&rollout.current_view, old, new);
    let view = rollout.current_view.to_mut();
    view.views.remove(old);
    view.grants
        .retain(|g| !matches!(&g.on, GrantTarget::Table { table } if table == old));
    let drop = drop_view(old, new, &columns, &grants);
    let chain = format!("rename table {old}");
    rollout.drafts.push((
        draft(drop, FileKind::Contract, &chain),
        view_uses(new, &columns),
    ));
}

/// The columns the compatibility view lists: those it has (as replayed), or
/// else the table's.
fn view_columns(current: &Catalog, old: &QualName, new: &QualName) -> Vec<Ident> {
    match current.views.get(old) {
        Some(view) if !view.columns.is_empty() => view.columns.clone(),
        _ => current
            .tables
            .get(new)
            .map(|t| t.columns.iter().map(|c| c.name.clone()).collect())
            .unwrap_or_default(),
    }
}

fn drop_view(old: &QualName, new: &QualName, columns: &[Ident], grants: &[schema::Grant]) -> Step {
    step(
        ObjectKind::View,
        old.to_string(),
        Action::Drop,
        format!("drop compatibility view {old} (the table is {new} now)"),
        format!("DROP VIEW {old};"),
        create_view(old, new, columns, grants),
        vec![Hazard::AccessExclusiveLock],
    )
}

/// `CREATE VIEW`, then the grants the table had, one statement each. The
/// columns are listed, not `*`: PostgreSQL expands `*` when the view is
/// created anyway, and a listed query is what replay and the database
/// agree on.
fn create_view(
    old: &QualName,
    new: &QualName,
    columns: &[Ident],
    grants: &[schema::Grant],
) -> String {
    let list: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
    let mut sql = format!(
        "CREATE VIEW {old} WITH (security_invoker = true) AS SELECT {} FROM {new};",
        list.join(", ")
    );
    for g in grants {
        let columns = match &g.on {
            GrantTarget::Column { column, .. } => format!(" ({column})"),
            _ => String::new(),
        };
        sql.push_str(&format!(
            "\nGRANT {}{columns} ON TABLE {old} TO {}{};",
            g.privilege.sql(),
            g.grantee,
            if g.grantable {
                " WITH GRANT OPTION"
            } else {
                ""
            }
        ));
    }
    sql
}

fn grants_note(grants: &[schema::Grant]) -> String {
    let mut roles: Vec<String> = grants.iter().map(|g| g.grantee.to_string()).collect();
    roles.dedup();
    if roles.is_empty() {
        String::new()
    } else {
        format!(", grants to {}", roles.join(", "))
    }
}

/// The grants on `table` and its columns, sorted.
fn table_grants(catalog: &Catalog, table: &QualName) -> Vec<schema::Grant> {
    let mut grants: Vec<schema::Grant> = catalog
        .grants
        .iter()
        .filter(|g| match &g.on {
            GrantTarget::Table { table: t } | GrantTarget::Column { table: t, .. } => t == table,
            _ => false,
        })
        .cloned()
        .collect();
    grants.sort();
    grants
}

/// `shows_pkey` → `programs_pkey` when `name` starts with `old_`.
fn derived(name: &Ident, old: &Ident, new: &Ident) -> Option<Ident> {
    let rest = name
        .as_str()
        .strip_prefix(old.as_str())?
        .strip_prefix('_')?;
    Some(Ident::new(schema::ident::truncate_ident(&format!(
        "{}_{rest}",
        new.as_str()
    ))))
}

fn engine_replay(current: &Catalog, sql: &str) -> Result<Catalog, String> {
    crate::replay::replay_sources_from(
        current.clone(),
        &[Source::new("table renames", sql.to_string())],
    )
    .map(|r| r.catalog)
    .map_err(|e| e.to_string())
}

fn step(
    kind: ObjectKind,
    name: String,
    action: Action,
    summary: String,
    sql: String,
    rollback: String,
    hazards: Vec<Hazard>,
) -> Step {
    super::step(
        kind,
        name,
        action,
        summary,
        sql,
        Rollback::Sql { sql: rollback },
        hazards,
    )
}

fn draft(step: Step, file: FileKind, chain: &str) -> Draft {
    Draft {
        step,
        file,
        rank: 0,
        chain: Some(chain.to_string()),
        pair: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::{Phase, Plan, PlanOptions, plan_declared};
    use schema::{Catalog, Source};

    fn replay(sql: &str) -> Catalog {
        crate::replay::replay_sources(&[Source::new("before.sql", sql)])
            .unwrap()
            .catalog
    }

    fn plan(current: &Catalog, kdl: &str) -> Plan {
        let declared = schema::lang::load_sources_declared(&[Source::new("t.kdl", kdl)], None)
            .unwrap_or_else(|e| panic!("{e}"));
        let options = PlanOptions::new(vec!["core".into(), "archive".into()]);
        plan_declared(current, &declared.catalog, &declared.intents, &options)
    }

    /// Replays the plan's files after `before`, as `apply` then `plan` would.
    fn applied(before: &str, plan: &Plan, phases: &[Phase]) -> Catalog {
        let mut sources = vec![Source::new("before.sql", before)];
        for f in plan.files.iter().filter(|f| phases.contains(&f.phase)) {
            sources.push(Source::new(f.slug.clone(), f.sql.clone()));
        }
        crate::replay::replay_sources(&sources).unwrap().catalog
    }

    const BEFORE: &str = "CREATE SCHEMA core; CREATE SCHEMA archive;
        CREATE TABLE core.shows (id int PRIMARY KEY, title text NOT NULL);
        CREATE INDEX shows_title_idx ON core.shows (title);
        GRANT SELECT ON core.shows TO authenticated;";

    #[test]
    fn move_to_another_schema_then_only_the_contract_then_nothing() {
        let kdl = "schema core\nschema archive
            table archive.programs renamed-from=core.shows compat-view=#true {
                column id int primary-key=#true
                column title text
                index programs_title_idx title
                grant select to=authenticated
            }";
        let full = plan(&replay(BEFORE), kdl);
        assert!(full.unsupported.is_empty(), "{:?}", full.unsupported);
        let summaries: Vec<&str> = full.steps().map(|s| s.summary.as_str()).collect();
        assert_eq!(
            summaries,
            [
                "move table core.shows to schema archive",
                "rename table archive.shows to archive.programs",
                "rename constraint archive.shows_pkey to programs_pkey",
                "rename index archive.shows_title_idx to programs_title_idx",
                "create compatibility view core.shows over archive.programs (security invoker, grants to authenticated)",
                "drop compatibility view core.shows (the table is archive.programs now)",
            ]
        );
        assert!(full.files[1].sql.contains("DROP VIEW core.shows;"));

        let cut = applied(BEFORE, &full, &[Phase::Cutover]);
        let rest = plan(&cut, kdl);
        assert_eq!(rest.files.len(), 1, "{rest:#?}");
        assert_eq!(rest.files[0].phase, Phase::Contract);
        assert_eq!(rest.files[0].steps, full.files[1].steps);

        let done = applied(BEFORE, &full, &[Phase::Cutover, Phase::Contract]);
        assert!(plan(&done, kdl).is_empty());
    }

    #[test]
    fn both_tables_present_is_unsupported() {
        let before = format!("{BEFORE} CREATE TABLE core.programs (id int PRIMARY KEY);");
        let kdl = "schema core\nschema archive
            table core.programs renamed-from=core.shows { column id int primary-key=#true }";
        let p = plan(&replay(&before), kdl);
        assert_eq!(p.unsupported.len(), 1);
        assert!(
            p.unsupported[0].reason.contains("already have both tables"),
            "{}",
            p.unsupported[0].reason
        );
    }
}
