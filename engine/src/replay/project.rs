//! A project's migration history replayed the way `plan` needs it: from
//! the newest valid checkpoint ([`crate::checkpoint`]) when there is one,
//! else from the first file.

use super::{ReplayError, Replayed, read_migrations, replay_sources, replay_sources_from};
use crate::checkpoint::{self, Ignored};
use crate::config::Config;
use schema::Source;
use serde::Serialize;
use std::path::PathBuf;

/// Where the replay starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartFrom {
    /// The newest valid checkpoint, or the first file when there is none.
    Checkpoint,
    /// The first file, whatever checkpoints exist.
    Scratch,
}

#[derive(Clone, Debug)]
pub struct ProjectReplay {
    /// The Catalog after every migration, and the notes of the files
    /// replayed offline (those after the checkpoint).
    pub replayed: Replayed,
    /// Every migration file, in order.
    pub migrations: Vec<Source>,
    pub checkpoint: Option<UsedCheckpoint>,
    /// Checkpoints found but not used, and why.
    pub ignored: Vec<Ignored>,
}

/// The checkpoint a replay started from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UsedCheckpoint {
    pub path: PathBuf,
    /// The last migration it covers.
    pub through: String,
    /// How many migration files it covers (the replay read only the later ones).
    pub files: usize,
}

/// Replays `config`'s migrations from the newest valid checkpoint.
pub fn replay_project(config: &Config) -> Result<ProjectReplay, ReplayError> {
    replay_project_with(config, StartFrom::Checkpoint)
}

pub fn replay_project_with(
    config: &Config,
    start: StartFrom,
) -> Result<ProjectReplay, ReplayError> {
    let migrations = read_migrations(&config.migrations_dir)?;
    let selection = match start {
        StartFrom::Checkpoint => checkpoint::select(&config.checkpoint_dir, &migrations),
        StartFrom::Scratch => checkpoint::Selection::default(),
    };
    let (replayed, used) = match selection.used {
        Some((path, cp)) => {
            let replayed = replay_sources_from(cp.catalog, &migrations[cp.files..])?;
            let used = UsedCheckpoint {
                path,
                through: cp.through,
                files: cp.files,
            };
            (replayed, Some(used))
        }
        None => (replay_sources(&migrations)?, None),
    };
    let mut replayed = replayed;
    replayed
        .notes
        .splice(0..0, super::migration_folder_notes(&config.migrations_dir)?);
    Ok(ProjectReplay {
        replayed,
        migrations,
        checkpoint: used,
        ignored: selection.ignored,
    })
}
