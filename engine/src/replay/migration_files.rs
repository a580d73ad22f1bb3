//! Which files of `supabase/migrations/` are migrations, and in which
//! order: the Supabase CLI's own rule (`pkg/migration/list.go`), so the
//! replay reads what `db reset` and `db push` apply.
//!
//! - the folder's top level only, in lexicographic (byte) file-name order,
//!   with no numeric re-sort;
//! - only names matching `^([0-9]+)_(.*)\.sql$`; the digits are the version;
//! - the first entry is skipped when it is `<14 digits>_init.sql` with a
//!   timestamp before 20211209000000 (what CLI versions before that date
//!   wrote as the initial schema).
//!
//! Everything else is skipped with one note per file. Duplicate versions
//! (which `db push` rejects) and mixed-width numbering (`00010_x` sorts
//! before `0002_y`, so a runner that sorts numerically applies another
//! order) are warned about.

use super::notes::Severity;
use super::{Note, ReplayError, ReplayErrorKind};
use schema::Source;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The migration files and the notes about the folder.
pub(super) struct Listing {
    pub sources: Vec<Source>,
    pub notes: Vec<Note>,
}

/// The version of a migration file name, per the CLI's pattern.
pub fn version_of(file_name: &str) -> Option<&str> {
    let stem = file_name.strip_suffix(".sql")?;
    let (digits, _) = stem.split_once('_')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// The CLI's backward-compatibility rule for a first `<timestamp>_init.sql`.
fn legacy_init(file_name: &str) -> bool {
    // The CLI's pattern is unanchored: `([0-9]{14})_init\.sql` anywhere.
    let bytes = file_name.as_bytes();
    (0..bytes.len()).any(|start| {
        let rest = &bytes[start..];
        rest.len() >= 23
            && rest[..14].iter().all(u8::is_ascii_digit)
            && rest[14..].starts_with(b"_init.sql")
            && std::str::from_utf8(&rest[..14])
                .ok()
                .and_then(|t| t.parse::<u64>().ok())
                .is_some_and(|t| t < 20_211_209_000_000)
    })
}

fn note(path: &Path, severity: Severity, reason: String) -> Note {
    Note {
        file: path.to_path_buf(),
        line: 1,
        column: 1,
        reason,
        severity,
        objects: Vec::new(),
        statement: String::new(),
    }
}

/// Reads the migrations of `dir` by the CLI's rule. A missing directory is
/// an empty history.
pub(super) fn list(dir: &Path) -> Result<Listing, ReplayError> {
    let mut out = Listing {
        sources: Vec::new(),
        notes: Vec::new(),
    };
    if !dir.exists() {
        return Ok(out);
    }
    let io_error = |file: &Path, e: std::io::Error| ReplayError {
        kind: ReplayErrorKind::Io,
        file: file.to_path_buf(),
        line: 1,
        column: 1,
        message: format!("cannot read the migration: {e}"),
        statement: String::new(),
        hint: Some("migrations must be readable UTF-8 text files".into()),
        snippet: None,
    };
    let mut entries: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map_err(|e| io_error(dir, e))?
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    // Go's fs.ReadDir order: by name, byte by byte.
    entries.sort();
    let mut versions: Vec<(String, PathBuf)> = Vec::new();
    for (i, (name, path)) in entries.into_iter().enumerate() {
        if path.is_dir() {
            continue;
        }
        if i == 0 && legacy_init(&name) {
            out.notes.push(note(
                &path,
                Severity::Info,
                format!(
                    "{name} skipped: the Supabase CLI does not apply a first <timestamp>_init.sql \
                     from before 2021-12-09 (rename it to apply it)"
                ),
            ));
            continue;
        }
        let Some(version) = version_of(&name) else {
            out.notes.push(note(
                &path,
                Severity::Info,
                format!(
                    "{name} skipped: not a migration (the Supabase CLI applies only files named \
                     <version>_<name>.sql, the version in digits)"
                ),
            ));
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
        versions.push((version.to_string(), path.clone()));
        out.sources.push(Source::new(path, text));
    }
    duplicates(&versions, &mut out.notes);
    mixed_width(&versions, &mut out.notes);
    Ok(out)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

fn duplicates(versions: &[(String, PathBuf)], notes: &mut Vec<Note>) {
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for (version, path) in versions {
        if let Some(first) = seen.get(version.as_str()) {
            notes.push(note(
                path,
                Severity::Warning,
                format!(
                    "version {version} is also the version of {}: `supabase db push` rejects \
                     duplicate versions (rename one with a new timestamp)",
                    file_name(first)
                ),
            ));
        } else {
            seen.insert(version, path);
        }
    }
}

/// Numbers compare by value: without leading zeros, shorter is smaller.
fn numeric_key(version: &str) -> (usize, &str) {
    let v = version.trim_start_matches('0');
    (v.len(), v)
}

fn mixed_width(versions: &[(String, PathBuf)], notes: &mut Vec<Note>) {
    for pair in versions.windows(2) {
        let ((a, a_path), (b, b_path)) = (&pair[0], &pair[1]);
        if numeric_key(a) > numeric_key(b) {
            notes.push(note(
                b_path,
                Severity::Warning,
                format!(
                    "{} is applied after {} (file names sort as text), though its version is the \
                     smaller number: a runner that sorts numerically applies them the other way \
                     round (give every version the same width)",
                    file_name(b_path),
                    file_name(a_path)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_follow_the_cli_pattern() {
        assert_eq!(
            version_of("20240101120000_init.sql"),
            Some("20240101120000")
        );
        assert_eq!(version_of("0001_a_b.sql"), Some("0001"));
        assert_eq!(version_of("1_.sql"), Some("1"));
        assert_eq!(version_of("seed.sql"), None);
        assert_eq!(version_of("_x.sql"), None);
        assert_eq!(version_of("2024-01-01_x.sql"), None);
        assert_eq!(version_of("0001_x.SQL"), None);
        assert_eq!(version_of("0001_x.sql.bak"), None);
    }

    #[test]
    fn legacy_init_is_old_and_first_only() {
        assert!(legacy_init("20211208235959_init.sql"));
        assert!(!legacy_init("20211209000000_init.sql"));
        assert!(!legacy_init("20200101000000_initial.sql"));
        assert!(!legacy_init("2020010100000_init.sql"));
    }
}
