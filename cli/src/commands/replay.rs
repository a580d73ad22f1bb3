//! `trr-schema replay`.

use crate::args::{ReplayArgs, ReplayFormat};
use engine::config::Config;
use engine::replay::{StartFrom, replay_project_with};
use engine::report::replay::{ReplayReport, json, text};
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, args: &ReplayArgs, verbose: bool) -> miette::Result<ExitCode> {
    let config = Config::load(root)?;
    let shadow = match config.shadow_url(args.shadow_database_url.as_deref()) {
        // The comparison needs the offline replay from the first file.
        Some(url) => Some(engine::shadow::check(&config, &url)?),
        None => None,
    };
    let project = match &shadow {
        Some(check) => check.offline.clone(),
        None => {
            let start = if args.no_checkpoint {
                StartFrom::Scratch
            } else {
                StartFrom::Checkpoint
            };
            replay_project_with(&config, start)?
        }
    };
    let report = ReplayReport {
        project: &project,
        shadow: shadow.as_ref(),
        verbose,
    };
    print!(
        "{}",
        match args.format {
            ReplayFormat::Text => text(&report),
            ReplayFormat::Json => json(&report),
        }
    );
    let differ = shadow.is_some_and(|s| !s.agree());
    Ok(if differ {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
