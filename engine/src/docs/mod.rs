//! Schema docs generated from a Catalog, offline: `INDEX.md`, and per table
//! `<schema>.<table>.json` and `<schema>.<table>.md` (see `docs/docs.md`).
//!
//! The CLI passes the declared (KDL) Catalog: it is what the migrations
//! build once the plan is applied, so the docs of a pull request describe
//! the schema the pull request produces. Values are spelled as PostgreSQL
//! reports them ([`pg_spelling`]), so the JSON agrees with
//! `information_schema` / `pg_catalog` on a database built by the
//! migrations (proven by `snapshots/tests/docs.rs`).

pub mod markdown;
pub mod pg_spelling;
pub mod table;

use schema::{Catalog, Ident};
use std::path::{Path, PathBuf};
pub use table::TableDoc;

/// One generated file: its name inside the docs directory and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocFile {
    pub name: String,
    pub text: String,
}

/// The documents of every table in `schemas`, in table-name order.
pub fn table_docs(catalog: &Catalog, schemas: &[Ident]) -> Vec<TableDoc> {
    catalog
        .tables
        .values()
        .filter(|t| schemas.contains(&t.name.schema))
        .map(|t| TableDoc::of(t, catalog))
        .collect()
}

/// Every file of the docs directory, sorted by name; each ends with a
/// newline.
pub fn generate(catalog: &Catalog, schemas: &[Ident]) -> Vec<DocFile> {
    let docs = table_docs(catalog, schemas);
    let erd = crate::erd::Erd::of(catalog, |t| schemas.contains(&t.schema)).mermaid();
    let mut files = vec![DocFile {
        name: "INDEX.md".into(),
        text: markdown::index(&docs, &erd),
    }];
    for doc in &docs {
        let stem = format!("{}.{}", doc.schema, doc.table);
        let json = serde_json::to_string_pretty(doc).unwrap_or_default();
        files.push(DocFile {
            name: format!("{stem}.json"),
            text: format!("{json}\n"),
        });
        files.push(DocFile {
            name: format!("{stem}.md"),
            text: markdown::table(doc),
        });
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

/// How a docs directory differs from what [`generate`] gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stale {
    /// The file is not there.
    Missing { name: String },
    /// The file differs: a unified diff from the file on disk to the
    /// generated text.
    Differs { name: String, diff: String },
    /// A generated-looking file (`INDEX.md`, `<schema>.<table>.json|md`) that
    /// would not be generated any more (its table is gone).
    Extra { name: String },
}

impl Stale {
    pub fn name(&self) -> &str {
        match self {
            Stale::Missing { name } | Stale::Differs { name, .. } | Stale::Extra { name } => name,
        }
    }
}

/// Compares `dir` with `files`; an empty list means the docs are current.
pub fn check(dir: &Path, files: &[DocFile]) -> std::io::Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for file in files {
        let path = dir.join(&file.name);
        match std::fs::read_to_string(&path) {
            Ok(text) if text == file.text => {}
            Ok(text) => stale.push(Stale::Differs {
                name: file.name.clone(),
                diff: similar::TextDiff::from_lines(&text, &file.text)
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("a/{}", file.name),
                        &format!("b/{} (generated)", file.name),
                    )
                    .to_string(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => stale.push(Stale::Missing {
                name: file.name.clone(),
            }),
            Err(e) => return Err(e),
        }
    }
    for name in extra_files(dir, files)? {
        stale.push(Stale::Extra { name });
    }
    Ok(stale)
}

/// Writes `files` into `dir` (created if missing) and removes generated
/// files of tables that no longer exist. Returns the paths written and
/// removed.
pub fn write(dir: &Path, files: &[DocFile]) -> std::io::Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    std::fs::create_dir_all(dir)?;
    let mut written = Vec::new();
    for file in files {
        let path = dir.join(&file.name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.text.as_str()) {
            std::fs::write(&path, &file.text)?;
            written.push(path);
        }
    }
    let mut removed = Vec::new();
    for name in extra_files(dir, files)? {
        let path = dir.join(name);
        std::fs::remove_file(&path)?;
        removed.push(path);
    }
    Ok((written, removed))
}

/// Files in `dir` named like generated ones (`<schema>.<table>.json|md`)
/// that `files` does not hold, sorted. Anything else (a README) is left
/// alone.
fn extra_files(dir: &Path, files: &[DocFile]) -> std::io::Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut extra = Vec::new();
    for entry in entries {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            continue;
        };
        let generated_like = (name.ends_with(".json") || name.ends_with(".md"))
            && name.matches('.').count() == 2
            && entry.path().is_file();
        if generated_like && !files.iter().any(|f| f.name == name) {
            extra.push(name);
        }
    }
    extra.sort();
    Ok(extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<DocFile> {
        vec![
            DocFile {
                name: "INDEX.md".into(),
                text: "# Schema Docs Index\n".into(),
            },
            DocFile {
                name: "core.shows.json".into(),
                text: "{}\n".into(),
            },
        ]
    }

    #[test]
    fn check_reports_missing_changed_and_extra_files() {
        let dir = tempfile::tempdir().unwrap();
        let stale = check(dir.path(), &files()).unwrap();
        assert_eq!(stale.len(), 2, "{stale:?}");
        write(dir.path(), &files()).unwrap();
        assert!(check(dir.path(), &files()).unwrap().is_empty());

        std::fs::write(dir.path().join("core.shows.json"), "{ }\n").unwrap();
        std::fs::write(dir.path().join("core.gone.md"), "# core.gone\n").unwrap();
        std::fs::write(dir.path().join("README.md"), "mine\n").unwrap();
        let stale = check(dir.path(), &files()).unwrap();
        let names: Vec<&str> = stale.iter().map(|s| s.name()).collect();
        assert_eq!(names, ["core.shows.json", "core.gone.md"]);
        let Stale::Differs { diff, .. } = &stale[0] else {
            panic!("{stale:?}")
        };
        assert!(diff.contains("-{ }\n+{}\n"), "{diff}");

        let (_, removed) = write(dir.path(), &files()).unwrap();
        assert_eq!(removed, [dir.path().join("core.gone.md")]);
        assert!(dir.path().join("README.md").exists());
        assert!(check(dir.path(), &files()).unwrap().is_empty());
    }
}
