//! The backfill loop: walk the table's key in keyset batches, each batch
//! its own transaction, updating the rows of the batch that are still
//! pending.
//!
//! Each batch first reads its upper bound (`WHERE (key) > (last) ORDER BY
//! key LIMIT n`, on the primary key's index), then updates the rows between
//! the previous bound and this one that match `pending`. Walking every key,
//! not only pending ones, keeps the bound query an index range scan however
//! costly `pending` is; rows done earlier cost one index entry each.
//!
//! Progress counts rows *walked* (copied now or found done) against an
//! estimate of the table's rows from `pg_class.reltuples`: free to read,
//! where `count(*) WHERE pending` would scan the whole table once more
//! before the first batch (on the tables worth a batched backfill, minutes
//! of extra I/O). Walked rows also make a resumed run's bar start where the
//! walk is, not at zero of a smaller total. A table never analyzed has no
//! estimate (`reltuples = -1`); then, and only then, `count(*)` is used.
//!
//! Batches that hit a lock timeout, a deadlock or a serialization failure
//! (a concurrent writer holding the rows) are rolled back and retried after
//! a short wait; nothing else is retried. A stop request ends the run
//! between batches, or, when the caller also cancels the running query
//! (`Client::cancel_token`), rolls back the batch in flight.

use crate::plan::Backfill;
use crate::scratch::describe;
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Statement};
use schema::ident::quote_ident;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often one batch is tried when a concurrent writer holds its rows.
const ATTEMPTS: u32 = 8;

/// How far a run got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows the walk has passed: copied by this run or found done.
    pub walked: u64,
    /// Rows this run updated.
    pub updated: u64,
    /// Rows the table is estimated to hold (never less than `walked`).
    pub estimated_total: u64,
    /// Batches committed by this run.
    pub batches: u64,
    /// Batches rolled back and tried again (lock timeout, deadlock).
    pub retries: u64,
    pub elapsed: Duration,
}

/// How a run ended without error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every row was walked: nothing is pending any more (but for rows a
    /// writer changed afterwards, which the dual-write trigger covers).
    Finished(Progress),
    /// Stopped on request; committed batches stay, a run again continues.
    Stopped(Progress),
}

impl Outcome {
    pub fn progress(&self) -> &Progress {
        match self {
            Outcome::Finished(p) | Outcome::Stopped(p) => p,
        }
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum BackfillError {
    #[error("backfill of {table}: the table does not exist ({message})")]
    #[diagnostic(help(
        "apply the migrations before the backfill file first (the expand file adds what it fills), and check that --database-url names the right database"
    ))]
    TableMissing { table: String, message: String },

    #[error(
        "backfill of {table}: PostgreSQL rejects the copy: {message}\n  statement: {statement}"
    )]
    #[diagnostic(help(
        "the columns the copy reads and writes must exist: apply the expand migration first; if a later migration already dropped them, this backfill has nothing left to do"
    ))]
    Rejected {
        table: String,
        message: String,
        statement: String,
    },

    #[error("backfill of {table}: the spec has no key columns to walk")]
    #[diagnostic(help(
        "a backfill walks the table's primary key; the spec line in the migration file lists it under \"key\""
    ))]
    NoKey { table: String },

    #[error("backfill of {table} stopped after {walked} rows walked: {message}")]
    #[diagnostic(help(
        "batches that committed stay copied: run the backfill again to continue where it stopped"
    ))]
    Failed {
        table: String,
        walked: u64,
        message: String,
        #[source]
        source: postgres::Error,
    },
}

/// The statements of one spec, prepared once.
struct Statements {
    keys: usize,
    bound_first: Statement,
    bound_after: Statement,
    update_first: Statement,
    update_after: Statement,
}

