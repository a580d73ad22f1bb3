//! `trr-schema backfill`: runs the backfill specs written into the
//! migration files against a live database, with a progress bar; Ctrl-C
//! rolls back the batch in flight and stops, a rerun continues.

use crate::args::BackfillArgs;
use engine::backfill::{self, BackfillError, Found, Outcome, Progress};
use engine::config::Config;
use engine::scratch::{describe, redact};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use postgres::{Client, NoTls};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// What a shell reports for a command ended by Ctrl-C (128 + SIGINT).
const INTERRUPTED: u8 = 130;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
enum CommandError {
    #[error("`{url}` is not a valid connection string: {message}")]
    #[diagnostic(help(
        "pass a libpq URL (postgres://user:password@host:5432/db) or key=value pairs (host=… dbname=…)"
    ))]
    BadUrl { url: String, message: String },
    #[error("could not connect to {url}: {message}")]
    #[diagnostic(help("check that PostgreSQL runs there and accepts connections"))]
    Unreachable { url: String, message: String },
    #[error("could not set up the session on {url}: {message}")]
    Session { url: String, message: String },
    #[error("no backfill spec in `{file}`; files with backfills: {listed}")]
    #[diagnostic(help(
        "--file takes a migration file name (with or without .sql) from the migrations directory"
    ))]
    NoSuchFile { file: String, listed: String },
    #[error("could not install the Ctrl-C handler: {0}")]
    Signal(String),
}

pub fn run(root: &Path, args: &BackfillArgs) -> miette::Result<ExitCode> {
    let config = Config::load(root)?;
    let sources = engine::replay::read_migrations(&config.migrations_dir)?;
    let found = backfill::specs(&sources)?;
    let chosen = choose(&found, args.file.as_deref())?;
    if chosen.is_empty() {
        println!(
            "No backfill to run: no migration file in {} has a `{}` line.",
            config.migrations_dir.display(),
            backfill::PREFIX.trim_end()
        );
        return Ok(ExitCode::SUCCESS);
    }

    let mut client = connect(&args.database_url, &config)?;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        let cancel = client.cancel_token();
        ctrlc::set_handler(move || {
            if stop.swap(true, Ordering::SeqCst) {
                // A second Ctrl-C: the batch in flight rolls back when the
                // server sees the connection close.
                std::process::exit(i32::from(INTERRUPTED));
            }
            // Rolls back the batch in flight rather than waiting for it.
            let _ = cancel.cancel_query(NoTls);
        })
        .map_err(|e| CommandError::Signal(e.to_string()))?;
    }

    // The last file with specs is the rollout in progress; specs of earlier
    // files may target columns a later contract dropped.
    let newest = chosen.last().map(|f| f.file.clone());
    for found in &chosen {
        let mut spec = found.spec.clone();
        if let Some(n) = args.batch_size {
            spec.batch_size = n;
        }
        if let Some(ms) = args.pause_ms {
            spec.pause_ms = ms;
        }
        let place = format!("{}:{}", found.file.display(), found.line);
        let bar = bar(&spec.table);
        let outcome = backfill::run(&mut client, &spec, &stop, &mut |p| show(&bar, p));
        bar.finish_and_clear();
        match outcome {
            Ok(Outcome::Finished(p)) => println!("{} ({place}): done, {}", spec.table, summary(&p)),
            Ok(Outcome::Stopped(p)) => {
                println!(
                    "{} ({place}): stopped by Ctrl-C, {}; the batch in flight was rolled back. \
                     Run `trr-schema backfill` again to continue.",
                    spec.table,
                    summary(&p)
                );
                return Ok(ExitCode::from(INTERRUPTED));
            }
            Err(e @ (BackfillError::TableMissing { .. } | BackfillError::Rejected { .. }))
                if args.file.is_none() && Some(&found.file) != newest.as_ref() =>
            {
                println!(
                    "{} ({place}): skipped, a later migration changed the table: {}",
                    spec.table,
                    first_line(&e.to_string())
                );
            }
            Err(e) => return Err(miette::Report::new(e).wrap_err(format!("at {place}"))),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The specs to run: all, or those of the file `--file` names.
fn choose(found: &[Found], file: Option<&str>) -> Result<Vec<Found>, CommandError> {
    let Some(file) = file else {
        return Ok(found.to_vec());
    };
    let wanted = file.strip_suffix(".sql").unwrap_or(file);
    let named = |f: &Found| {
        let path = f.file.to_string_lossy();
        let stem = f.file.file_stem().map(|s| s.to_string_lossy().into_owned());
        stem.as_deref() == Some(wanted) || path == file
    };
    let chosen: Vec<Found> = found.iter().filter(|f| named(f)).cloned().collect();
    if chosen.is_empty() {
        let mut listed: Vec<String> = found
            .iter()
            .filter_map(|f| f.file.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        listed.dedup();
        return Err(CommandError::NoSuchFile {
            file: file.to_string(),
            listed: if listed.is_empty() {
                "none".into()
            } else {
                listed.join(", ")
            },
        });
    }
    Ok(chosen)
}

/// A session with the project's timeouts: a batch waiting longer than
/// `lock_timeout` for a writer's rows is rolled back and tried again.
fn connect(url: &str, config: &Config) -> Result<Client, CommandError> {
    let shown = redact(url);
    let mut pg: postgres::Config = url.parse().map_err(|e| CommandError::BadUrl {
        url: shown.clone(),
        message: describe(&e),
    })?;
    if pg.get_connect_timeout().is_none() {
        pg.connect_timeout(Duration::from_secs(15));
    }
    if pg.get_application_name().is_none() {
        pg.application_name("trr-schema backfill");
    }
    let mut client = pg.connect(NoTls).map_err(|e| CommandError::Unreachable {
        url: shown.clone(),
        message: describe(&e),
    })?;
    let settings = format!(
        "SET lock_timeout = {}; SET statement_timeout = {};",
        engine::plan::sql::literal(&config.lock_timeout),
        engine::plan::sql::literal(&config.statement_timeout)
    );
    client
        .batch_execute(&settings)
        .map_err(|e| CommandError::Session {
            url: shown,
            message: describe(&e),
        })?;
    Ok(client)
}

fn bar(table: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:30}] {human_pos}/~{human_len} rows, {msg}, ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(table.to_string());
    bar.enable_steady_tick(Duration::from_millis(250));
    bar
}

fn show(bar: &ProgressBar, progress: &Progress) {
    bar.set_length(progress.estimated_total);
    bar.set_position(progress.walked);
    let seconds = progress.elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        progress.walked as f64 / seconds
    } else {
        0.0
    };
    bar.set_message(format!(
        "{} rows/s, {} updated",
        indicatif::HumanCount(rate as u64),
        indicatif::HumanCount(progress.updated)
    ));
}

/// "50000 rows walked, 50000 updated in 10 batches, 1.2 s (41667 rows/s)".
fn summary(p: &Progress) -> String {
    let seconds = p.elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        format!(" ({:.0} rows/s)", p.walked as f64 / seconds)
    } else {
        String::new()
    };
    let retries = match p.retries {
        0 => String::new(),
        1 => ", 1 batch retried behind a concurrent writer".into(),
        n => format!(", {n} batches retried behind concurrent writers"),
    };
    format!(
        "{} rows walked, {} updated in {} batch{}{retries}, {seconds:.1} s{rate}",
        p.walked,
        p.updated,
        p.batches,
        if p.batches == 1 { "" } else { "es" }
    )
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
