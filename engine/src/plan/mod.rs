//! Orders changes into a dependency graph and groups them into migration
//! files with SQL, rollback and hazards.
//!
//! Files, in the order they run (only non-empty ones are produced):
//! - `expand_enums` (not transactional): new labels of existing enums,
//!   `ADD VALUE IF NOT EXISTS` so a half-run file can run again; a label
//!   added inside a transaction cannot be used before it commits.
//! - `expand` (transactional): every create and alter, including the drop
//!   half of a replaced primary key, unique constraint or unused enum, and
//!   indexes on tables created in the same file (no `CONCURRENTLY` needed
//!   there). On tables that already exist, checks and foreign keys are
//!   added `NOT VALID` (a short lock, no scan; new rows are checked), and a
//!   column to become NOT NULL gets a helper `CHECK (col IS NOT NULL) NOT
//!   VALID`. A column dropped later that is NOT NULL without a default gets
//!   `DROP NOT NULL`, so the new application can stop writing it.
//! - `expand_indexes` (not transactional): `CREATE INDEX CONCURRENTLY` for new
//!   indexes on tables that already exist, one statement each: also the
//!   index of a new unique constraint, and the new definition of a
//!   replaced index under a helper name (see [`crate::diff::helpers`]).
//! - `cutover` (transactional): `VALIDATE CONSTRAINT` first (a scan that
//!   blocks no writes, before anything in the file takes an ACCESS
//!   EXCLUSIVE lock), then `SET NOT NULL` (PostgreSQL 12+ skips its scan
//!   thanks to the validated helper check, dropped right after), `ADD
//!   CONSTRAINT … UNIQUE USING INDEX`, and the swaps of replaced indexes,
//!   checks and foreign keys (drop the old one, rename the helper into
//!   place: the table is never without it). The rollback of a validation
//!   drops the constraint and adds it back `NOT VALID`, the exact state
//!   before it. A plan made after some files ran recognizes the helpers
//!   and plans only what remains.
//! - `contract` (transactional, [`Phase::Contract`]): drops and changes
//!   that can lose data — dropping tables, columns, constraints, indexes,
//!   enums, extensions, schemas; narrowing type changes (see
//!   [`types`](self::types)); turning a plain column into a generated one.
//!   Dropping NOT NULL and widening types are not destructive: expand.
//!
//! The security surface:
//! - Steps that narrow access run in `expand`, as early as their
//!   dependencies allow (lowest rank): `REVOKE`, `ENABLE`/`FORCE ROW LEVEL
//!   SECURITY`, dropping a permissive policy. Least privilege should not
//!   wait for a destructive approval.
//! - `ALTER DEFAULT PRIVILEGES` runs in `expand` before any create of the
//!   kind of object it covers, so new objects receive the desired
//!   defaults; the GRANT/REVOKE steps that follow only adjust from there.
//! - New and changed policies, grants, functions (`CREATE [OR REPLACE]`),
//!   triggers and views are `expand`.
//! - Dropping a function, view or trigger that the desired schema no
//!   longer has is `contract`: the running application may still call it.
//! - The drop half of a replaced object (a function with a new signature,
//!   a view recreated, a policy with a new command, anything recreated
//!   around a column type change) lands in the same file as its create,
//!   so the object is missing only inside one transaction.
//!
//! Every policy, grant, RLS and create step carries an access diff per
//! role ([`access`]); flagged ones also get [`Hazard::ChangesAccess`].
//!
//! Every file has a rollback file, run in reverse file order, each undoing
//! its steps in reverse. Rollbacks of drops and narrowing changes recreate
//! the structure ([`Rollback::Lossy`]) and list at the top of the file the
//! data they cannot bring back; the rollback of `ADD VALUE` rebuilds the
//! enum without the label (it runs last, when the columns are as before).

pub mod access;
mod deps;
mod files;
pub mod model;
mod order;
mod rollout;
pub mod sql;
mod steps;
pub mod types;
mod unmanaged;

use crate::diff::{Change, EnumPosition, diff};
pub use model::*;
/// First line of every backfill step, followed by its [`Backfill`] as JSON.
pub use rollout::backfill_sql::MARKER as BACKFILL_MARKER;
use schema::{Catalog, Intents};
use steps::FileKind;

