//! Safe changes on a table that has rows, in real PostgreSQL, while a
//! concurrent writer keeps inserting and updating: a new foreign key, check
//! and unique constraint, NOT NULL on an existing column, a replaced index.
//! The plan's files run in order (expand, expand_indexes, cutover); no
//! write may fail, every row must be there, and the end state must be the
//! declared one with every constraint validated and no helper left.
//!
//! The writer's slowest statement per file is printed (`--nocapture`): the
//! figure the phases exist for.

use engine::introspect::introspect;
use engine::plan::{PlanOptions, plan};
use engine::replay::replay_sources;
use engine::scratch::{ScratchDb, run_statements};
use schema::{ConstraintKind, Ident, QualName, Source};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROWS: i64 = 50_000;

const BEFORE: &str = "CREATE SCHEMA core;
CREATE TABLE core.orgs (id bigint PRIMARY KEY);
CREATE TABLE core.shows (id bigint PRIMARY KEY, org_id bigint, title text, rating integer, code text);
CREATE INDEX shows_code ON core.shows (code);";

const AFTER: &str = "CREATE SCHEMA core;
CREATE TABLE core.orgs (id bigint PRIMARY KEY);
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    org_id bigint REFERENCES core.orgs (id),
    title text NOT NULL,
    rating integer CONSTRAINT shows_rating_range CHECK (rating BETWEEN 1 AND 5),
    code text,
    CONSTRAINT shows_org_title_key UNIQUE (org_id, title)
);
CREATE INDEX shows_code ON core.shows (lower(code));";

const SEED: &str = "INSERT INTO core.orgs SELECT g FROM generate_series(1, 100) g;
INSERT INTO core.shows
SELECT g, g % 100 + 1, 'show ' || g, g % 5 + 1, 'C' || g FROM generate_series(1, 50000) g;
ANALYZE core.shows;";

fn replayed(sql: &str) -> schema::Catalog {
    replay_sources(&[Source::new("t.sql", sql)])
        .unwrap_or_else(|e| panic!("{e:?}"))
        .catalog
}

/// What the writer saw while one file ran.
#[derive(Default)]
struct Seen {
    writes: u64,
    slowest: Duration,
    errors: Vec<String>,
}

#[test]
fn safe_changes_keep_every_write_of_a_concurrent_writer() {
    let Some(mut db) = ScratchDb::for_test("safe_changes") else {
        return;
    };
    let run = |db: &mut ScratchDb, what: &str, sql: &str| {
        if let Err(e) = run_statements(db.client(), &Source::new(what, sql)) {
            panic!("PostgreSQL rejected {what}: {e}\n{sql}");
        }
    };
    run(&mut db, "before", BEFORE);
    run(&mut db, "seed", SEED);

    let core = vec![Ident::new("core")];
    let current = replayed(BEFORE);
    let desired = replayed(AFTER);
    let options = PlanOptions::new(core.clone());
    let forward = plan(&current, &desired, &options);
    let slugs: Vec<&str> = forward.files.iter().map(|f| f.slug.as_str()).collect();
    assert_eq!(slugs, ["expand", "expand_indexes", "cutover"]);

    // The writer: inserts new rows and updates old ones through its own
    // connection, as the running application would.
    let stop = Arc::new(AtomicBool::new(false));
    let inserted = Arc::new(AtomicI64::new(0));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let writer = {
        let (stop, inserted, seen) = (stop.clone(), inserted.clone(), seen.clone());
        let url = db.url().to_string();
        std::thread::spawn(move || {
            let mut client =
                postgres::Client::connect(&url, postgres::NoTls).expect("writer connects");
            let mut id = ROWS;
            while !stop.load(Ordering::Relaxed) {
                id += 1;
                let started = Instant::now();
                let result = client
                    .execute(
                        "INSERT INTO core.shows VALUES ($1::bigint, $1::bigint % 100 + 1, 'show ' || $1::bigint, 3, 'C' || $1::bigint)",
                        &[&id],
                    )
                    .and_then(|_| {
                        client.execute(
                            "UPDATE core.shows SET rating = rating % 5 + 1 WHERE id = $1",
                            &[&(id % ROWS + 1)],
                        )
                    });
                let took = started.elapsed();
                let mut s = seen.lock().expect("not poisoned");
                s.writes += 1;
                s.slowest = s.slowest.max(took);
                match result {
                    Ok(_) => {
                        inserted.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => s
                        .errors
                        .push(format!("{id}: {}", engine::scratch::describe(&e))),
                }
            }
        })
    };

    let mut report = Vec::new();
    for file in &forward.files {
        *seen.lock().expect("not poisoned") = Seen::default();
        let started = Instant::now();
        run(&mut db, &file.slug, &file.sql);
        // Let the writer run a little after each file too.
        std::thread::sleep(Duration::from_millis(50));
        let s = std::mem::take(&mut *seen.lock().expect("not poisoned"));
        assert!(
            s.errors.is_empty(),
            "{} writes failed during {}, first: {:?}",
            s.errors.len(),
            file.slug,
            s.errors.first()
        );
        report.push(format!(
            "{}: {:?} to run, {} concurrent writes, slowest {:?}",
            file.slug,
            started.elapsed(),
            s.writes,
            s.slowest
        ));
    }
    stop.store(true, Ordering::Relaxed);
    writer.join().expect("writer thread");
    eprintln!("safe changes on {ROWS} rows:\n  {}", report.join("\n  "));

    let inserted = inserted.load(Ordering::Relaxed);
    assert!(inserted > 0, "the writer never wrote");
    let count: i64 = db
        .client()
        .query_one("SELECT count(*) FROM core.shows", &[])
        .expect("count")
        .get(0);
    assert_eq!(count, ROWS + inserted, "rows lost or duplicated");

    let live = introspect(db.client(), &core).expect("introspect");
    let shows = &live.tables[&QualName::from("core.shows")];
    assert!(!shows.column(&Ident::new("title")).expect("title").nullable);
    let names: Vec<&str> = shows.constraints.keys().map(|n| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "shows_org_id_fkey",
            "shows_org_title_key",
            "shows_rating_range"
        ]
    );
    assert!(
        shows.constraints.values().all(|c| !c.not_valid),
        "{shows:#?}"
    );
    assert!(matches!(
        shows.constraints[&Ident::new("shows_org_title_key")].kind,
        ConstraintKind::Unique { .. }
    ));
    let indexes: Vec<String> = live.indexes.keys().map(|n| n.to_string()).collect();
    assert_eq!(indexes, ["core.shows_code"], "no helper index is left");
    assert_eq!(
        live.indexes[&QualName::from("core.shows_code")],
        desired.indexes[&QualName::from("core.shows_code")]
    );
}
