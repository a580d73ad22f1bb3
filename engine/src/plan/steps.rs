//! One [`Step`] per change: summary, statement, rollback, hazards, and
//! which file it belongs to.

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
    Contract,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [
        FileKind::ExpandEnums,
        FileKind::Expand,
        FileKind::ExpandIndexes,
        FileKind::Contract,
    ];

    /// Files that cannot be one transaction run statement by statement.
    pub fn transactional(self) -> bool {
        !matches!(self, FileKind::ExpandEnums | FileKind::ExpandIndexes)
    }

    pub fn slug(self) -> &'static str {
        match self {
            FileKind::ExpandEnums => "expand_enums",
            FileKind::Expand => "expand",
            FileKind::ExpandIndexes => "expand_indexes",
            FileKind::Contract => "contract",
        }
    }

    pub fn phase(self) -> Phase {
        match self {
            FileKind::Contract => Phase::Contract,
            _ => Phase::Expand,
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
}

struct Env<'a> {
    current: &'a Catalog,
}

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

fn irreversible(reason: impl Into<String>) -> Rollback {
    Rollback::Irreversible {
        reason: reason.into(),
    }
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
    }
}

fn obj(kind: ObjectKind, name: impl ToString) -> ObjectRef {
    ObjectRef {
        kind,
        name: name.to_string(),
    }
}

