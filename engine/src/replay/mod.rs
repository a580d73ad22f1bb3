//! Replays `supabase/migrations/*.sql` in file-name order into a Catalog.
//!
//! Each file is split into statements ([`split`]); each statement is either
//! noted without parsing ([`notes`]: DML, `DO`, functions, grants, …) or
//! parsed with sqlparser and applied by the module named after its kind.
//! A statement PostgreSQL would refuse stops the replay with a
//! [`ReplayError`] pointing at `file:line:column`.

mod alter_relation;
mod alter_table;
mod blank;
mod comment;
pub mod compare;
mod consequence;
mod create_index;
mod create_table;
mod create_table_like;
mod default_privileges;
mod dependents;
mod drop;
mod enums;
mod errors;
mod function;
mod grant;
mod migration_files;
mod notes;
mod owner;
mod plpgsql;
mod policy;
mod project;
mod rename;
mod rls;
mod schema_ext;
mod serial;
pub mod split;
mod trigger;
mod using_index;
mod view;

pub use errors::{ReplayError, ReplayErrorKind};
pub use migration_files::version_of;
pub use notes::{Remark, Severity};
pub use project::{ProjectReplay, StartFrom, UsedCheckpoint, replay_project, replay_project_with};

use errors::{StmtError, StmtResult};
use schema::ident::DEFAULT_SCHEMA;
use schema::{Catalog, ConstraintKind, Ident, QualName, Source};
use sqlparser::ast;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use std::path::Path;

/// The replayed Catalog plus every statement the replay kept as a note.
#[derive(Clone, Debug, Default)]
pub struct Replayed {
    pub catalog: Catalog,
    pub notes: Vec<Note>,
}

/// A statement the replay read but does not model (DML, `DO`, `SET`, …).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub file: std::path::PathBuf,
    pub line: usize,
    pub column: usize,
    /// Short description: "INSERT (data change, no schema effect)".
    pub reason: String,
    pub severity: Severity,
    /// Objects the statement may touch, when they can be guessed.
    pub objects: Vec<String>,
    pub statement: String,
}

impl Note {
    /// Whether the statement may have changed the schema in ways the replay
    /// did not follow (so the replayed Catalog may be approximate).
    pub fn may_change_schema(&self) -> bool {
        self.severity >= Severity::Warning
    }
}

