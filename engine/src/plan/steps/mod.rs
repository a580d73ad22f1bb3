//! One [`Step`] per change: summary, statement, rollback, hazards, and
//! which file it belongs to. One module per object family.

mod columns;
mod comments;
mod constraints;
mod enums;
mod grants;
pub(super) use grants::objects_word;
use grants::restore_grants;
pub(super) mod indexes;
mod policies;
mod rls;
pub(super) mod routines;
mod schemas;
mod tables;

use super::model::*;
use super::sql::{
    self, column_def, constraint_def, create_enum, create_index, create_table, literal,
};
use super::types::{is_binary_coercible, is_widening};
use crate::diff::{Change, EnumPosition};
use schema::{Catalog, CommentTarget, ConstraintKind, Ident, QualName};

/// The files of a plan, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `ALTER TYPE … ADD VALUE` outside a transaction: a label added inside
    /// a transaction cannot be used (in a default, a row) before it commits.
    ExpandEnums,
    Expand,
    ExpandIndexes,
    /// Batched data copies; each batch commits on its own, so the file runs
    /// outside a transaction block.
    Backfill,
    DualWrite,
    Cutover,
    Contract,
}

impl FileKind {
    pub const ALL: [FileKind; 7] = [
        FileKind::ExpandEnums,
        FileKind::Expand,
        FileKind::ExpandIndexes,
        FileKind::Backfill,
        FileKind::DualWrite,
        FileKind::Cutover,
        FileKind::Contract,
    ];

    /// Files that cannot be one transaction run statement by statement.
    pub fn transactional(self) -> bool {
        !matches!(
            self,
            FileKind::ExpandEnums | FileKind::ExpandIndexes | FileKind::Backfill
        )
    }

    pub fn slug(self) -> &'static str {
        match self {
            FileKind::ExpandEnums => "expand_enums",
            FileKind::Expand => "expand",
            FileKind::ExpandIndexes => "expand_indexes",
            FileKind::Backfill => "backfill",
            FileKind::DualWrite => "dual_write",
            FileKind::Cutover => "cutover",
            FileKind::Contract => "contract",
        }
    }

    pub fn phase(self) -> Phase {
        match self {
            FileKind::ExpandEnums | FileKind::Expand | FileKind::ExpandIndexes => Phase::Expand,
            FileKind::Backfill => Phase::Backfill,
            FileKind::DualWrite => Phase::DualWrite,
            FileKind::Cutover => Phase::Cutover,
            FileKind::Contract => Phase::Contract,
        }
    }
}

pub struct Draft {
    pub step: Step,
    pub file: FileKind,
    /// Tie-break between ready steps: kind of statement, drops first.
    pub rank: u8,
    /// Steps with the same chain keep their diff order (one column's
    /// alterations, one enum's new labels).
    pub chain: Option<String>,
    /// The drop half of a replaced object and its create share a pair and
    /// land in the same file (the later of the two).
    pub pair: Option<String>,
}

struct Env<'a> {
    current: &'a Catalog,
    /// Its default privileges are in force when a rollback recreates a
    /// dropped object (the `ALTER DEFAULT PRIVILEGES` steps run before any
    /// drop, so they are undone after it).
    desired: &'a Catalog,
    labels_before: &'a EnumLabels,
}

/// The labels each enum has just before a step runs: its current labels
/// plus those added by earlier steps of the plan.
pub type EnumLabels = std::collections::BTreeMap<QualName, Vec<String>>;

impl Env<'_> {
    /// The table exists before the plan runs (so locks and scans matter).
    fn existing(&self, table: &QualName) -> bool {
        self.current.tables.contains_key(table)
    }

    fn alter_hazards(&self, table: &QualName, extra: &[Hazard]) -> Vec<Hazard> {
        if !self.existing(table) {
            return Vec::new();
        }
        let mut h = vec![Hazard::AccessExclusiveLock];
        h.extend_from_slice(extra);
        h
    }
}

fn sql_rollback(sql: impl Into<String>) -> Rollback {
    Rollback::Sql { sql: sql.into() }
}

fn lossy(sql: impl Into<String>, lost: impl Into<String>) -> Rollback {
    Rollback::Lossy {
        sql: sql.into(),
        lost: lost.into(),
    }
}

/// What re-adding `column` (after its values were deleted) cannot restore,
/// or `None` when it can: a generated column computes its values again.
fn column_loss(table: &QualName, column: &schema::Column) -> Option<String> {
    if column.generated.is_some() {
        return None;
    }
    let name = colname(table, &column.name);
    let mut lost = format!("the values of {name} are not restored");
    if column.identity.is_some() || sql::serial_type(table, column).is_some() {
        lost.push_str(" (its sequence starts again)");
    } else if column.default.is_some() {
        lost.push_str(" (existing rows get the default)");
    } else if !column.nullable {
        lost.push_str(&format!(
            "; re-adding it fails if {table} has rows (NOT NULL without a default)"
        ));
    }
    Some(lost)
}

/// `column_def` for `ADD COLUMN`, then its comment.
fn add_column_sql(table: &QualName, column: &schema::Column) -> String {
    let mut out = alter_table(table, format!("ADD COLUMN {}", column_def(table, column)));
    if let Some(c) = &column.comment {
        out.push('\n');
        out.push_str(&comment_sql(
            &CommentTarget::Column {
                table: table.clone(),
                column: column.name.clone(),
            },
            Some(c),
        ));
    }
    out
}

