//! The plan model every output format renders from: files of ordered steps,
//! each step one SQL statement with its rollback and hazards.

use schema::Ident;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanOptions {
    /// Only objects in these schemas are created, changed or dropped.
    pub managed_schemas: Vec<Ident>,
    /// `SET lock_timeout` value for each file, e.g. `"5s"`.
    pub lock_timeout: String,
    /// `SET statement_timeout` value for each file, e.g. `"15min"`.
    pub statement_timeout: String,
    /// Rows per batch (one transaction each) in backfill files.
    pub backfill_batch_size: u32,
    /// Pause between two backfill batches, in milliseconds.
    pub backfill_pause_ms: u32,
}

impl PlanOptions {
    pub const DEFAULT_BACKFILL_BATCH_SIZE: u32 = 5000;
    pub const DEFAULT_BACKFILL_PAUSE_MS: u32 = 100;

    /// The configuration defaults (`5s`, `15min`, batches of 5,000 rows
    /// 100 ms apart) for `managed_schemas`.
    pub fn new(managed_schemas: Vec<Ident>) -> Self {
        PlanOptions {
            managed_schemas,
            lock_timeout: "5s".into(),
            statement_timeout: "15min".into(),
            backfill_batch_size: Self::DEFAULT_BACKFILL_BATCH_SIZE,
            backfill_pause_ms: Self::DEFAULT_BACKFILL_PAUSE_MS,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// In the order they must run.
    pub files: Vec<PlanFile>,
    /// Differences the plan cannot express (e.g. removing a label from an
    /// enum that columns use). Non-empty means the plan is incomplete and
    /// callers must refuse to apply it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Unsupported>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unsupported {
    pub object: ObjectRef,
    /// What differs, why it cannot be planned, and what to do instead.
    pub reason: String,
}

impl Plan {
    /// No step to run (check [`Plan::unsupported`] too).
    pub fn is_empty(&self) -> bool {
        self.files.iter().all(|f| f.steps.is_empty())
    }

    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.files.iter().flat_map(|f| f.steps.iter())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanFile {
    /// Suffix of the migration file name: `expand`, `expand_indexes`, `contract`.
    pub slug: String,
    pub phase: Phase,
    /// `false` for files that cannot run in a transaction block
    /// (`CREATE INDEX CONCURRENTLY`).
    pub transactional: bool,
    /// The full text of the migration file, ready to write.
    pub sql: String,
    /// The full text of its rollback file.
    pub rollback_sql: String,
    pub steps: Vec<Step>,
    /// The data copies of a backfill file, which `trr-schema backfill` can
    /// also run against a live database with progress.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub backfills: Vec<Backfill>,
}

/// One idempotent, resumable data copy: `UPDATE table SET assignments
/// WHERE pending` over batches of rows ordered by `key`, each batch its own
/// transaction. Rows where `pending` is false are done, so a stopped run
/// continues where it was and a finished one does nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Backfill {
    /// `core.shows` (quoted where PostgreSQL needs it).
    pub table: String,
    /// The primary key columns, quoted where needed; batches walk them in order.
    pub key: Vec<String>,
    /// `(column, expression)`: `SET column = expression`.
    pub assignments: Vec<(String, String)>,
    /// A condition true for rows still to copy, e.g. `slug IS DISTINCT FROM handle`.
    pub pending: String,
    pub batch_size: u32,
    pub pause_ms: u32,
}

impl PlanFile {
    /// Contract files drop things and are only written with approval.
    pub fn is_destructive(&self) -> bool {
        self.phase == Phase::Contract
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Additive, safe while the current application runs.
    Expand,
    /// Batched, resumable data copies into the expanded shape.
    Backfill,
    /// Triggers that keep the old and new shapes in step both ways.
    DualWrite,
    /// Validation, NOT NULL, dependents switched to the new shape.
    Cutover,
    /// Drops: destructive, written only with approval.
    Contract,
}

impl Phase {
    pub const ALL: [Phase; 5] = [
        Phase::Expand,
        Phase::Backfill,
        Phase::DualWrite,
        Phase::Cutover,
        Phase::Contract,
    ];

    /// As in file names and output: `expand`, `backfill`, `dual_write`, …
    pub fn name(self) -> &'static str {
        match self {
            Phase::Expand => "expand",
            Phase::Backfill => "backfill",
            Phase::DualWrite => "dual_write",
            Phase::Cutover => "cutover",
            Phase::Contract => "contract",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Step {
    pub object: ObjectRef,
    pub action: Action,
    /// One line for humans: "add column core.shows.summary (text, nullable)".
    pub summary: String,
    /// One statement, ending with `;`.
    pub sql: String,
    pub rollback: Rollback,
    pub hazards: Vec<Hazard>,
    /// Who gains or loses access through this step (policies, grants,
    /// RLS, new objects receiving default privileges); empty for steps
    /// that do not change access.
    pub access: Vec<AccessChange>,
}

/// One role's change of access through one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessChange {
    /// A role name as PostgreSQL spells it (`public` is PUBLIC), or `table
    /// owner` for `FORCE ROW LEVEL SECURITY`.
    pub role: String,
    pub effect: AccessEffect,
    /// Short, for people: "gains SELECT on TABLE core.shows".
    pub reason: String,
    /// Deserves a reviewer's attention: RLS disabled, a `true` condition
    /// for an API role on a write command, a new grant to `anon`.
    pub flagged: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessEffect {
    /// The role gains rows or a command.
    Widens,
    /// The role loses rows or a command.
    Narrows,
    /// Nothing the role can do changes (a policy recreated as it was, a
    /// policy on a table without RLS, defaults revoked later in the plan).
    Neutral,
    /// Something changed that we cannot compare (an expression rewritten).
    Unknown,
}

impl AccessEffect {
    pub fn word(self) -> &'static str {
        match self {
            AccessEffect::Widens => "widens",
            AccessEffect::Narrows => "narrows",
            AccessEffect::Neutral => "neutral",
            AccessEffect::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ObjectRef {
    pub kind: ObjectKind,
    /// Display name: `core.shows`, `core.shows.title`, `core.shows_pkey`.
    pub name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Schema,
    Extension,
    Enum,
    Table,
    Column,
    PrimaryKey,
    Constraint,
    Index,
    Comment,
    Sequence,
    Function,
    Trigger,
    View,
    MaterializedView,
    Policy,
    DefaultPrivileges,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Alter,
    Drop,
}

/// How a step is undone. Every rollback that PostgreSQL allows brings the
/// *structure* back; what it cannot bring back is data:
/// - [`Rollback::Sql`]: undoes the step completely.
/// - [`Rollback::Lossy`]: `sql` recreates the structure (a dropped table with
///   its columns, keys, constraints, indexes and comments; a dropped column
///   with its default and comment; a removed enum label by rebuilding the
///   type), but the data in `lost` does not come back, and the rollback file
///   says so at its top. `lost` may also say when `sql` fails (a NOT NULL
///   column without default on a table that has rows).
/// - [`Rollback::Irreversible`]: no SQL can undo the step, e.g. it needs
///   something that an irreversible step destroyed; `reason` says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rollback {
    Sql { sql: String },
    Lossy { sql: String, lost: String },
    Irreversible { reason: String },
}

impl Rollback {
    /// The SQL to run, if any.
    pub fn sql(&self) -> Option<&str> {
        match self {
            Rollback::Sql { sql } | Rollback::Lossy { sql, .. } => Some(sql),
            Rollback::Irreversible { .. } => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Hazard {
    AccessExclusiveLock,
    RewritesTable,
    ScansTable,
    DeletesData,
    BuildsIndex,
    /// A flagged access change (see [`AccessChange::flagged`]).
    ChangesAccess,
}

impl Hazard {
    pub const ALL: [Hazard; 6] = [
        Hazard::AccessExclusiveLock,
        Hazard::RewritesTable,
        Hazard::ScansTable,
        Hazard::DeletesData,
        Hazard::BuildsIndex,
        Hazard::ChangesAccess,
    ];

    /// As in JSON and `--allow-hazards`: `access_exclusive_lock`, …
    pub fn code(self) -> &'static str {
        match self {
            Hazard::AccessExclusiveLock => "access_exclusive_lock",
            Hazard::RewritesTable => "rewrites_table",
            Hazard::ScansTable => "scans_table",
            Hazard::DeletesData => "deletes_data",
            Hazard::BuildsIndex => "builds_index",
            Hazard::ChangesAccess => "changes_access",
        }
    }

    /// The hazard a [`code`](Hazard::code) names (case and `-`/`_` as the
    /// user likes).
    pub fn from_code(code: &str) -> Option<Hazard> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        Hazard::ALL.into_iter().find(|h| h.code() == code)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Hazard::AccessExclusiveLock => "takes an ACCESS EXCLUSIVE lock",
            Hazard::RewritesTable => "rewrites the table",
            Hazard::ScansTable => "scans the whole table",
            Hazard::DeletesData => "deletes data",
            Hazard::BuildsIndex => "builds an index",
            Hazard::ChangesAccess => "changes access (flagged)",
        }
    }
}