impl Replayed {
    /// Objects the replay marked approximate: those of its error notes
    /// (statements that failed because an earlier one was not followed).
    pub fn approximate(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .notes
            .iter()
            .filter(|n| n.severity == Severity::Error)
            .flat_map(|n| n.objects.iter().cloned())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

pub use schema::provided::is_provided_schema;

/// Replays the given files in the order given.
pub fn replay_sources(sources: &[Source]) -> Result<Replayed, ReplayError> {
    replay_sources_from(schema::provided::platform_catalog(), sources)
}

/// Replays the given files on top of `start` (a checkpoint's Catalog).
pub fn replay_sources_from(start: Catalog, sources: &[Source]) -> Result<Replayed, ReplayError> {
    let mut replay = Replay {
        catalog: start,
        ..Default::default()
    };
    for source in sources {
        reject_nul(source)?;
        for stmt in split::split_statements(&source.text) {
            let mut reasons = Vec::new();
            let saved = consequence::savepoint(&replay, &stmt.text);
            if let Err(e) = replay.statement(&stmt.text, &mut reasons) {
                match saved.and_then(|s| consequence::recover(&mut replay, s, &stmt.text, &e)) {
                    Some(remarks) => reasons = remarks,
                    None => return Err(place_error(source, &stmt, e)),
                }
            }
            for remark in reasons {
                // Notes about a statement inside a DO body point at it.
                let at = stmt.offset + remark.at.min(stmt.text.len());
                let (line, column) = source.line_col(at);
                replay.notes.push(Note {
                    file: source.path.clone(),
                    line,
                    column,
                    reason: remark.reason,
                    severity: remark.severity,
                    objects: remark.objects,
                    statement: remark.statement.unwrap_or_else(|| stmt.text.clone()),
                });
            }
        }
    }
    Ok(Replayed {
        catalog: replay.catalog,
        notes: replay.notes,
    })
}

/// Replays the migrations of `dir` ([`read_migrations`]); the notes start
/// with those about the folder (files skipped, duplicate versions).
pub fn replay_dir(dir: &Path) -> Result<Replayed, ReplayError> {
    let listing = migration_files::list(dir)?;
    let mut replayed = replay_sources(&listing.sources)?;
    replayed.notes.splice(0..0, listing.notes);
    Ok(replayed)
}

/// The migrations directly inside `dir`, by the Supabase CLI's rule
/// ([`migration_files`]): `<version>_<name>.sql`, in file-name order. A
/// missing directory is an empty history.
pub fn read_migrations(dir: &Path) -> Result<Vec<Source>, ReplayError> {
    Ok(migration_files::list(dir)?.sources)
}

/// What the migrations folder holds that the replay skips or warns about.
pub fn migration_folder_notes(dir: &Path) -> Result<Vec<Note>, ReplayError> {
    Ok(migration_files::list(dir)?.notes)
}

/// A NUL byte in a migration file is an error before anything is replayed:
/// PostgreSQL rejects it, and psql ends the line there, so what runs would
/// not be what the file shows.
fn reject_nul(source: &Source) -> Result<(), ReplayError> {
    let Some(at) = source.text.find('\0') else {
        return Ok(());
    };
    let whole = split::Statement {
        text: source.text.clone(),
        offset: 0,
    };
    let error = StmtError::new(
        ReplayErrorKind::Syntax,
        "this file contains a NUL character (byte 0)",
    )
    .hint("remove it: PostgreSQL cannot read it, and psql would end the line there");
    let mut error = place_error(source, &whole, StmtError { at, ..error });
    error.statement = String::new();
    Err(error)
}

fn place_error(source: &Source, stmt: &split::Statement, e: StmtError) -> ReplayError {
    let at = stmt.offset + e.at.min(stmt.text.len());
    let (line, column) = source.line_col(at);
    ReplayError {
        snippet: Some(Box::new((
            miette::NamedSource::new(source.path.display().to_string(), source.text.clone()),
            at,
        ))),
        kind: e.kind,
        file: source.path.clone(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        message: e.message,
        statement: stmt.text.clone(),
        hint: e.hint,
    }
}

#[derive(Default)]
pub(crate) struct Replay {
    pub catalog: Catalog,
    pub notes: Vec<Note>,
    /// DO blocks being replayed (EXECUTE can nest them).
    do_depth: usize,
}

impl Replay {
    /// Replays one statement; `notes` receives reasons for parts not modeled.
    fn statement(&mut self, text: &str, notes: &mut Vec<Remark>) -> StmtResult {
        // Statements sqlparser cannot read (in full), read from tokens.
        // Read once: every check below looks at the first words.
        let words = notes::head_words(text, notes::CLASSIFY_WORDS);
        if let Some(result) = alter_relation::replay(self, &words, text, notes)
            .or_else(|| create_table_like::replay(self, &words, text, notes))
        {
            return result;
        }
        if owner::replay(&words, text, notes).is_some() {
            return Ok(());
        }
        if let Some(remark) = notes::classify_head(&words) {
            let objects = match remark.severity {
                Severity::Info => Vec::new(),
                _ => plpgsql::objects_in_head(text),
            };
            notes.push(remark.with_objects(objects));
            return Ok(());
        }
        if words.first().is_some_and(|w| w == "do") {
            return plpgsql::replay_do_block(self, text, notes);
        }
        // Statements with clauses sqlparser does not read: their modules
        // read those from the tokens before parsing.
        if let Some(kind) = notes::created_kind(&words) {
            let result = match kind {
                "function" => function::create_function(self, text, notes),
                "trigger" => trigger::create_trigger(self, text, notes),
                "comment on function" => function::comment_on_function(self, text, notes),
                _ => view::create_view(self, text, notes),
            };
            return unreadable_as_note(result, text, notes);
        }
        let result = match parse_one(&strip_drop_index_concurrently(text)) {
            Ok(stmt) => self.dispatch(stmt, text, notes),
            Err(err) => alter_table::replay_unparsed(self, text, notes).unwrap_or(Err(err)),
        };
        unreadable_as_note(result, text, notes)
    }

    fn dispatch(
        &mut self,
        stmt: ast::Statement,
        text: &str,
        notes: &mut Vec<Remark>,
    ) -> StmtResult {
        use ast::Statement as S;
        match stmt {
            S::CreateSchema {
                schema_name,
                if_not_exists,
                ..
            } => schema_ext::create_schema(self, &schema_name, if_not_exists),
            S::CreateExtension(ext) => schema_ext::create_extension(self, &ext),
            S::DropExtension(drop) => drop::drop_extensions(self, &drop),
            S::CreateType {
                name,
                representation: Some(ast::UserDefinedTypeRepresentation::Enum { labels }),
            } => enums::create_enum(self, &name, &labels),
            // Composite types are outside the model (a column using one
            // is still an error when written to KDL).
            S::CreateType {
                name,
                representation: Some(ast::UserDefinedTypeRepresentation::Composite { .. }),
            } => {
                let remark = Remark::outside_model("CREATE TYPE … AS (…) (composite type)");
                notes.push(remark.with_objects([qual_name(&name)?.to_string()]));
                Ok(())
            }
            S::AlterType(alter) => enums::alter_type(self, &alter),
            S::CreateTable(ct) => create_table::create_table(self, &ct, notes),
            S::AlterTable(at) => alter_table::alter_table(
                self,
                &at.name,
                at.if_exists,
                at.operations
                    .into_iter()
                    .map(|op| alter_table::Action::Parsed(Box::new(op)))
                    .collect(),
                notes,
            ),
            S::CreateIndex(ci) => create_index::create_index(self, &ci),
            S::Drop {
                object_type,
                if_exists,
                names,
                cascade,
                ..
            } => drop::drop_objects(self, object_type, if_exists, &names, cascade, text, notes),
            S::AlterSchema(alter) => rename::alter_schema(self, &alter, text, notes),
            S::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => comment::comment_on(self, object_type, &object_name, comment, text, notes),
            S::CreatePolicy(p) => policy::create_policy(self, &p),
            S::AlterPolicy(p) => policy::alter_policy(self, &p),
            S::DropPolicy(p) => policy::drop_policy(self, &p),
            S::Grant(g) => grant::grant(self, &g, text, notes),
            S::Revoke(g) => grant::revoke(self, &g, text, notes),
            S::AlterDefaultPrivileges(adp) => {
                default_privileges::alter_default_privileges(self, &adp, notes)
            }
            S::AlterFunction(af) => function::alter_function(self, &af, text, notes),
            S::DropFunction(df) => function::drop_function(self, &df, notes),
            S::AlterTrigger(at) => trigger::alter_trigger(self, &at, text, notes),
            S::DropTrigger(dt) => trigger::drop_trigger(self, &dt),
            S::AlterView(av) => view::alter_view(self, &av, text, notes),
            _ => {
                notes.push(notes::unmodeled(&label_of(text)));
                Ok(())
            }
        }
    }

    // ---- lookups shared by the statement modules ----

    /// Whether `schema` exists: created by a migration, or provided by the
    /// platform.
    pub fn schema_exists(&self, schema: &Ident) -> bool {
        self.catalog.schemas.contains_key(schema) || is_provided_schema(schema.as_str())
    }

    pub fn require_schema(&self, schema: &Ident) -> StmtResult {
        if self.schema_exists(schema) {
            Ok(())
        } else {
            Err(
                StmtError::missing(format!("schema \"{}\" does not exist", schema.as_str()))
                    .hint(format!("create it first with CREATE SCHEMA {schema}")),
            )
        }
    }

    pub fn table(&self, name: &QualName) -> StmtResult<&schema::Table> {
        self.catalog
            .tables
            .get(name)
            .ok_or_else(|| missing_relation(name))
    }

    pub fn table_mut(&mut self, name: &QualName) -> StmtResult<&mut schema::Table> {
        self.catalog
            .tables
            .get_mut(name)
            .ok_or_else(|| missing_relation(name))
    }

    /// A relation (table, index, or a constraint's index) named `name` in `schema`.
    pub fn relation_taken(&self, schema: &Ident, name: &str) -> bool {
        let qn = QualName::new(schema.clone(), Ident::new(name));
        self.catalog.tables.contains_key(&qn)
            || self.catalog.indexes.contains_key(&qn)
            || self.catalog.views.contains_key(&qn)
            // Serial sequences live beside their table and always carry the
            // `seq` label, so most names skip this scan of every column.
            || (name.contains("seq")
                && self
                    .catalog
                    .tables
                    .values()
                    .filter(|t| &t.name.schema == schema)
                    .flat_map(|t| &t.columns)
                    .any(|c| {
                    c.default
                        .as_ref()
                        .and_then(schema::names::serial_sequence)
                        .as_ref()
                        == Some(&qn)
                    }))
            || self
                .catalog
                .tables
                .values()
                .filter(|t| &t.name.schema == schema)
                .any(|t| {
                    t.primary_key
                        .as_ref()
                        .is_some_and(|pk| pk.name.as_str() == name)
                        || t.constraints.values().any(|c| {
                            c.name.as_str() == name
                                && matches!(c.kind, ConstraintKind::Unique { .. })
                        })
                })
    }

    /// A constraint named `name` on any table of `schema` (PostgreSQL's
    /// `ConstraintNameExists`, which derived names avoid).
    pub fn constraint_taken(&self, schema: &Ident, name: &str) -> bool {
        self.catalog
            .tables
            .values()
            .filter(|t| &t.name.schema == schema)
            .any(|t| {
                t.primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.name.as_str() == name)
                    || t.constraints.contains_key(&Ident::new(name))
            })
    }
}

/// A statement the parser cannot read was applied by PostgreSQL (it is in
/// the history), so it is valid SQL beyond what sqlparser reads: note it as
/// not followed, where reading stopped, instead of stopping the replay.
/// Errors about state (missing relation, duplicate column) stay errors.
fn unreadable_as_note(result: StmtResult, text: &str, notes: &mut Vec<Remark>) -> StmtResult {
    match result {
        Err(e) if e.kind == ReplayErrorKind::Syntax => {
            let why = e.message.trim_start_matches("syntax error: ");
            let mut remark = Remark::new(
                format!(
                    "could not read {}: {why} ({})",
                    label_of(text),
                    notes::MAY_CHANGE
                ),
                Severity::Warning,
            )
            .with_objects(plpgsql::objects_in_head(text));
            remark.at = e.at;
            notes.push(remark);
            Ok(())
        }
        other => other,
    }
}

pub(crate) fn missing_relation(name: &QualName) -> StmtError {
    StmtError::missing(format!("relation \"{}\" does not exist", display_name(name)))
        .hint("check the name and that an earlier migration creates it (names are folded to lower case unless quoted)")
}

/// `core.shows`, or `shows` for `public.shows`, as PostgreSQL's messages do.
pub(crate) fn display_name(name: &QualName) -> String {
    if name.schema.as_str() == DEFAULT_SCHEMA {
        name.name.as_str().to_string()
    } else {
        format!("{}.{}", name.schema.as_str(), name.name.as_str())
    }
}

/// A qualified name from the AST, or an error for `a.b.c`.
pub(crate) fn qual_name(name: &ast::ObjectName) -> StmtResult<QualName> {
    QualName::from_ast(name).ok_or_else(|| {
        StmtError::invalid(format!(
            "improper qualified name (too many dotted names): {name}"
        ))
        .hint("write at most schema.name")
    })
}

pub(crate) fn label_of(text: &str) -> String {
    let words = notes::head_words(text, 6);
    notes::label(&words.iter().map(String::as_str).collect::<Vec<_>>())
}

fn parse_one(text: &str) -> StmtResult<ast::Statement> {
    let dialect = PostgreSqlDialect {};
    let mut statements = Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| syntax_error(text, &e, 0, 0))?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        _ => Err(
            StmtError::new(ReplayErrorKind::Syntax, "expected exactly one statement")
                .hint("separate statements with `;`"),
        ),
    }
}

