//! `trr-schema apply`.

use crate::args::ApplyArgs;
use engine::apply::{ApplyOptions, FileKind};
use std::path::Path;
use std::process::ExitCode;
use std::time::SystemTime;

pub fn run(root: &Path, args: &ApplyArgs, verbose: bool) -> miette::Result<ExitCode> {
    let planned = crate::project::plan(root, verbose)?;
    if engine::report::no_changes(&planned.plan) {
        println!("{} Nothing to write.", engine::report::NO_CHANGES);
        return Ok(ExitCode::SUCCESS);
    }
    let options = ApplyOptions {
        name: args.name.clone(),
        allow_destructive: args.allow_destructive,
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
            "held back {} (destructive, {} step{}): rerun with --allow-destructive to write it",
            held.slug,
            held.steps.len(),
            if held.steps.len() == 1 { "" } else { "s" }
        );
        for step in &held.steps {
            println!("  - {step}");
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
