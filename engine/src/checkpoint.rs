//! Checkpoints: the Catalog PostgreSQL produced for migrations 1..N (from a
//! shadow replay, [`crate::shadow`]) plus a hash of those N files, stored in
//! the repo so the offline replay can start there and stay exact on
//! histories it cannot follow (dynamic SQL), without a database.
//!
//! A checkpoint is valid while the first N migration files are byte for
//! byte the ones it was written from; editing, inserting or removing any of
//! them makes it stale, and a stale checkpoint is ignored with a warning.
//!
//! ```json
//! { "version": 1, "through": "0005_seed.sql", "files": 5,
//!   "history_sha256": "…", "catalog": { … } }
//! ```

use schema::{Catalog, Source};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};

/// The format version written and the only one read.
pub const VERSION: u32 = 2;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub version: u32,
    /// File name of the last migration covered.
    pub through: String,
    /// How many migration files (the first ones, in name order) it covers.
    pub files: usize,
    /// [`history_sha256`] of those files.
    pub history_sha256: String,
    pub catalog: Catalog,
}

/// A checkpoint that was not used, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Ignored {
    pub path: PathBuf,
    pub reason: String,
}

impl fmt::Display for Ignored {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ignoring checkpoint {}: {}",
            self.path.display(),
            self.reason
        )
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot write the checkpoint {}: {source}", path.display())]
#[diagnostic(help("check that `checkpoint_dir` in trr-schema.toml names a writable directory"))]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// SHA-256, in lower-case hex, over each file's name, a NUL, its contents
/// and a NUL, in order. Names only (not paths), so moving the repository
/// keeps its checkpoints; the NULs keep `a` + `bc` apart from `ab` + `c`.
pub fn history_sha256(sources: &[Source]) -> String {
    let mut hasher = Sha256::new();
    for source in sources {
        hasher.update(file_name(source).as_bytes());
        hasher.update([0]);
        hasher.update(source.text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn file_name(source: &Source) -> String {
    source
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Checkpoint {
    /// A checkpoint of `catalog` covering all of `sources` (which must not be
    /// empty: there is nothing to check a point of).
    pub fn new(sources: &[Source], catalog: Catalog) -> Option<Checkpoint> {
        let last = sources.last()?;
        Some(Checkpoint {
            version: VERSION,
            through: file_name(last),
            files: sources.len(),
            history_sha256: history_sha256(sources),
            catalog,
        })
    }

    /// `<stem of through>.json`: `0005_seed.sql` gives `0005_seed.json`.
    pub fn file_name(&self) -> String {
        let stem = Path::new(&self.through)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.through.clone());
        format!("{stem}.json")
    }

    /// Pretty JSON with a trailing newline; the same input always gives the
    /// same bytes (every collection in a Catalog is ordered).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a checkpoint always serializes");
        text.push('\n');
        text
    }

    /// Writes the checkpoint into `dir` (created if needed) and returns its path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, WriteError> {
        let path = dir.join(self.file_name());
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&path, self.to_json()))
            .map_err(|source| WriteError {
                path: path.clone(),
                source,
            })?;
        Ok(path)
    }

    /// Why this checkpoint cannot stand for the start of `sources`, if it cannot.
    fn invalid_for(&self, sources: &[Source]) -> Option<String> {
        if self.version != VERSION {
            return Some(format!(
                "it has format version {}, this trr-schema reads version {VERSION}; write a new one with `trr-schema replay --shadow-database-url URL`",
                self.version
            ));
        }
        if self.files == 0 {
            return Some("it covers no migration files".into());
        }
        if self.files > sources.len() {
            return Some(format!(
                "it covers {} migration files but there are only {} (a migration was removed, or the checkpoint comes from another branch)",
                self.files,
                sources.len()
            ));
        }
        let covered = &sources[..self.files];
        if history_sha256(covered) == self.history_sha256 {
            return None;
        }
        let nth = file_name(&sources[self.files - 1]);
        Some(if nth != self.through {
            format!(
                "migration {} is now {nth}, not {} (a migration was inserted, removed or renamed before it)",
                self.files, self.through
            )
        } else {
            format!(
                "one of the first {} migrations (through {}) was edited since it was written",
                self.files, self.through
            )
        })
    }
}

