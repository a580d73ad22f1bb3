//! Consequences of statements the replay did not follow. A history was
//! applied by PostgreSQL, so when a statement fails on the replayed state
//! after an earlier statement on the same objects was not followed, the
//! failure is that statement's consequence, not the history's fault: the
//! replay repairs the state the way the failing statement implies, records
//! an error note naming both statements, marks exactly the objects
//! involved approximate, and goes on.
//!
//! - `… already exists`: the unfollowed statement must have moved the
//!   existing object away (a rebuild's rename to a run-time name). It is
//!   renamed aside to a marked name (`shows__approx`) and the statement is
//!   replayed again.
//! - anything else (`does not exist`, a dependency): the statement is
//!   skipped, leaving the state as before it.
//!
//! Without such an earlier statement the error stops the replay as before.

use super::errors::{ReplayErrorKind, StmtError};
use super::notes::{Remark, Severity};
use super::{Note, Replay, plpgsql};
use schema::{Catalog, Ident, QualName};

/// The suffix of an object renamed aside by a repair.
pub const MARK: &str = "__approx";

/// The Catalog before a statement that may fail as a consequence (there is
/// an earlier statement the replay did not follow, and this one changes
/// modeled objects), so a failure can be undone.
pub(super) fn savepoint(r: &Replay, text: &str) -> Option<Catalog> {
    let uncertain = r.notes.iter().any(Note::may_change_schema);
    (uncertain && super::notes::classify(text).is_none()).then(|| r.catalog.clone())
}

/// The earlier note whose objects the failing statement touches: the
/// latest statement not followed, else the latest repair.
fn cause<'n>(notes: &'n [Note], involved: &[String]) -> Option<&'n Note> {
    let touches = |n: &&Note| {
        n.objects.is_empty()
            || n.objects
                .iter()
                .any(|o| involved.iter().any(|i| overlaps(o, i)))
    };
    let latest = |severity: Severity| {
        notes
            .iter()
            .rev()
            .filter(|n| n.severity == severity)
            .find(touches)
    };
    latest(Severity::Warning).or_else(|| latest(Severity::Error))
}

