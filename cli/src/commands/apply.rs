//! `trr-schema apply`.

use crate::args::ApplyArgs;
use engine::apply::{ApplyOptions, FileKind};
use engine::approval::Approvals;
use engine::plan::Hazard;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("--allow-hazards: `{written}` is not a hazard")]
#[diagnostic(
    code(trr_schema::apply::hazard_name),
    help("name hazards as `plan` lists them: {}", known_hazards())
)]
struct UnknownHazard {
    written: String,
}

fn known_hazards() -> String {
    Hazard::ALL.map(Hazard::code).join(", ")
}

/// `--allow-hazards`, checked before anything is planned.
fn allowed_hazards(written: &[String]) -> Result<BTreeSet<Hazard>, UnknownHazard> {
    written
        .iter()
        .filter(|w| !w.trim().is_empty())
        .map(|w| {
            Hazard::from_code(w).ok_or_else(|| UnknownHazard {
                written: w.trim().to_string(),
            })
        })
        .collect()
}

pub fn run(root: &Path, args: &ApplyArgs, verbose: bool) -> miette::Result<ExitCode> {
    let allowed_hazards = allowed_hazards(&args.allow_hazards)?;
    let planned = crate::project::plan(root, verbose)?;
    if engine::report::no_changes(&planned.plan) {
        println!("{} Nothing to write.", engine::report::NO_CHANGES);
        return Ok(ExitCode::SUCCESS);
    }
    let options = ApplyOptions {
        name: args.name.clone(),
        allow_destructive: args.allow_destructive,
        approvals: Approvals::new(planned.intents.approvals.clone(), &planned.current),
        allowed_hazards,
        approximate: Approvals::new(
            planned.approximate.iter().cloned().collect(),
            &planned.current,
        ),
        allow_approximate: args.allow_approximate,
    };
    let config = &planned.config;
    let prepared = engine::apply::prepare(
        &planned.plan,
        &config.migrations_dir,
        &config.rollbacks_dir,
        &options,
        SystemTime::now(),
    )?;

    if args.dry_run {
        for file in &prepared.writes {
            println!("--- {} ({})", file.path.display(), kind(file.kind));
            print!("{}", file.contents);
            if !file.contents.ends_with('\n') {
                println!();
            }
            println!();
        }
    } else {
        engine::apply::write(&prepared)?;
        for file in &prepared.writes {
            println!("wrote {} ({})", file.path.display(), kind(file.kind));
        }
    }

    for held in &prepared.held_back {
        println!(
            "held back {} (destructive, {} step{}): rerun with --allow-destructive, or approve every step in KDL (`approve \"<object>\"`), to write it",
            held.slug,
            held.steps.len(),
            if held.steps.len() == 1 { "" } else { "s" }
        );
        for step in &held.steps {
            let note = if held.unapproved.contains(step) {
                ""
            } else {
                " (approved)"
            };
            println!("  - {step}{note}");
        }
    }
    if args.dry_run {
        println!("dry run: nothing was written");
    } else if prepared.writes.is_empty() {
        println!("nothing was written");
    }
    Ok(ExitCode::SUCCESS)
}

fn kind(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Migration => "migration",
        FileKind::Rollback => "rollback",
    }
}