/// Runs `spec` on `client` until no batch is left or `stop` is set.
///
/// `on_progress` is called once before the first batch (nothing walked,
/// the estimate known) and after every committed batch. The client's
/// session settings (`lock_timeout`, `statement_timeout`) are the caller's.
pub fn run(
    client: &mut Client,
    spec: &Backfill,
    stop: &AtomicBool,
    on_progress: &mut dyn FnMut(&Progress),
) -> Result<Outcome, BackfillError> {
    let start = Instant::now();
    let statements = prepare(client, spec)?;
    let estimate = estimate(client, &spec.table).map_err(|e| rejected(spec, e, "estimate"))?;
    let mut progress = Progress {
        estimated_total: estimate,
        ..Progress::default()
    };
    on_progress(&progress);
    let mut last: Option<Vec<String>> = None;
    loop {
        if stop.load(Ordering::SeqCst) {
            progress.elapsed = start.elapsed();
            return Ok(Outcome::Stopped(progress));
        }
        let mut attempt = 1;
        let batch = loop {
            match batch(client, &statements, last.as_deref()) {
                Ok(batch) => break batch,
                Err(e)
                    if stop.load(Ordering::SeqCst)
                        && e.code() == Some(&SqlState::QUERY_CANCELED) =>
                {
                    progress.elapsed = start.elapsed();
                    return Ok(Outcome::Stopped(progress));
                }
                Err(e) if attempt < ATTEMPTS && retryable(&e) => {
                    progress.retries += 1;
                    pause(Duration::from_millis(50 * u64::from(attempt)), stop);
                    attempt += 1;
                }
                Err(source) => {
                    return Err(BackfillError::Failed {
                        table: spec.table.clone(),
                        walked: progress.walked,
                        message: describe(&source),
                        source,
                    });
                }
            }
        };
        let Some((upper, walked, updated)) = batch else {
            progress.elapsed = start.elapsed();
            return Ok(Outcome::Finished(progress));
        };
        last = Some(upper);
        progress.walked += walked;
        progress.updated += updated;
        progress.batches += 1;
        progress.estimated_total = progress.estimated_total.max(progress.walked);
        progress.elapsed = start.elapsed();
        on_progress(&progress);
        if walked < u64::from(spec.batch_size.max(1)) {
            // A short batch was the last one: no need to look again.
            return Ok(Outcome::Finished(progress));
        }
        pause(Duration::from_millis(u64::from(spec.pause_ms)), stop);
    }
}

/// One batch in its own transaction: `(upper bound, rows walked, rows
/// updated)`, or `None` when no key is left after `last`.
fn batch(
    client: &mut Client,
    statements: &Statements,
    last: Option<&[String]>,
) -> Result<Option<(Vec<String>, u64, u64)>, postgres::Error> {
    let mut tx = client.transaction()?;
    let lower: Vec<&(dyn ToSql + Sync)> = last
        .unwrap_or_default()
        .iter()
        .map(|v| v as &(dyn ToSql + Sync))
        .collect();
    let bound = match last {
        Some(_) => &statements.bound_after,
        None => &statements.bound_first,
    };
    let Some(row) = tx.query_opt(bound, &lower)? else {
        tx.commit()?;
        return Ok(None);
    };
    let upper: Vec<String> = (0..statements.keys).map(|i| row.get(i)).collect();
    let walked: i64 = row.get(statements.keys);
    let mut params = lower;
    params.extend(upper.iter().map(|v| v as &(dyn ToSql + Sync)));
    let update = match last {
        Some(_) => &statements.update_after,
        None => &statements.update_first,
    };
    // As the backfill file's loop does: `timestamps` triggers skip the
    // batch (transaction-local, so once per batch).
    tx.execute(
        "SELECT set_config($1, 'on', true)",
        &[&schema::intents::BACKFILL_SETTING],
    )?;
    let updated = tx.execute(update, &params)?;
    tx.commit()?;
    Ok(Some((upper, walked.max(0) as u64, updated)))
}