/// `the statement at file:3:3 (`if exists (…) then`) was not followed`.
fn describe(cause: &Note) -> String {
    let first = cause.statement.lines().next().unwrap_or_default().trim();
    let shown: String = first.chars().take(72).collect();
    let more = if shown.len() < first.len() || cause.statement.trim().lines().count() > 1 {
        " …"
    } else {
        ""
    };
    // The file name only: migrations live in one flat folder, and the
    // message must not depend on where the project is checked out.
    let file = cause.file.file_name().map_or_else(
        || cause.file.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    format!(
        "the statement at {file}:{}:{} (`{shown}{more}`) was not followed",
        cause.line, cause.column
    )
}

/// `core.shows` and `core.shows.title`, `core.x_old_*` and `core.x_old_1`,
/// a bare relation name from an error message and `core.x`.
fn overlaps(a: &str, b: &str) -> bool {
    let prefix = |w: &str, o: &str| {
        w.strip_suffix('*')
            .is_some_and(|p| o.starts_with(p) && !p.is_empty())
    };
    let within = |o: &str, t: &str| o.strip_prefix(t).is_some_and(|r| r.starts_with('.'));
    let last = |s: &str| s.rsplit('.').next().unwrap_or(s).to_string();
    a == b
        || prefix(a, b)
        || prefix(b, a)
        || within(a, b)
        || within(b, a)
        || (!b.contains('.') && last(a) == b)
        || (!a.contains('.') && last(b) == a)
}

/// The quoted names in a message: `relation "x" already exists` → `x`.
fn quoted(message: &str) -> Vec<String> {
    message
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `core.shows` (or `shows`) as PostgreSQL's messages print it.
fn qual(display: &str, schemas: &[Ident]) -> Vec<QualName> {
    match display.split_once('.') {
        Some((s, n)) => vec![QualName::new(Ident::new(s), Ident::new(n))],
        None => schemas
            .iter()
            .map(|s| QualName::new(s.clone(), Ident::new(display)))
            .collect(),
    }
}

/// A free name for `name` renamed aside, within PostgreSQL's 63 bytes.
fn marked(r: &Replay, schema: &Ident, name: &str, taken: impl Fn(&Replay, &str) -> bool) -> String {
    (1..)
        .map(|k| {
            let suffix = if k == 1 {
                MARK.to_string()
            } else {
                format!("{MARK}{k}")
            };
            let mut base = name.to_string();
            while base.len() + suffix.len() > 63 {
                base.pop();
            }
            let _ = schema;
            format!("{base}{suffix}")
        })
        .find(|n| !taken(r, n))
        .expect("some suffix is free")
}

fn display(qn: &QualName) -> String {
    format!("{}.{}", qn.schema.as_str(), qn.name.as_str())
}

/// The statement failed with `error` on the state `saved`: when an earlier
/// statement not followed explains it, repair and return the notes (the
/// error note first); otherwise `None` (the error stands).
pub(super) fn recover(
    r: &mut Replay,
    saved: Catalog,
    text: &str,
    error: &StmtError,
) -> Option<Vec<Remark>> {
    if matches!(error.kind, ReplayErrorKind::Io | ReplayErrorKind::Syntax) {
        return None;
    }
    let mut involved = plpgsql::objects_in_head(text);
    let names = quoted(&error.message);
    involved.extend(names.iter().cloned());
    let cause = cause(&r.notes, &involved)?;
    let because = describe(cause);
    let cause_objects = cause.objects.clone();
    r.catalog = saved;
    let schemas: Vec<Ident> = {
        let mut s: Vec<Ident> = plpgsql::objects_in_head(text)
            .iter()
            .filter_map(|o| o.split_once('.').map(|(s, _)| Ident::new(s)))
            .collect();
        s.push(Ident::new(super::DEFAULT_SCHEMA));
        s.dedup();
        s
    };
    if error.kind == ReplayErrorKind::Duplicate
        && let Some((aside, moved)) = rename_aside(r, &error.message, &names, &schemas)
    {
        let before = r.catalog.clone();
        let mut inner = Vec::new();
        if r.statement(text, &mut inner).is_ok() {
            let objects = [moved.clone(), aside.clone()];
            let mut out = vec![
                Remark::new(
                    format!(
                        "{}, because {because}: the existing {moved} was renamed aside to {aside} and the statement replayed; both are approximate",
                        error.message
                    ),
                    Severity::Error,
                )
                .with_objects(objects),
            ];
            out.extend(inner);
            return Some(out);
        }
        r.catalog = before;
    }
    let mut objects = plpgsql::objects_in_head(text);
    if objects.is_empty() {
        objects = cause_objects;
    }
    Some(vec![
        Remark::new(
            format!(
                "{}, because {because}: the statement was skipped; what it names is approximate",
                error.message
            ),
            Severity::Error,
        )
        .with_objects(objects),
    ])
}

/// Renames the object a `… already exists` error names aside, through the
/// replay's own statements; returns `(marked name, name freed)`.
fn rename_aside(
    r: &mut Replay,
    message: &str,
    names: &[String],
    schemas: &[Ident],
) -> Option<(String, String)> {
    let subject = message.split_whitespace().next()?;
    let sql_name = |qn: &QualName| format!("{}.{}", qn.schema.quoted(), qn.name.quoted());
    let (sql, aside, moved) = match (subject, names) {
        ("relation" | "type", [name, ..]) => {
            let qn = qual(name, schemas).into_iter().find(|qn| {
                r.relation_taken(&qn.schema, qn.name.as_str()) || r.catalog.enums.contains_key(qn)
            })?;
            let kind = if r.catalog.tables.contains_key(&qn) {
                "TABLE"
            } else if let Some(v) = r.catalog.views.get(&qn) {
                if v.materialized {
                    "MATERIALIZED VIEW"
                } else {
                    "VIEW"
                }
            } else if r.catalog.enums.contains_key(&qn) {
                "TYPE"
            } else {
                "INDEX"
            };
            let to = marked(r, &qn.schema, qn.name.as_str(), |r, n| {
                r.relation_taken(&qn.schema, n)
                    || r.catalog
                        .enums
                        .contains_key(&QualName::new(qn.schema.clone(), Ident::new(n)))
            });
            let aside = QualName::new(qn.schema.clone(), Ident::new(to.as_str()));
            (
                format!(
                    "ALTER {kind} {} RENAME TO {}",
                    sql_name(&qn),
                    Ident::new(to.as_str()).quoted()
                ),
                display(&aside),
                display(&qn),
            )
        }
        ("constraint" | "column", [name, table, ..]) => {
            let table = qual(table, schemas)
                .into_iter()
                .find(|t| r.catalog.tables.contains_key(t))?;
            let to = marked(r, &table.schema, name, |r, n| match subject {
                "column" => r
                    .catalog
                    .tables
                    .get(&table)
                    .is_some_and(|t| t.column(&Ident::new(n)).is_some()),
                _ => r.constraint_taken(&table.schema, n) || r.relation_taken(&table.schema, n),
            });
            let kind = subject.to_uppercase();
            (
                format!(
                    "ALTER TABLE {} RENAME {kind} {} TO {}",
                    sql_name(&table),
                    Ident::new(name.as_str()).quoted(),
                    Ident::new(to.as_str()).quoted()
                ),
                format!("{}.{to}", display(&table)),
                format!("{}.{name}", display(&table)),
            )
        }
        _ => return None,
    };
    let mut ignored = Vec::new();
    r.statement(&sql, &mut ignored).ok()?;
    Some((aside, moved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_overlap_by_table_wildcard_and_bare_name() {
        assert!(overlaps("core.shows", "core.shows"));
        assert!(overlaps("core.shows", "core.shows.title"));
        assert!(overlaps("core.x_old_*", "core.x_old_20240101"));
        assert!(overlaps("core.shows_pkey", "shows_pkey"));
        assert!(!overlaps("core.shows", "core.showings"));
        assert!(!overlaps("core.shows", "app.shows"));
        assert_eq!(
            quoted("constraint \"c\" for relation \"core.t\" already exists"),
            ["c", "core.t"]
        );
    }
}