/// What [`select`] found in the checkpoint directory.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// The valid checkpoint covering the most files, and where it is.
    pub used: Option<(PathBuf, Checkpoint)>,
    /// Checkpoints that are stale or unreadable, in file-name order.
    pub ignored: Vec<Ignored>,
}

/// The newest valid checkpoint in `dir` for the migration history
/// `sources`: the one covering the most files whose hash matches the first
/// N current files (on a tie, the first by file name). Every `*.json` file
/// that is not a valid checkpoint is reported in `ignored`. A missing
/// directory has no checkpoints.
pub fn select(dir: &Path, sources: &[Source]) -> Selection {
    let mut selection = Selection::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return selection,
        Err(e) => {
            selection.ignored.push(Ignored {
                path: dir.to_path_buf(),
                reason: format!("cannot read the checkpoint directory: {e}"),
            });
            return selection;
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let checkpoint = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read it: {e}"))
            .and_then(|text| {
                serde_json::from_str::<Checkpoint>(&text).map_err(|e| {
                    format!(
                        "it is not a trr-schema checkpoint ({e}); delete it, or write a new one with `trr-schema replay --shadow-database-url URL`"
                    )
                })
            });
        let checkpoint = match checkpoint.and_then(|c| match c.invalid_for(sources) {
            None => Ok(c),
            Some(reason) => Err(reason),
        }) {
            Ok(c) => c,
            Err(reason) => {
                selection.ignored.push(Ignored { path, reason });
                continue;
            }
        };
        if selection
            .used
            .as_ref()
            .is_none_or(|(_, best)| checkpoint.files > best.files)
        {
            selection.used = Some((path, checkpoint));
        }
    }
    selection
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::{Ident, Schema};

    fn history(files: &[(&str, &str)]) -> Vec<Source> {
        files
            .iter()
            .map(|(name, text)| Source::new(format!("supabase/migrations/{name}"), *text))
            .collect()
    }

    fn catalog(schema: &str) -> Catalog {
        let mut c = Catalog::default();
        c.schemas.insert(
            Ident::new(schema),
            Schema {
                name: Ident::new(schema),
                comment: Some("it's".into()),
            },
        );
        c
    }

    const FILES: &[(&str, &str)] = &[
        ("0001_a.sql", "create schema a;\n"),
        ("0002_b.sql", "create schema b;\n"),
        ("0003_c.sql", "create schema c;\n"),
    ];

    #[test]
    fn hash_covers_names_contents_and_boundaries() {
        let h = history_sha256(&history(FILES));
        assert_eq!(h.len(), 64);
        assert!(
            h.chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
        // The directory does not count; names, contents and boundaries do.
        let moved: Vec<Source> = FILES
            .iter()
            .map(|(n, t)| Source::new(format!("elsewhere/{n}"), *t))
            .collect();
        assert_eq!(history_sha256(&moved), h);
        assert_ne!(
            history_sha256(&history(&[("0001_a.sql", "ab"), ("0002_b.sql", "c")])),
            history_sha256(&history(&[("0001_a.sql", "a"), ("0002_b.sql", "bc")]))
        );
        assert_ne!(
            history_sha256(&history(&[("0001_x.sql", "create schema a;\n")])),
            history_sha256(&history(&FILES[..1]))
        );
        // The empty history has the hash of no input.
        assert_eq!(
            history_sha256(&[]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn written_file_is_stable_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let cp = Checkpoint::new(&history(&FILES[..2]), catalog("a")).unwrap();
        assert_eq!(cp.file_name(), "0002_b.json");
        let path = cp.write(&dir.path().join("nested/checkpoints")).unwrap();
        let first = std::fs::read(&path).unwrap();
        cp.write(&dir.path().join("nested/checkpoints")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), first, "byte-identical");
        assert!(first.ends_with(b"}\n"));
        let back: Checkpoint = serde_json::from_slice(&first).unwrap();
        assert_eq!(back, cp);
        assert!(Checkpoint::new(&[], Catalog::default()).is_none());
    }

    /// Writes checkpoints for the first `n` of `FILES` for each `n`.
    fn checkpoints(ns: &[usize]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for &n in ns {
            Checkpoint::new(&history(&FILES[..n]), catalog(&format!("s{n}")))
                .unwrap()
                .write(dir.path())
                .unwrap();
        }
        dir
    }

    fn used(selection: &Selection) -> Option<usize> {
        selection.used.as_ref().map(|(_, c)| c.files)
    }

    #[test]
    fn newest_valid_checkpoint_wins() {
        let dir = checkpoints(&[1, 2]);
        let selection = select(dir.path(), &history(FILES));
        assert_eq!(used(&selection), Some(2));
        assert!(selection.ignored.is_empty(), "{:?}", selection.ignored);
        let (path, cp) = selection.used.unwrap();
        assert_eq!(path, dir.path().join("0002_b.json"));
        assert_eq!(cp.catalog, catalog("s2"));
        // Nothing there: nothing used, nothing to warn about.
        let none = select(&dir.path().join("missing"), &history(FILES));
        assert!(none.used.is_none() && none.ignored.is_empty());
    }

    #[test]
    fn edited_migration_makes_later_checkpoints_stale() {
        let dir = checkpoints(&[1, 2]);
        let mut files = FILES.to_vec();
        files[1].1 = "create schema b2;\n";
        let selection = select(dir.path(), &history(&files));
        assert_eq!(used(&selection), Some(1), "the older one still matches");
        assert_eq!(selection.ignored.len(), 1);
        let ignored = &selection.ignored[0];
        assert_eq!(ignored.path, dir.path().join("0002_b.json"));
        assert_eq!(
            ignored.reason,
            "one of the first 2 migrations (through 0002_b.sql) was edited since it was written"
        );
        assert!(
            ignored.to_string().starts_with("ignoring checkpoint "),
            "{ignored}"
        );
    }

    #[test]
    fn inserted_or_removed_migration_makes_it_stale() {
        let dir = checkpoints(&[2]);
        let mut inserted = FILES.to_vec();
        inserted.insert(1, ("0001_b_hotfix.sql", "select 1;\n"));
        let selection = select(dir.path(), &history(&inserted));
        assert_eq!(used(&selection), None);
        assert_eq!(
            selection.ignored[0].reason,
            "migration 2 is now 0001_b_hotfix.sql, not 0002_b.sql (a migration was inserted, removed or renamed before it)"
        );

        let removed = [FILES[1], FILES[2]];
        let selection = select(dir.path(), &history(&removed));
        assert_eq!(used(&selection), None);
        assert!(
            selection.ignored[0]
                .reason
                .contains("migration 2 is now 0003_c.sql"),
            "{:?}",
            selection.ignored
        );
    }

    #[test]
    fn checkpoint_newer_than_the_history_is_ignored() {
        let dir = checkpoints(&[1, 3]);
        let selection = select(dir.path(), &history(&FILES[..2]));
        assert_eq!(used(&selection), Some(1));
        assert_eq!(
            selection.ignored[0].reason,
            "it covers 3 migration files but there are only 2 (a migration was removed, or the checkpoint comes from another branch)"
        );
    }

    #[test]
    fn unreadable_and_foreign_files_are_reported() {
        let dir = checkpoints(&[1]);
        std::fs::write(dir.path().join("notes.json"), "{\"hello\": 1}\n").unwrap();
        std::fs::write(dir.path().join("README.md"), "not json").unwrap();
        let mut old = Checkpoint::new(&history(&FILES[..2]), Catalog::default()).unwrap();
        old.version = 0;
        old.write(dir.path()).unwrap();
        let selection = select(dir.path(), &history(FILES));
        assert_eq!(used(&selection), Some(1));
        let reasons: Vec<String> = selection.ignored.iter().map(ToString::to_string).collect();
        assert_eq!(reasons.len(), 2, "{reasons:#?}");
        assert!(
            reasons[0].contains("0002_b.json: it has format version 0"),
            "{reasons:#?}"
        );
        assert!(
            reasons[1].contains("notes.json: it is not a trr-schema checkpoint"),
            "{reasons:#?}"
        );
    }
}