fn prepare(client: &mut Client, spec: &Backfill) -> Result<Statements, BackfillError> {
    if spec.key.is_empty() {
        return Err(BackfillError::NoKey {
            table: spec.table.clone(),
        });
    }
    let table = &spec.table;
    let keys = spec.key.join(", ");
    // The key's types, from the result description: key values travel as
    // text and are cast back, which is exact for every type PostgreSQL
    // accepts in a primary key, and works on an empty table too.
    let probe = format!("SELECT {keys} FROM {table} LIMIT 0");
    let types: Vec<String> = client
        .prepare(&probe)
        .map_err(|e| rejected(spec, e, &probe))?
        .columns()
        .iter()
        .map(|c| {
            let ty = c.type_();
            format!("{}.{}", quote_ident(ty.schema()), quote_ident(ty.name()))
        })
        .collect();
    let casts = |from: usize| -> String {
        types
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("${}::text::{ty}", from + i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let n = spec.key.len();
    let after = format!("({keys}) > ({})", casts(1));
    // Named apart from the key columns: `ORDER BY id` in the outer query
    // would otherwise sort by the output column `id::text` ('999' > '1000').
    let text_keys: Vec<String> = spec
        .key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{k}::text AS \"trr-schema key {}\"", i + 1))
        .collect();
    let descending: Vec<String> = spec.key.iter().map(|k| format!("{k} DESC")).collect();
    let limit = spec.batch_size.max(1);
    let bound = |filter: &str| {
        format!(
            "SELECT {}, count(*) OVER () FROM (SELECT {keys} FROM {table}{filter} ORDER BY {keys} LIMIT {limit}) AS batch ORDER BY {} LIMIT 1",
            text_keys.join(", "),
            descending.join(", ")
        )
    };
    let sets: Vec<String> = spec
        .assignments
        .iter()
        .map(|(column, expression)| format!("{column} = {expression}"))
        .collect();
    let update = |lower: Option<&str>, upper_from: usize| {
        let lower = lower.map(|l| format!("{l} AND ")).unwrap_or_default();
        format!(
            "UPDATE {table} SET {} WHERE {lower}({keys}) <= ({}) AND ({})",
            sets.join(", "),
            casts(upper_from),
            spec.pending
        )
    };
    let mut prepare = |sql: String| client.prepare(&sql).map_err(|e| rejected(spec, e, &sql));
    Ok(Statements {
        keys: n,
        bound_first: prepare(bound(""))?,
        bound_after: prepare(bound(&format!(" WHERE {after}")))?,
        update_first: prepare(update(None, 1))?,
        update_after: prepare(update(Some(&after), n + 1))?,
    })
}

/// Rows the table is estimated to hold (see the module comment).
fn estimate(client: &mut Client, table: &str) -> Result<u64, postgres::Error> {
    let row = client.query_one(
        "SELECT reltuples::float8 FROM pg_class WHERE oid = $1::text::regclass",
        &[&table],
    )?;
    let reltuples: f64 = row.get(0);
    if reltuples >= 0.0 {
        return Ok(reltuples as u64);
    }
    let row = client.query_one(&format!("SELECT count(*) FROM {table}"), &[])?;
    Ok(row.get::<_, i64>(0).max(0) as u64)
}

fn rejected(spec: &Backfill, error: postgres::Error, statement: &str) -> BackfillError {
    let message = describe(&error);
    if error.code() == Some(&SqlState::UNDEFINED_TABLE) {
        return BackfillError::TableMissing {
            table: spec.table.clone(),
            message,
        };
    }
    BackfillError::Rejected {
        table: spec.table.clone(),
        message,
        statement: statement.to_string(),
    }
}

/// A concurrent writer holding the batch's rows: try the batch again.
fn retryable(error: &postgres::Error) -> bool {
    matches!(
        error.code(),
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE
            || *c == SqlState::T_R_DEADLOCK_DETECTED
            || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

/// Sleeps `length`, waking early when `stop` is set.
fn pause(length: Duration, stop: &AtomicBool) {
    let until = Instant::now() + length;
    while !stop.load(Ordering::SeqCst) {
        let now = Instant::now();
        if now >= until {
            return;
        }
        std::thread::sleep((until - now).min(Duration::from_millis(50)));
    }
}
