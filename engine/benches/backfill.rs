//! Benchmark of the backfill runner (`engine::backfill::run`, what
//! `trr-schema backfill` runs) on a large table in a scratch database.
//!
//! Run: `cargo bench -p trr-engine --bench backfill` (needs PostgreSQL at
//! `TRR_DATABASE_URL`, default `host=127.0.0.1 port=5432 user=postgres`;
//! rows and batch sizes can be changed with `BACKFILL_BENCH_ROWS=1000000`
//! and `BACKFILL_BENCH_BATCHES=1000,5000,10000`). It takes minutes.
//! `cargo test --benches` runs it once on 20,000 rows, to keep it working.
//!
//! Each measurement gets a fresh table of N rows (`id bigint` primary key,
//! a text column to copy, an empty target column), vacuumed and analyzed so
//! every run starts from the same state, then copies the text column into
//! the target:
//! - baseline: one `UPDATE … WHERE pending` of all rows, the fastest way
//!   and the one a live application cannot afford (one transaction holding
//!   every row lock until it ends);
//! - the runner at each batch size, with no pause between batches.
//!
//! Throughput is rows copied per second; the ratio is the baseline's time
//! over the runner's (1.00 = as fast as the single UPDATE), which stays
//! meaningful on a shared machine where absolute times are noisy.

use engine::backfill::{self, Outcome};
use engine::plan::Backfill;
use engine::scratch::{ScratchDb, server_url};
use postgres::Client;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

fn env_list(name: &str, default: &[u64]) -> Vec<u64> {
    match std::env::var(name) {
        Ok(text) => text
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .collect(),
        Err(_) => default.to_vec(),
    }
}

fn fresh_table(client: &mut Client, rows: u64) {
    // One statement per call: VACUUM cannot run in the implicit transaction
    // of a multi-statement string.
    for sql in [
        "DROP TABLE IF EXISTS bench".to_string(),
        "CREATE TABLE bench (id bigint PRIMARY KEY, handle text NOT NULL, slug text)".into(),
        format!(
            "INSERT INTO bench SELECT i, 'show-' || i, NULL FROM generate_series(1, {rows}) AS i"
        ),
        "VACUUM ANALYZE bench".into(),
        "CHECKPOINT".into(),
    ] {
        client.batch_execute(&sql).expect("seeding the bench table");
    }
}

fn spec(batch_size: u32) -> Backfill {
    Backfill {
        table: "bench".into(),
        key: vec!["id".into()],
        assignments: vec![("slug".into(), "handle".into())],
        pending: "slug IS DISTINCT FROM handle".into(),
        batch_size,
        pause_ms: 0,
    }
}

fn check_done(client: &mut Client) {
    let left: i64 = client
        .query_one(
            "SELECT count(*) FROM bench WHERE slug IS DISTINCT FROM handle",
            &[],
        )
        .expect("counting pending rows")
        .get(0);
    assert_eq!(left, 0, "the backfill left rows pending");
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
    println!("backfill of {rows} rows (PostgreSQL {version})\n");

    fresh_table(client, rows);
    let start = Instant::now();
    let updated = client
        .execute(
            "UPDATE bench SET slug = handle WHERE slug IS DISTINCT FROM handle",
            &[],
        )
        .unwrap();
    let baseline = start.elapsed();
    assert_eq!(updated, rows);
    check_done(client);

    let mut results: Vec<(String, Duration, u64)> =
        vec![("single UPDATE (baseline)".into(), baseline, 1)];
    for &size in &batches {
        fresh_table(client, rows);
        let stop = AtomicBool::new(false);
        let outcome = backfill::run(client, &spec(size as u32), &stop, &mut |_| {}).unwrap();
        let Outcome::Finished(p) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(p.updated, rows);
        check_done(client);
        results.push((format!("runner, batches of {size}"), p.elapsed, p.batches));
    }
    client.batch_execute("DROP TABLE bench").unwrap();

    println!(
        "| {:<26} | {:>8} | {:>7} | {:>10} | {:>14} |",
        "how", "batches", "time s", "rows/s", "time vs base"
    );
    println!(
        "|{:-<28}|{:->10}|{:->9}|{:->12}|{:->16}|",
        "", "", "", "", ""
    );
    for (how, time, batches) in &results {
        let seconds = time.as_secs_f64();
        println!(
            "| {how:<26} | {batches:>8} | {seconds:>7.2} | {:>10.0} | {:>13.2}x |",
            rows as f64 / seconds,
            seconds / baseline.as_secs_f64()
        );
    }
}