/// The step for `change`, or `None` for changes that are only reported.
pub fn draft(change: &Change, current: &Catalog) -> Option<Draft> {
    let env = Env { current };
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    let colname = |t: &QualName, c: &Ident| format!("{t}.{c}");
    let (step, file, rank, chain) = match change {
        Change::UnsupportedEnumChange { .. } => return None,
        Change::CreateSchema(s) => (
            step(
                obj(K::Schema, &s.name),
                Create,
                format!("create schema {}", s.name),
                format!("CREATE SCHEMA {};", s.name),
                sql_rollback(format!("DROP SCHEMA {};", s.name)),
                vec![],
            ),
            Expand,
            10,
            None,
        ),
        Change::DropSchema(s) => (
            step(
                obj(K::Schema, &s.name),
                Drop,
                format!("drop schema {}", s.name),
                format!("DROP SCHEMA {};", s.name),
                sql_rollback(create_schema(s)),
                vec![],
            ),
            Contract,
            8,
            None,
        ),
        Change::CreateExtension(e) => (
            step(
                obj(K::Extension, &e.name),
                Create,
                match &e.schema {
                    Some(s) => format!("create extension {} in schema {s}", e.name),
                    None => format!("create extension {}", e.name),
                },
                create_extension(e),
                sql_rollback(format!("DROP EXTENSION {};", e.name)),
                vec![],
            ),
            Expand,
            11,
            None,
        ),
        Change::DropExtension(e) => (
            step(
                obj(K::Extension, &e.name),
                Drop,
                format!("drop extension {}", e.name),
                format!("DROP EXTENSION {};", e.name),
                sql_rollback(create_extension(e)),
                vec![Hazard::DeletesData],
            ),
            Contract,
            7,
            None,
        ),
        Change::AlterExtensionSchema { name, from, to } => {
            let public = Ident::new(schema::ident::DEFAULT_SCHEMA);
            let (from, to) = (
                from.clone().unwrap_or(public.clone()),
                to.clone().unwrap_or(public),
            );
            (
                step(
                    obj(K::Extension, name),
                    Alter,
                    format!("move extension {name} from schema {from} to {to}"),
                    format!("ALTER EXTENSION {name} SET SCHEMA {to};"),
                    sql_rollback(format!("ALTER EXTENSION {name} SET SCHEMA {from};")),
                    vec![],
                ),
                Expand,
                11,
                None,
            )
        }
        Change::CreateEnum(e) => (
            step(
                obj(K::Enum, &e.name),
                Create,
                format!("create enum {} ({})", e.name, e.values.join(", ")),
                create_enum(e),
                sql_rollback(format!("DROP TYPE {};", e.name)),
                vec![],
            ),
            Expand,
            12,
            None,
        ),
        Change::DropEnum { enum_, replaced } => {
            let mut undo = create_enum(enum_);
            if let Some(c) = &enum_.comment {
                undo.push('\n');
                undo.push_str(&comment_sql(
                    &CommentTarget::Enum {
                        name: enum_.name.clone(),
                    },
                    Some(c),
                ));
            }
            let summary = if *replaced {
                format!(
                    "drop enum {} to recreate it with other labels (no column uses it)",
                    enum_.name
                )
            } else {
                format!("drop enum {}", enum_.name)
            };
            (
                step(
                    obj(K::Enum, &enum_.name),
                    Drop,
                    summary,
                    format!("DROP TYPE {};", enum_.name),
                    sql_rollback(undo),
                    vec![],
                ),
                if *replaced { Expand } else { Contract },
                6,
                None,
            )
        }
        Change::AddEnumValue {
            name,
            value,
            position,
        } => {
            let (clause, text) = match position {
                EnumPosition::End => (String::new(), String::new()),
                EnumPosition::Before(v) => (
                    format!(" BEFORE {}", literal(v)),
                    format!(" before {}", literal(v)),
                ),
                EnumPosition::After(v) => (
                    format!(" AFTER {}", literal(v)),
                    format!(" after {}", literal(v)),
                ),
            };
            (
                step(
                    obj(K::Enum, name),
                    Alter,
                    format!("add value {} to enum {name}{text}", literal(value)),
                    format!(
                        "ALTER TYPE {name} ADD VALUE IF NOT EXISTS {}{clause};",
                        literal(value)
                    ),
                    irreversible(format!(
                        "PostgreSQL cannot remove the label {} from {name}; recreate the type to undo",
                        literal(value)
                    )),
                    vec![],
                ),
                ExpandEnums,
                13,
                Some(format!("enum {name}")),
            )
        }
        Change::CreateTable(t) => (
            step(
                obj(K::Table, &t.name),
                Create,
                format!("create table {} ({} columns)", t.name, t.columns.len()),
                create_table(t),
                sql_rollback(format!("DROP TABLE {};", t.name)),
                vec![],
            ),
            Expand,
            14,
            None,
        ),
        Change::DropTable(t) => (
            step(
                obj(K::Table, &t.name),
                Drop,
                format!("drop table {}", t.name),
                format!("DROP TABLE {};", t.name),
                irreversible(format!("the rows of {} are deleted", t.name)),
                vec![Hazard::AccessExclusiveLock, Hazard::DeletesData],
            ),
            Contract,
            5,
            None,
        ),
        Change::AddColumn { table, column } => {
            let mut shape = format!(
                "{}, {}",
                column.ty,
                if column.nullable {
                    "nullable"
                } else {
                    "not null"
                }
            );
            if !column.nullable
                && column.default.is_none()
                && column.identity.is_none()
                && column.generated.is_none()
                && sql::serial_type(table, column).is_none()
                && env.existing(table)
            {
                shape.push_str(", no default: fails if the table has rows");
            }
            let mut extra = vec![];
            if add_column_rewrites(table, column) {
                extra.push(Hazard::RewritesTable);
            }
            (
                step(
                    obj(K::Column, colname(table, &column.name)),
                    Create,
                    format!("add column {} ({shape})", colname(table, &column.name)),
                    alter_table(table, format!("ADD COLUMN {}", column_def(table, column))),
                    sql_rollback(alter_table(table, format!("DROP COLUMN {}", column.name))),
                    env.alter_hazards(table, &extra),
                ),
                Expand,
                15,
                None,
            )
        }
        Change::DropColumn { table, column } => (
            step(
                obj(K::Column, colname(table, &column.name)),
                Drop,
                format!("drop column {}", colname(table, &column.name)),
                alter_table(table, format!("DROP COLUMN {}", column.name)),
                irreversible(format!(
                    "the values of {} are deleted",
                    colname(table, &column.name)
                )),
                vec![Hazard::AccessExclusiveLock, Hazard::DeletesData],
            ),
            Contract,
            4,
            None,
        ),
        Change::AlterColumnType {
            table,
            column,
            from,
            to,
        } => {
            let widening = is_widening(from, to);
            let mut extra = vec![];
            if !is_binary_coercible(from, to) {
                extra.push(Hazard::RewritesTable);
            }
            let rollback = if widening {
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("TYPE {from} USING {column}::{from}"),
                ))
            } else {
                irreversible(format!(
                    "values of {} converted from {from} to {to} may have lost information",
                    colname(table, column)
                ))
            };
            (
                step(
                    obj(K::Column, colname(table, column)),
                    Alter,
                    format!(
                        "change type of {} from {from} to {to}{}",
                        colname(table, column),
                        if widening {
                            ""
                        } else {
                            " (may fail or lose data)"
                        }
                    ),
                    alter_column(table, column, format!("TYPE {to} USING {column}::{to}")),
                    rollback,
                    env.alter_hazards(table, &extra),
                ),
                if widening { Expand } else { Contract },
                17,
                Some(colname(table, column)),
            )
        }
        Change::SetDefault {
            table,
            column,
            from,
            to,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("set default of {} to {}", colname(table, column), to.sql()),
                alter_column(table, column, format!("SET DEFAULT {}", to.sql())),
                sql_rollback(match from {
                    Some(f) => alter_column(table, column, format!("SET DEFAULT {}", f.sql())),
                    None => alter_column(table, column, "DROP DEFAULT"),
                }),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropDefault {
            table,
            column,
            from,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("drop default of {}", colname(table, column)),
                alter_column(table, column, "DROP DEFAULT"),
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("SET DEFAULT {}", from.sql()),
                )),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::SetNotNull { table, column } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("set not null on {}", colname(table, column)),
                alter_column(table, column, "SET NOT NULL"),
                sql_rollback(alter_column(table, column, "DROP NOT NULL")),
                env.alter_hazards(table, &[Hazard::ScansTable]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropNotNull { table, column } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("drop not null on {}", colname(table, column)),
                alter_column(table, column, "DROP NOT NULL"),
                sql_rollback(alter_column(table, column, "SET NOT NULL")),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::AddIdentity {
            table,
            column,
            identity,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!(
                    "add identity ({}) to {}",
                    identity_word(*identity).to_lowercase(),
                    colname(table, column)
                ),
                alter_column(
                    table,
                    column,
                    format!("ADD {}", sql::identity_sql(*identity)),
                ),
                sql_rollback(alter_column(table, column, "DROP IDENTITY")),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropIdentity {
            table,
            column,
            identity,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("drop identity from {}", colname(table, column)),
                alter_column(table, column, "DROP IDENTITY"),
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("ADD {}", sql::identity_sql(*identity)),
                )),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::SetIdentity {
            table,
            column,
            from,
            to,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!(
                    "make identity of {} {}",
                    colname(table, column),
                    identity_word(*to).to_lowercase()
                ),
                alter_column(
                    table,
                    column,
                    format!("SET GENERATED {}", identity_word(*to)),
                ),
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("SET GENERATED {}", identity_word(*from)),
                )),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropGenerated {
            table,
            column,
            from,
        } => {
            let mut old = column.clone();
            old.generated = Some(from.clone());
            (
                step(
                    obj(K::Column, colname(table, &column.name)),
                    Alter,
                    format!(
                        "stop generating {} (keeps its values)",
                        colname(table, &column.name)
                    ),
                    alter_column(table, &column.name, "DROP EXPRESSION"),
                    sql_rollback(recreate_sql(table, &old)),
                    env.alter_hazards(table, &[]),
                ),
                Expand,
                16,
                Some(colname(table, &column.name)),
            )
        }
        Change::RecreateColumn {
            table,
            from,
            to,
            destroys_data,
        } => {
            let name = colname(table, &to.name);
            let mut extra = vec![Hazard::RewritesTable];
            let rollback = if *destroys_data {
                extra.push(Hazard::DeletesData);
                irreversible(format!(
                    "the stored values of {name} are replaced by the generated ones"
                ))
            } else {
                sql_rollback(recreate_sql(table, from))
            };
            let summary = match &to.generated {
                Some(g) => format!("recreate {name} as generated from {}", g.sql()),
                None => format!("recreate column {name}"),
            };
            (
                step(
                    obj(K::Column, &name),
                    Alter,
                    summary,
                    recreate_sql(table, to),
                    rollback,
                    env.alter_hazards(table, &extra),
                ),
                if *destroys_data { Contract } else { Expand },
                16,
                Some(name),
            )
        }
        Change::AddPrimaryKey { table, pk } => (
            step(
                obj(K::PrimaryKey, qualified_in(&table.schema, &pk.name)),
                Create,
                format!(
                    "add primary key {} on {table} ({})",
                    qualified_in(&table.schema, &pk.name),
                    sql::column_list(&pk.columns)
                ),
                alter_table(table, format!("ADD {}", sql::primary_key_def(pk))),
                sql_rollback(alter_table(table, format!("DROP CONSTRAINT {}", pk.name))),
                env.alter_hazards(table, &[Hazard::ScansTable, Hazard::BuildsIndex]),
            ),
            Expand,
            18,
            None,
        ),
        Change::DropPrimaryKey {
            table,
            pk,
            replaced,
        } => (
            step(
                obj(K::PrimaryKey, qualified_in(&table.schema, &pk.name)),
                Drop,
                format!(
                    "drop primary key {} on {table}",
                    qualified_in(&table.schema, &pk.name)
                ),
                alter_table(table, format!("DROP CONSTRAINT {}", pk.name)),
                sql_rollback(alter_table(
                    table,
                    format!("ADD {}", sql::primary_key_def(pk)),
                )),
                env.alter_hazards(table, &[]),
            ),
            if *replaced { Expand } else { Contract },
            3,
            None,
        ),
        Change::AddConstraint { table, constraint } => {
            let name = qualified_in(&table.schema, &constraint.name);
            let (extra, rank) = match constraint.kind {
                ConstraintKind::Unique { .. } => (vec![Hazard::BuildsIndex], 19),
                ConstraintKind::Check { .. } => (vec![Hazard::ScansTable], 19),
                ConstraintKind::ForeignKey(_) => (vec![Hazard::ScansTable], 20),
            };
            let detail = match &constraint.kind {
                ConstraintKind::ForeignKey(fk) => format!(
                    ": {table} ({}) → {} ({})",
                    sql::column_list(&fk.columns),
                    fk.ref_table,
                    sql::column_list(&fk.ref_columns)
                ),
                ConstraintKind::Unique { columns, .. } => {
                    format!(" on {table} ({})", sql::column_list(columns))
                }
                ConstraintKind::Check { expr, .. } => format!(" on {table}: {}", expr.sql()),
            };
            (
                step(
                    obj(K::Constraint, &name),
                    Create,
                    format!("add {} {name}{detail}", constraint_kind(constraint)),
                    alter_table(table, format!("ADD {}", constraint_def(constraint))),
                    sql_rollback(alter_table(
                        table,
                        format!("DROP CONSTRAINT {}", constraint.name),
                    )),
                    env.alter_hazards(table, &extra),
                ),
                Expand,
                rank,
                None,
            )
        }
        Change::DropConstraint {
            table,
            constraint,
            replaced,
        } => {
            let name = qualified_in(&table.schema, &constraint.name);
            let rank = if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                0
            } else {
                1
            };
            (
                step(
                    obj(K::Constraint, &name),
                    Drop,
                    format!("drop {} {name} on {table}", constraint_kind(constraint)),
                    alter_table(table, format!("DROP CONSTRAINT {}", constraint.name)),
                    sql_rollback(alter_table(
                        table,
                        format!("ADD {}", constraint_def(constraint)),
                    )),
                    vec![Hazard::AccessExclusiveLock],
                ),
                if *replaced { Expand } else { Contract },
                rank,
                None,
            )
        }
        Change::CreateIndex(i) => {
            let concurrent = env.existing(&i.table);
            let rollback = if concurrent {
                format!("DROP INDEX CONCURRENTLY {};", i.name)
            } else {
                format!("DROP INDEX {};", i.name)
            };
            (
                step(
                    obj(K::Index, &i.name),
                    Create,
                    format!(
                        "create {}index {} on {}{}",
                        if i.unique { "unique " } else { "" },
                        i.name,
                        i.table,
                        if concurrent { " concurrently" } else { "" }
                    ),
                    create_index(i, concurrent),
                    sql_rollback(rollback),
                    if concurrent {
                        vec![Hazard::BuildsIndex]
                    } else {
                        vec![]
                    },
                ),
                if concurrent { ExpandIndexes } else { Expand },
                21,
                None,
            )
        }
        Change::DropIndex { index, replaced } => (
            step(
                obj(K::Index, &index.name),
                Drop,
                format!("drop index {}", index.name),
                format!("DROP INDEX {};", index.name),
                sql_rollback(create_index(index, false)),
                vec![Hazard::AccessExclusiveLock],
            ),
            if *replaced { Expand } else { Contract },
            2,
            None,
        ),
        Change::SetComment { target, from, to } => {
            let what = comment_on(target).1;
            let summary = match to {
                Some(_) => format!("set comment on {what}"),
                None => format!("clear comment on {what}"),
            };
            (
                step(
                    obj(K::Comment, &what),
                    Alter,
                    summary,
                    comment_sql(target, to.as_ref()),
                    sql_rollback(comment_sql(target, from.as_ref())),
                    vec![],
                ),
                Expand,
                22,
                None,
            )
        }
    };
    Some(Draft {
        step,
        file,
        rank,
        chain,
    })
}

/// A new index that must wait for a step in a transactional file (e.g. on a
/// column recreated in `contract`) is built there, without `CONCURRENTLY`.
pub fn build_in_transaction(change: &Change, step: &mut Step) {
    if let Change::CreateIndex(index) = change {
        step.sql = create_index(index, false);
        step.rollback = sql_rollback(format!("DROP INDEX {};", index.name));
        step.summary = step.summary.trim_end_matches(" concurrently").to_string();
        step.hazards = vec![Hazard::BuildsIndex];
    }
}
