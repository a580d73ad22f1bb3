//! Benchmark of backfills on a large table in a scratch database: the
//! runner (`engine::backfill::run`, what `trr-schema backfill` runs) and the
//! DO block of the backfill migration file, against one single UPDATE.
//!
//! Run: `cargo bench -p trr-engine --bench backfill` (needs PostgreSQL at
//! `TRR_DATABASE_URL`, default `host=127.0.0.1 port=5432 user=postgres`;
//! rows and batch sizes can be changed with `BACKFILL_BENCH_ROWS=1000000`
//! and `BACKFILL_BENCH_BATCHES=1000,5000,10000`). It takes minutes.
//! `cargo test --benches` runs it once on 20,000 rows, to keep it working.
//!
//! The copy is a real rollout's: `core.shows.handle` renamed to `slug`
//! (`renamed-from=handle`), planned with `plan_declared`. Each measurement
//! gets a fresh table of N rows with the plan's expand file applied (the
//! new column and the trigger that fills it on every write, which every
//! UPDATE below fires too), vacuumed, analyzed and checkpointed, then
//! copies `handle` into `slug`:
//! - baseline: one `UPDATE … WHERE pending` of all rows, the fastest way
//!   and the one a live application cannot afford (one transaction holding
//!   every row lock until it ends);
//! - the runner at each batch size, with no pause between batches;
//! - the backfill file (its DO block) planned at each batch size, no pause.
//!
//! Throughput is rows copied per second; the ratio is the variant's time
//! over the baseline's, which stays meaningful on a shared machine where
//! absolute times are noisy.

use engine::backfill::{self, Outcome};
use engine::plan::{Phase, Plan, PlanOptions, plan_declared};
use engine::replay::replay_sources;
use engine::scratch::{ScratchDb, run_statements, server_url};
use postgres::Client;
use schema::{Ident, Source};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

const BEFORE: &str = "CREATE SCHEMA core;
CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text NOT NULL);";

const DESIRED: &str = r#"schema core
table core.shows {
    column id bigint
    column slug text renamed-from=handle
    column title text
    primary-key id
}
"#;

fn env_list(name: &str, default: &[u64]) -> Vec<u64> {
    match std::env::var(name) {
        Ok(text) => text
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) => default.to_vec(),
    }
}

/// The rename's plan, backfilling in batches of `batch_size`, no pause.
fn plan(batch_size: u32) -> Plan {
    let current = replay_sources(&[Source::new("before.sql", BEFORE)])
        .expect("replaying the bench table")
        .catalog;
    let declared =
        schema::lang::load_sources_declared(&[Source::new("desired.kdl", DESIRED)], None)
            .expect("loading the bench declaration");
    let mut options = PlanOptions::new(vec![Ident::from_sql("core")]);
    options.backfill_batch_size = batch_size;
    options.backfill_pause_ms = 0;
    let plan = plan_declared(&current, &declared.catalog, &declared.intents, &options);
    assert!(
        plan.files.iter().any(|f| f.phase == Phase::Backfill),
        "the rename plan has no backfill file"
    );
    plan
}

fn run(client: &mut Client, what: &str, sql: &str) {
    if let Err(e) = run_statements(client, &Source::new(what, sql)) {
        panic!("{e}");
    }
}

/// A fresh table of `rows` rows with the plan's expand file applied.
fn fresh_table(client: &mut Client, rows: u64, plan: &Plan) {
    client
        .batch_execute("DROP SCHEMA IF EXISTS core CASCADE")
        .unwrap();
    run(client, "before.sql", BEFORE);
    client
        .batch_execute(&format!(
            "INSERT INTO core.shows SELECT i, 'show-' || i, 't' FROM generate_series(1, {rows}) AS i"
        ))
        .unwrap();
    for file in plan.files.iter().filter(|f| f.phase == Phase::Expand) {
        run(client, &file.slug, &file.sql);
    }
    // One statement per call: VACUUM cannot run in a transaction block.
    client.batch_execute("VACUUM ANALYZE core.shows").unwrap();
    client.batch_execute("CHECKPOINT").unwrap();
}

fn check_done(client: &mut Client, rows: u64) {
    let row = client
        .query_one(
            "SELECT count(*) FILTER (WHERE slug IS DISTINCT FROM handle), count(*) FROM core.shows",
            &[],
        )
        .expect("counting pending rows");
    assert_eq!(row.get::<_, i64>(0), 0, "the backfill left rows pending");
    assert_eq!(row.get::<_, i64>(1) as u64, rows);
}

fn main() {
    // `cargo test --benches` runs this binary without `--bench`: a small
    // table then keeps the code working without minutes of copying.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let (default_rows, default_batches): (u64, &[u64]) = match smoke {
        true => (20_000, &[1_000, 5_000]),
        false => (1_000_000, &[1_000, 5_000, 10_000]),
    };
    let rows = env_list("BACKFILL_BENCH_ROWS", &[default_rows])
        .first()
        .copied()
        .unwrap_or(default_rows);
    let batches = env_list("BACKFILL_BENCH_BATCHES", default_batches);
    let mut db = match ScratchDb::create("trr_bench_backfill") {
        Ok(Some(db)) => db,
        Ok(None) => {
            eprintln!("skipped: no PostgreSQL at {}", server_url());
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let client = db.client();
    let version: String = client.query_one("SHOW server_version", &[]).unwrap().get(0);
    println!("backfill of {rows} rows, handle -> slug (PostgreSQL {version})\n");

    let base_plan = plan(5_000);
    fresh_table(client, rows, &base_plan);
    let start = Instant::now();
    client
        .execute(
            "UPDATE core.shows SET slug = handle WHERE slug IS DISTINCT FROM handle",
            &[],
        )
        .unwrap();
    let baseline = start.elapsed();
    check_done(client, rows);

    let mut results: Vec<(String, Duration, u64)> =
        vec![("single UPDATE (baseline)".into(), baseline, 1)];
    for &size in &batches {
        let plan = plan(size as u32);
        let file = plan
            .files
            .iter()
            .find(|f| f.phase == Phase::Backfill)
            .unwrap();

        fresh_table(client, rows, &plan);
        let stop = AtomicBool::new(false);
        let outcome = backfill::run(client, &file.backfills[0], &stop, &mut |_| {}).unwrap();
        let Outcome::Finished(p) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(p.updated, rows);
        check_done(client, rows);
        results.push((format!("runner, batches of {size}"), p.elapsed, p.batches));

        fresh_table(client, rows, &plan);
        let start = Instant::now();
        run(client, &file.slug, &file.sql);
        let took = start.elapsed();
        check_done(client, rows);
        results.push((
            format!("file's DO block, batches of {size}"),
            took,
            rows.div_ceil(size),
        ));
    }
    client.batch_execute("DROP SCHEMA core CASCADE").unwrap();

    println!(
        "| {:<34} | {:>8} | {:>7} | {:>10} | {:>12} |",
        "how", "batches", "time s", "rows/s", "time vs base"
    );
    println!(
        "|{:-<36}|{:->10}|{:->9}|{:->12}|{:->14}|",
        "", "", "", "", ""
    );
    for (how, time, batches) in &results {
        let seconds = time.as_secs_f64();
        println!(
            "| {how:<34} | {batches:>8} | {seconds:>7.2} | {:>10.0} | {:>11.2}x |",
            rows as f64 / seconds,
            seconds / baseline.as_secs_f64()
        );
    }
}
