//! Backfill specs inside migration files.
//!
//! A backfill file carries, before the DO block that runs its loop in
//! PostgreSQL, one comment line per data copy:
//!
//! ```sql
//! -- trr-schema backfill: {"table":"core.shows","key":["id"],…}
//! ```
//!
//! The JSON is the [`Backfill`] spec itself, so `trr-schema backfill` runs
//! exactly the copy the file would, with progress, from the file alone (no
//! KDL, no replay: the files may have been written by an older version).

use crate::plan::Backfill;
use schema::Source;
use std::path::PathBuf;

/// What starts a spec line (after leading blanks): the marker the plan
/// writes before each DO block.
pub const PREFIX: &str = crate::plan::BACKFILL_MARKER;

/// The comment line that carries `spec` in a migration file (no newline).
pub fn spec_line(spec: &Backfill) -> String {
    // Serializing a struct of strings and numbers cannot fail.
    let json = serde_json::to_string(spec).unwrap_or_default();
    format!("{PREFIX}{json}")
}

/// One spec found in a migration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The file, as its [`Source`] names it.
    pub file: PathBuf,
    /// 1-based line of the spec comment.
    pub line: usize,
    pub spec: Backfill,
}

/// A spec line whose JSON is not a backfill spec.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}:{column}: expected a backfill spec as one-line JSON after `{}`: {message}", PREFIX.trim_end())]
#[diagnostic(help(
    "this line is written by `trr-schema apply`; if it was edited by hand, write the plan again (`trr-schema apply`) or restore the line. Fields: table, key, assignments, pending, batch_size, pause_ms"
))]
pub struct BadSpec {
    pub file: String,
    pub line: usize,
    /// Column of the JSON error, counted from the start of the line.
    pub column: usize,
    pub message: String,
}

/// Every spec in `source`, in file order.
pub fn specs_in(source: &Source) -> Result<Vec<Found>, BadSpec> {
    let mut out = Vec::new();
    for (index, raw) in source.text.lines().enumerate() {
        let indent = raw.len() - raw.trim_start().len();
        let Some(json) = raw.trim_start().strip_prefix(PREFIX) else {
            continue;
        };
        let line = index + 1;
        match serde_json::from_str::<Backfill>(json) {
            Ok(spec) => out.push(Found {
                file: source.path.clone(),
                line,
                spec,
            }),
            Err(e) => {
                return Err(BadSpec {
                    file: source.path.display().to_string(),
                    line,
                    // serde_json counts columns from 1 within the JSON text.
                    column: indent + PREFIX.len() + e.column().max(1),
                    message: without_position(&e.to_string()),
                });
            }
        }
    }
    Ok(out)
}

/// Every spec in `sources` (migration files in the order they run).
pub fn specs(sources: &[Source]) -> Result<Vec<Found>, BadSpec> {
    let mut out = Vec::new();
    for source in sources {
        out.extend(specs_in(source)?);
    }
    Ok(out)
}

/// serde_json ends its messages with "at line 1 column 17"; our message
/// carries the position already.
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Backfill {
        Backfill {
            table: "core.shows".into(),
            key: vec!["id".into()],
            assignments: vec![("slug".into(), "handle".into())],
            pending: "slug IS DISTINCT FROM handle".into(),
            batch_size: 5000,
            pause_ms: 100,
        }
    }

    #[test]
    fn a_spec_line_reads_back_as_the_same_spec() {
        let line = spec_line(&spec());
        assert!(line.starts_with(PREFIX), "{line}");
        assert!(!line.contains('\n'));
        let text = format!("SET lock_timeout = '5s';\n\n{line}\nDO $$ BEGIN END $$;\n");
        let found = specs_in(&Source::new("m/1_backfill.sql", &text)).unwrap();
        assert_eq!(
            found,
            vec![Found {
                file: "m/1_backfill.sql".into(),
                line: 3,
                spec: spec()
            }]
        );
    }

    #[test]
    fn files_without_specs_have_none_and_order_is_kept() {
        let mut other = spec();
        other.table = "core.people".into();
        let a = Source::new("1_expand.sql", "-- trr-schema: not a spec\nSELECT 1;\n");
        let b = Source::new(
            "2_backfill.sql",
            format!("  {}\n{}\n", spec_line(&spec()), spec_line(&other)),
        );
        let found = specs(&[a, b]).unwrap();
        let tables: Vec<&str> = found.iter().map(|f| f.spec.table.as_str()).collect();
        assert_eq!(tables, ["core.shows", "core.people"]);
        assert_eq!((found[0].line, found[1].line), (1, 2));
    }

    #[test]
    fn a_broken_spec_names_its_place() {
        let text = "SELECT 1;\n-- trr-schema backfill: {\"table\": \"t\", \"key\": 3}\n";
        let err = specs_in(&Source::new("m/2_backfill.sql", text)).unwrap_err();
        assert_eq!((err.line, err.column), (2, 47));
        assert_eq!(
            err.to_string(),
            "m/2_backfill.sql:2:47: expected a backfill spec as one-line JSON after \
             `-- trr-schema backfill:`: invalid type: integer `3`, expected a sequence"
        );
    }
}
