//! Finds the project root: `--dir DIR`, or the nearest directory at or above
//! the current one that holds `trr-schema.toml`.

use engine::config::{self, FILE_NAME};
use miette::{Diagnostic, IntoDiagnostic, WrapErr};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("no {FILE_NAME} in {}", dir.display())]
#[diagnostic(
    code(trr_schema::config::not_found),
    help("--dir must name the project root, the directory that holds {FILE_NAME}")
)]
struct NoConfigInDir {
    dir: PathBuf,
}

/// The project root, relative to the current directory when it was
/// discovered (so paths in messages stay short): `` (here), `../..`.
pub fn project_root(dir: Option<&Path>) -> miette::Result<PathBuf> {
    if let Some(dir) = dir {
        if !dir.join(FILE_NAME).is_file() {
            return Err(NoConfigInDir {
                dir: dir.to_path_buf(),
            }
            .into());
        }
        return Ok(dir.to_path_buf());
    }
    let cwd = std::env::current_dir()
        .into_diagnostic()
        .wrap_err("cannot read the current directory")?;
    let root = config::find_root(&cwd)?;
    let depth = cwd
        .strip_prefix(&root)
        .map(|rest| rest.components().count())
        .unwrap_or(0);
    Ok((0..depth).map(|_| Component::ParentDir).collect())
}