/// Plans the migration from `current` to `desired`, with no declared
/// intents (no renames, backfills or approvals).
pub fn plan(current: &Catalog, desired: &Catalog, options: &PlanOptions) -> Plan {
    plan_declared(current, desired, &Intents::default(), options)
}

/// Plans the migration from `current` to the `desired` shape, following
/// the declared `intents`.
pub fn plan_declared(
    current: &Catalog,
    desired: &Catalog,
    intents: &Intents,
    options: &PlanOptions,
) -> Plan {
    let unmanaged: Vec<&schema::Unmanaged> = intents.unmanaged.keys().collect();
    let adopted;
    let desired = if unmanaged.is_empty() {
        desired
    } else {
        adopted = unmanaged::adopt(current, desired, &unmanaged);
        &adopted
    };
    let rollout = rollout::prepare(current, desired, intents, options);
    let current: &Catalog = &rollout.current_view;
    let changes = diff(current, desired, &options.managed_schemas);
    let mut unsupported = rollout.unsupported;
    let mut drafts = Vec::new();
    let mut deps = Vec::new();
    let mut sources = Vec::new();
    let mut labels = steps::EnumLabels::new();
    for change in &changes {
        if let Change::UnsupportedEnumChange { from, to, used_by } = change {
            unsupported.push(Unsupported {
                object: ObjectRef {
                    kind: ObjectKind::Enum,
                    name: from.name.to_string(),
                },
                reason: format!(
                    "enum {} changes from ({}) to ({}): PostgreSQL can only add labels, and the type is used by {}; \
                     add the new labels only, or migrate those columns to a new type by hand",
                    from.name,
                    from.values.join(", "),
                    to.values.join(", "),
                    used_by.join(", ")
                ),
            });
            continue;
        }
        if let Change::AddEnumValue { name, .. } = change {
            labels.entry(name.clone()).or_insert_with(|| {
                current
                    .enums
                    .get(name)
                    .map(|e| e.values.clone())
                    .unwrap_or_default()
            });
        }
        let draft = steps::draft(change, current, desired, &labels);
        if let Change::AddEnumValue {
            name,
            value,
            position,
        } = change
        {
            let list = labels.entry(name.clone()).or_default();
            let at = match position {
                EnumPosition::End => None,
                EnumPosition::Before(v) => list.iter().position(|l| l == v),
                EnumPosition::After(v) => list.iter().position(|l| l == v).map(|i| i + 1),
            };
            list.insert(at.unwrap_or(list.len()), value.clone());
        }
        if let Some(mut draft) = draft {
            // Grants name views as tables (`GRANT … ON TABLE`); list them
            // under the view.
            if draft.step.object.kind == ObjectKind::Table
                && let Change::Grant { on, .. } | Change::Revoke { on, .. } = change
                && let schema::GrantTarget::Table { table } = on
                && let Some(view) = desired.views.get(table)
            {
                draft.step.object.kind = if view.materialized {
                    ObjectKind::MaterializedView
                } else {
                    ObjectKind::View
                };
            }
            draft.step.access = access::access(change, current, desired);
            if draft.step.access.iter().any(|a| a.flagged) {
                draft.step.hazards.push(Hazard::ChangesAccess);
            }
            deps.push(deps::deps(change, current, desired));
            drafts.push(draft);
            sources.push(Some(change));
        }
    }
    after_backfill(&mut drafts, &deps, &rollout.filled);
    for (draft, source) in drafts.iter_mut().zip(&sources) {
        if let Some(Change::SetDefault { table, column, .. }) = source
            && rollout
                .defaults_at_contract
                .contains(&(table.clone(), column.clone()))
        {
            // Out of the column's chain: its NOT NULL stays at cutover.
            draft.file = FileKind::Contract;
            draft.chain = None;
        }
    }
    for draft in &mut drafts {
        if let Some(rollback) = rollout.rollbacks.get(&draft.step.summary) {
            draft.step.rollback = rollback.clone();
        }
    }
    for (draft, dep) in rollout.drafts {
        drafts.push(draft);
        deps.push(dep);
        sources.push(None);
    }

    unreachable_rollbacks(&mut drafts, &deps);
    let order = order::order(&drafts, &deps);
    for &(i, file) in &order {
        if drafts[i].file == FileKind::ExpandIndexes
            && file != FileKind::ExpandIndexes
            && let Some(change) = sources[i]
        {
            steps::indexes::build_in_transaction(change, &mut drafts[i].step);
        }
    }
    let mut files = Vec::new();
    for kind in FileKind::ALL {
        let steps: Vec<Step> = order
            .iter()
            .filter(|(_, f)| *f == kind)
            .map(|(i, _)| drafts[*i].step.clone())
            .collect();
        if steps.is_empty() {
            continue;
        }
        files.push(PlanFile {
            slug: kind.slug().to_string(),
            phase: kind.phase(),
            transactional: kind.transactional(),
            sql: files::render(kind, &steps, options),
            rollback_sql: files::render_rollback(kind, &steps, options),
            backfills: match kind {
                FileKind::Backfill => rollout.backfills.clone(),
                _ => Vec::new(),
            },
            steps,
        });
    }
    refuse_nul(&mut files, &mut unsupported);
    Plan { files, unsupported }
}