/// `ALTER TABLE … ADD CONSTRAINT …`, `NOT VALID` when it is not validated.
fn add_constraint_sql(table: &QualName, constraint: &schema::Constraint) -> String {
    let mut def = format!("ADD {}", constraint_def(constraint));
    if constraint.not_valid {
        def.push_str(" NOT VALID");
    }
    alter_table(table, def)
}

fn alter_table(table: &QualName, action: impl AsRef<str>) -> String {
    format!("ALTER TABLE {table} {};", action.as_ref())
}

fn alter_column(table: &QualName, column: &Ident, action: impl AsRef<str>) -> String {
    alter_table(table, format!("ALTER COLUMN {column} {}", action.as_ref()))
}

fn qualified_in(schema: &Ident, name: &Ident) -> String {
    format!("{schema}.{name}")
}

fn comment_on(target: &CommentTarget) -> (String, String) {
    match target {
        CommentTarget::Schema { schema } => {
            (format!("SCHEMA {schema}"), format!("schema {schema}"))
        }
        CommentTarget::Enum { name } => (format!("TYPE {name}"), format!("enum {name}")),
        CommentTarget::Table { table } => (format!("TABLE {table}"), format!("table {table}")),
        CommentTarget::Column { table, column } => (
            format!("COLUMN {table}.{column}"),
            format!("column {table}.{column}"),
        ),
        CommentTarget::Index { index } => (format!("INDEX {index}"), format!("index {index}")),
    }
}

fn comment_sql(target: &CommentTarget, text: Option<&String>) -> String {
    let value = text.map_or_else(|| "NULL".to_string(), |t| literal(t));
    format!("COMMENT ON {} IS {value};", comment_on(target).0)
}

fn create_schema(s: &schema::Schema) -> String {
    let mut out = format!("CREATE SCHEMA {};", s.name);
    if let Some(c) = &s.comment {
        out.push('\n');
        out.push_str(&comment_sql(
            &CommentTarget::Schema {
                schema: s.name.clone(),
            },
            Some(c),
        ));
    }
    out
}

fn create_extension(e: &schema::Extension) -> String {
    match &e.schema {
        Some(s) => format!("CREATE EXTENSION {} SCHEMA {s};", e.name),
        None => format!("CREATE EXTENSION {};", e.name),
    }
}

fn identity_word(i: schema::Identity) -> &'static str {
    match i {
        schema::Identity::Always => "ALWAYS",
        schema::Identity::ByDefault => "BY DEFAULT",
    }
}

fn constraint_kind(c: &schema::Constraint) -> &'static str {
    match c.kind {
        ConstraintKind::Unique { .. } => "unique constraint",
        ConstraintKind::Check { .. } => "check constraint",
        ConstraintKind::ForeignKey(_) => "foreign key",
    }
}

fn recreate_sql(table: &QualName, to: &schema::Column) -> String {
    alter_table(
        table,
        format!(
            "DROP COLUMN {}, ADD COLUMN {}",
            to.name,
            column_def(table, to)
        ),
    )
}

/// Rollback of a recreated column: `recreate_sql` back to `from`, with the
/// comment it had (dropping the column took it away).
fn recreate_back_sql(table: &QualName, from: &schema::Column) -> String {
    let mut out = recreate_sql(table, from);
    if let Some(c) = &from.comment {
        out.push('\n');
        out.push_str(&comment_sql(
            &CommentTarget::Column {
                table: table.clone(),
                column: from.name.clone(),
            },
            Some(c),
        ));
    }
    out
}

/// A volatile default or an identity/generated column fills every row.
fn add_column_rewrites(table: &QualName, c: &schema::Column) -> bool {
    const VOLATILE: &[&str] = &[
        "random(",
        "gen_random_uuid(",
        "uuid_generate_",
        "nextval(",
        "clock_timestamp(",
        "timeofday(",
    ];
    c.generated.is_some()
        || c.identity.is_some()
        || sql::serial_type(table, c).is_some()
        || c.default
            .as_ref()
            .is_some_and(|d| VOLATILE.iter().any(|v| d.sql().contains(v)))
}

fn step(
    object: ObjectRef,
    action: Action,
    summary: String,
    sql: String,
    rollback: Rollback,
    hazards: Vec<Hazard>,
) -> Step {
    Step {
        object,
        action,
        summary,
        sql,
        rollback,
        hazards,
        access: vec![],
    }
}

fn obj(kind: ObjectKind, name: impl ToString) -> ObjectRef {
    ObjectRef {
        kind,
        name: name.to_string(),
    }
}

/// Step, file, rank and chain of one change.
type Parts = (Step, FileKind, u8, Option<String>);

fn colname(table: &QualName, column: &Ident) -> String {
    format!("{table}.{column}")
}

/// The step for `change`, or `None` for changes that are only reported.
pub fn draft(
    change: &Change,
    current: &Catalog,
    desired: &Catalog,
    labels_before: &EnumLabels,
) -> Option<Draft> {
    let env = Env {
        current,
        desired,
        labels_before,
    };
    let (step, file, rank, chain) = schemas::draft(change)
        .or_else(|| enums::draft(change, &env))
        .or_else(|| tables::draft(change, &env))
        .or_else(|| columns::draft(change, &env))
        .or_else(|| constraints::draft(change, &env))
        .or_else(|| indexes::draft(change, &env))
        .or_else(|| comments::draft(change))
        .or_else(|| rls::draft(change))
        .or_else(|| policies::draft(change))
        .or_else(|| grants::draft(change))
        .or_else(|| routines::draft(change, &env))?;
    Some(Draft {
        step,
        file,
        rank,
        chain,
        pair: routines::pair(change),
    })
}
