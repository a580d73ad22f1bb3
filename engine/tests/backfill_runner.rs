//! The backfill runner (`engine::backfill::run`) against a real
//! PostgreSQL: batches, resuming, stopping, killed connections, and the
//! errors a person sees. (The backfill file's DO loop: backfill_postgres.rs.)

use engine::backfill::{self, BackfillError, Outcome, Progress};
use engine::plan::Backfill;
use engine::scratch::ScratchDb;
use postgres::{Client, NoTls};
use std::sync::atomic::{AtomicBool, Ordering};

fn spec(batch_size: u32) -> Backfill {
    Backfill {
        table: "core.\"Shows\"".into(),
        key: vec!["org".into(), "\"Id\"".into()],
        assignments: vec![("slug".into(), "lower(handle) || '-' || org".into())],
        pending: "slug IS NULL".into(),
        batch_size,
        pause_ms: 0,
    }
}

/// 2,500 rows over a composite key of int and text (so keys sort as text,
/// not as numbers: `'10' < '9'`).
fn seeded(prefix: &str) -> Option<ScratchDb> {
    let mut db = ScratchDb::for_test(prefix)?;
    db.client()
        .batch_execute(
            "CREATE SCHEMA core;
             CREATE TABLE core.\"Shows\" (org int, \"Id\" text, handle text NOT NULL, slug text,
                                          PRIMARY KEY (org, \"Id\"));
             INSERT INTO core.\"Shows\" SELECT i % 5, (i / 5)::text, 'Show' || i, NULL
               FROM generate_series(0, 2499) AS i;",
        )
        .unwrap();
    Some(db)
}

fn connect(db: &ScratchDb) -> Client {
    Client::connect(db.url(), NoTls).unwrap()
}

fn pending(db: &mut ScratchDb) -> i64 {
    db.client()
        .query_one(
            "SELECT count(*) FROM core.\"Shows\" WHERE slug IS DISTINCT FROM lower(handle) || '-' || org",
            &[],
        )
        .unwrap()
        .get(0)
}

fn run(client: &mut Client, spec: &Backfill) -> (Outcome, Vec<Progress>) {
    let mut seen = Vec::new();
    let stop = AtomicBool::new(false);
    let outcome = backfill::run(client, spec, &stop, &mut |p| seen.push(*p)).unwrap();
    (outcome, seen)
}

#[test]
fn walks_every_row_in_batches_and_a_second_run_does_nothing() {
    let Some(mut db) = seeded("backfill_walk") else {
        return;
    };
    let mut client = connect(&db);
    let (outcome, seen) = run(&mut client, &spec(300));
    let Outcome::Finished(done) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!((done.walked, done.updated, done.batches), (2500, 2500, 9));
    assert_eq!(done.estimated_total, 2500, "never analyzed: count(*)");
    assert_eq!(pending(&mut db), 0);
    // Reported before the first batch, then after each one, always growing.
    assert_eq!(seen.len(), 10);
    assert_eq!(seen[0].walked, 0);
    assert!(seen.windows(2).all(|w| w[0].walked < w[1].walked));

    let (again, _) = run(&mut client, &spec(300));
    let p = again.progress();
    assert!(matches!(again, Outcome::Finished(_)));
    assert_eq!((p.walked, p.updated), (2500, 0));
}

#[test]
fn a_run_stopped_midway_resumes_where_it_stopped() {
    let Some(mut db) = seeded("backfill_resume") else {
        return;
    };
    db.client().batch_execute("ANALYZE core.\"Shows\"").unwrap();
    let mut client = connect(&db);
    let stop = AtomicBool::new(false);
    let outcome = backfill::run(&mut client, &spec(400), &stop, &mut |p| {
        if p.batches == 3 {
            stop.store(true, Ordering::SeqCst);
        }
    })
    .unwrap();
    let Outcome::Stopped(first) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!((first.walked, first.updated), (1200, 1200));
    assert_eq!(first.estimated_total, 2500, "analyzed: reltuples");
    assert_eq!(pending(&mut db), 1300);

    let (outcome, _) = run(&mut client, &spec(400));
    assert_eq!(
        (outcome.progress().walked, outcome.progress().updated),
        (2500, 1300)
    );
    assert_eq!(pending(&mut db), 0);
}

#[test]
fn a_killed_connection_loses_only_its_batch_and_a_rerun_finishes() {
    let Some(mut db) = seeded("backfill_kill") else {
        return;
    };
    let mut client = connect(&db);
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let stop = AtomicBool::new(false);
    let mut killer = connect(&db);
    let err = backfill::run(&mut client, &spec(500), &stop, &mut |p| {
        if p.batches == 2 {
            killer
                .execute("SELECT pg_terminate_backend($1)", &[&pid])
                .unwrap();
        }
    })
    .unwrap_err();
    let BackfillError::Failed { walked, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*walked, 1000);
    assert!(
        err.to_string()
            .starts_with("backfill of core.\"Shows\" stopped after 1000 rows walked: "),
        "{err}"
    );
    assert_eq!(pending(&mut db), 1500);

    let (outcome, _) = run(&mut connect(&db), &spec(500));
    assert!(matches!(outcome, Outcome::Finished(_)));
    assert_eq!(outcome.progress().updated, 1500);
    assert_eq!(pending(&mut db), 0);
}

#[test]
fn a_batch_blocked_by_a_writer_is_retried() {
    let Some(db) = seeded("backfill_retry") else {
        return;
    };
    let mut client = connect(&db);
    client.batch_execute("SET lock_timeout = '100ms'").unwrap();
    // A writer holds one row of the first batch for a while.
    let mut writer = connect(&db);
    let (held, holding) = std::sync::mpsc::channel();
    let release = std::thread::spawn(move || {
        let mut tx = writer.transaction().unwrap();
        tx.execute(
            "UPDATE core.\"Shows\" SET handle = handle WHERE org = 0 AND \"Id\" = '1'",
            &[],
        )
        .unwrap();
        held.send(()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(400));
        tx.commit().unwrap();
    });
    holding.recv().unwrap();
    let (outcome, _) = run(&mut client, &spec(1000));
    release.join().unwrap();
    let p = outcome.progress();
    assert!(matches!(outcome, Outcome::Finished(_)));
    assert_eq!(p.updated, 2500);
    assert!(p.retries >= 1, "{p:?}");
}

#[test]
fn missing_tables_and_columns_are_named() {
    let Some(db) = seeded("backfill_missing") else {
        return;
    };
    let mut client = connect(&db);
    let stop = AtomicBool::new(false);
    let mut missing = spec(10);
    missing.table = "core.shows".into();
    let err = backfill::run(&mut client, &missing, &stop, &mut |_| {}).unwrap_err();
    assert!(matches!(err, BackfillError::TableMissing { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "backfill of core.shows: the table does not exist (ERROR: relation \"core.shows\" does not exist)"
    );

    let mut column = spec(10);
    column.pending = "summary IS NULL".into();
    let err = backfill::run(&mut client, &column, &stop, &mut |_| {}).unwrap_err();
    assert!(
        err.to_string().starts_with(
            "backfill of core.\"Shows\": PostgreSQL rejects the copy: ERROR: column \"summary\" does not exist"
        ),
        "{err}"
    );
}

#[test]
fn batch_bounds_follow_the_key_order_not_its_text() {
    let Some(mut db) = ScratchDb::for_test("backfill_int_key") else {
        return;
    };
    db.client()
        .batch_execute(
            "CREATE TABLE t (id int PRIMARY KEY, a int, b int);
             INSERT INTO t SELECT i, i, NULL FROM generate_series(1, 2500) i;",
        )
        .unwrap();
    let spec = Backfill {
        table: "t".into(),
        key: vec!["id".into()],
        assignments: vec![("b".into(), "a".into())],
        pending: "b IS NULL".into(),
        batch_size: 1000,
        pause_ms: 0,
    };
    let mut client = connect(&db);
    let (outcome, seen) = run(&mut client, &spec);
    let walked: Vec<u64> = seen.iter().map(|p| p.walked).collect();
    assert_eq!(walked, [0, 1000, 2000, 2500]);
    assert_eq!(outcome.progress().updated, 2500);
}