/// The last guard before text leaves the planner: a NUL character cannot
/// be stored by PostgreSQL and ends the line for psql, so a plan holding
/// one (a value that slipped past loading and replay) gets no files at
/// all, and each step holding it is reported.
fn refuse_nul(files: &mut Vec<PlanFile>, unsupported: &mut Vec<Unsupported>) {
    let poisoned: Vec<Unsupported> = files
        .iter()
        .flat_map(|f| &f.steps)
        .filter(|s| s.sql.contains('\0') || s.rollback.sql().is_some_and(|r| r.contains('\0')))
        .map(|s| Unsupported {
            object: s.object.clone(),
            reason: format!(
                "{} would write a NUL character into SQL; remove it from the value",
                sql::comment_text(&s.summary)
            ),
        })
        .collect();
    if !poisoned.is_empty() {
        unsupported.extend(poisoned);
        files.clear();
    }
}

/// Plain steps that use a column a rollout fills wait for the cutover file,
/// when every row has its value; indexes on it are built earlier (an index
/// does not mind NULLs, and building it before the cutover keeps the
/// cutover short).
fn after_backfill(
    drafts: &mut [steps::Draft],
    deps: &[deps::Deps],
    filled: &std::collections::BTreeSet<(schema::QualName, schema::Ident)>,
) {
    if filled.is_empty() {
        return;
    }
    for (draft, dep) in drafts.iter_mut().zip(deps) {
        let uses_filled = dep.needs.iter().any(
            |k| matches!(k, deps::Key::Column(t, c) if filled.contains(&(t.clone(), c.clone()))),
        );
        if uses_filled && draft.file < FileKind::Cutover && draft.file != FileKind::ExpandIndexes {
            // A NOT VALID constraint goes on once the backfill is done, in
            // its own transaction, so that cutover's VALIDATE scans without
            // the ACCESS EXCLUSIVE lock its ADD took.
            draft.file = if draft.step.sql.trim_end().ends_with("NOT VALID;") {
                FileKind::DualWrite
            } else {
                FileKind::Cutover
            };
        }
    }
}

/// A rollback that needs something an irreversible step destroyed cannot
/// run either: it becomes irreversible too, naming the step that prevents it.
/// Drops are lossy, not irreversible (their rollback recreates the table or
/// column), so re-adding a foreign key to a dropped table still works.
fn unreachable_rollbacks(drafts: &mut [steps::Draft], deps: &[deps::Deps]) {
    loop {
        let gone: Vec<(&deps::Key, String)> = drafts
            .iter()
            .zip(deps)
            .filter(|(d, _)| matches!(d.step.rollback, Rollback::Irreversible { .. }))
            .flat_map(|(d, k)| {
                k.removes
                    .iter()
                    .map(move |key| (key, d.step.summary.clone()))
            })
            .collect();
        let mut changed = false;
        for (draft, dep) in drafts.iter_mut().zip(deps) {
            if matches!(draft.step.rollback, Rollback::Irreversible { .. }) {
                continue;
            }
            if let Some((_, by)) = gone.iter().find(|(key, _)| dep.releases.contains(key)) {
                draft.step.rollback = Rollback::Irreversible {
                    reason: format!("cannot be restored once `{by}` has run"),
                };
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}
