//! `trr-schema`: parses arguments, finds the project, prints. The work is
//! done by the `schema` and `engine` libraries.
//!
//! Exit codes: 0 success (and, with `plan --exit-code`, no changes), 1 error,
//! 2 changes (`plan --exit-code`) or differences between the offline and
//! shadow replays (`replay --shadow-database-url`).

mod args;
mod commands;
mod discover;
mod project;

use args::{Cli, Command};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap would exit with 2, which `plan --exit-code` uses for "changes".
            return if e.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Unwrapped: hints hold flags and names to copy (`--allow-hazards
    // access_exclusive_lock,…`), and wrapping splits them at hyphens. The
    // terminal wraps long lines by itself.
    let _ = miette::set_hook(Box::new(|_| {
        Box::new(miette::MietteHandlerOpts::new().wrap_lines(false).build())
    }));
    // A bug must still exit with 1, not a panic's 101.
    match std::panic::catch_unwind(|| run(&cli)) {
        Ok(Ok(code)) => code,
        Ok(Err(report)) => {
            eprintln!("{report:?}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("trr-schema: internal error (this is a bug; the message above says where)");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: &Cli) -> miette::Result<ExitCode> {
    let root = discover::project_root(cli.dir.as_deref())?;
    match &cli.command {
        Command::Plan(args) => commands::plan::run(&root, args, cli.verbose),
        Command::Apply(args) => commands::apply::run(&root, args, cli.verbose),
        Command::Import(args) => commands::import::run(&root, args, cli.verbose),
        Command::Replay(args) => commands::replay::run(&root, args, cli.verbose),
        Command::Backfill(args) => commands::backfill::run(&root, args),
        Command::Docs(args) => commands::docs::run(&root, args),
        Command::Erd(args) => commands::erd::run(&root, args),
    }
}
