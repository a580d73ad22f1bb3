//! Declared intents (`renamed-from`, `backfill`, `using`) become phased
//! rollouts: the steps of each phase (expand, backfill, dual-write,
//! cutover, contract) that the plain diff cannot infer, because it sees
//! only the shapes and not how rows move from one to the other.
//!
//! A rollout also decides what the plain diff sees as the current schema
//! ([`Rollout::current_view`]): the objects a rollout manages are folded in
//! there, so the diff neither adds them a second time nor drops the helpers
//! a rollout in progress relies on. Every rollout works out how far it got
//! from the current Catalog alone (replayed from the migrations, including
//! the files earlier rollouts wrote), so a plan after each `apply` holds
//! exactly the phases still to run.
//!
//! - [`columns`]: column renames, NOT NULL fills and derived columns;
//! - [`sync`]: their helper trigger functions;
//! - [`backfill_sql`]: the batched `DO` loop of backfill files;
//! - [`table_rename`]: table renames, with a compatibility view.

pub mod backfill_sql;
mod columns;
mod sync;
mod table_rename;

use super::deps::Deps;
use super::model::{
    Action, Backfill, Hazard, ObjectKind, ObjectRef, PlanOptions, Rollback, Step, Unsupported,
};
use super::steps::Draft;
use schema::{Catalog, Ident, Intents, QualName};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// What the declared intents add to a plan.
pub(super) struct Rollout<'a> {
    /// The current Catalog as the plain diff should see it.
    pub current_view: Cow<'a, Catalog>,
    /// Steps of the rollouts, each with its dependency keys.
    pub drafts: Vec<(Draft, Deps)>,
    /// The data copies of the backfill file.
    pub backfills: Vec<Backfill>,
    /// Columns that hold their values only after the backfill: plain steps
    /// that use them (policies, views, constraints, defaults) move to the
    /// cutover file, once every row has its value.
    pub filled: BTreeSet<(QualName, Ident)>,
    /// Renamed columns: their declared default waits for the contract,
    /// when the helper trigger goes. Until then an old-application insert
    /// must leave the new column NULL, so the trigger copies the old value
    /// into it instead of keeping a default that masks it.
    pub defaults_at_contract: BTreeSet<(QualName, Ident)>,
    /// Rollbacks that replace those of plain steps, by step summary (a
    /// renamed column's drop is undone from the column that holds its data).
    pub rollbacks: BTreeMap<String, Rollback>,
    pub unsupported: Vec<Unsupported>,
}

/// The rollouts `intents` ask for between `current` and `desired`.
pub(super) fn prepare<'a>(
    current: &'a Catalog,
    desired: &Catalog,
    intents: &Intents,
    options: &PlanOptions,
) -> Rollout<'a> {
    let mut out = Rollout {
        current_view: Cow::Borrowed(current),
        drafts: Vec::new(),
        backfills: Vec::new(),
        filled: BTreeSet::new(),
        defaults_at_contract: BTreeSet::new(),
        rollbacks: BTreeMap::new(),
        unsupported: Vec::new(),
    };
    // First, so the plain diff sees a renamed table under its new name.
    // (The column rollouts below read `current`: a column rollout on a
    // table renamed in the same edit is not supported yet.)
    table_rename::add(&mut out, desired, intents, options);
    // Only managed tables: the plain diff ignores the others too.
    let managed = |t: &QualName| options.managed_schemas.contains(&t.schema);
    for (table, columns) in &intents.columns {
        if !managed(table) {
            continue;
        }
        for (name, intent) in columns {
            match columns::detect(table, name, intent, current, desired) {
                Ok(Some(rollout)) => {
                    let (drafts, backfill) = rollout.steps(current, desired, options);
                    out.drafts.extend(drafts);
                    out.backfills.extend(backfill);
                    out.filled.insert((table.clone(), name.clone()));
                    if matches!(rollout.kind, columns::Kind::Rename { .. }) {
                        out.defaults_at_contract
                            .insert((table.clone(), name.clone()));
                    }
                    if let Some((summary, rollback)) = rollout.old_column_rollback() {
                        out.rollbacks.insert(summary, rollback);
                    }
                    rollout.fold(out.current_view.to_mut());
                }
                Ok(None) => {}
                Err(u) => out.unsupported.push(u),
            }
        }
    }
    for (name, table) in &desired.tables {
        if !managed(name) {
            continue;
        }
        for column in &table.columns {
            let intent = intents.column(name, &column.name);
            out.unsupported
                .extend(columns::missing_backfill(name, column, current, intent));
        }
    }
    out
}

/// A rollout step: no access labels (helpers and renames change no
/// role's access; the plain diff labels what does).
pub(super) fn step(
    kind: ObjectKind,
    name: String,
    action: Action,
    summary: String,
    sql: String,
    rollback: Rollback,
    hazards: Vec<Hazard>,
) -> Step {
    Step {
        object: ObjectRef { kind, name },
        action,
        summary,
        sql,
        rollback,
        hazards,
        access: Vec::new(),
    }
}