/// A parser error placed inside the statement. `sub_offset`/`prefix` map a
/// position in a rewritten sub-statement back to the original text.
pub(crate) fn syntax_error(
    text: &str,
    e: &ParserError,
    prefix: usize,
    sub_offset: usize,
) -> StmtError {
    let message = e.to_string();
    let message = message.trim_start_matches("sql parser error: ");
    let (what, at) = match message.split_once(" at Line: ") {
        Some((what, pos)) => {
            let (line, rest) = pos.split_once(", Column: ").unwrap_or((pos, "1"));
            let column: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            let line = line.trim().parse().unwrap_or(1);
            let column = column.parse().unwrap_or(1);
            (what.to_string(), Some((line, column)))
        }
        None => (message.to_string(), None),
    };
    let at = at.map_or(0, |(line, column)| {
        let within = Source::new("", text).offset_of(line, column);
        if prefix == 0 {
            within
        } else {
            sub_offset + within.saturating_sub(prefix)
        }
    });
    // Replay::statement turns this into a warning note (the statement is
    // in an applied migration, so PostgreSQL read it).
    let mut err = StmtError::new(ReplayErrorKind::Syntax, format!("syntax error: {what}"))
        .hint("the replay could not read this statement");
    err.at = at;
    err
}

/// `DROP INDEX CONCURRENTLY` does not parse with its IF EXISTS; it has the
/// same effect as without, so blank the word out (keeping positions).
fn strip_drop_index_concurrently(text: &str) -> String {
    let words = notes::head_words(text, 3);
    if words.len() == 3
        && words[0] == "drop"
        && words[1] == "index"
        && words[2] == "concurrently"
        && let Some(pos) = text.to_ascii_lowercase().find("concurrently")
    {
        let mut out = text.to_string();
        out.replace_range(
            pos..pos + "concurrently".len(),
            &" ".repeat("concurrently".len()),
        );
        return out;
    }
    text.to_string()
}

/// The enum/type/table/column names of a statement, quoted for messages.
pub(crate) fn q(ident: &Ident) -> String {
    format!("\"{}\"", ident.as_str())
}
