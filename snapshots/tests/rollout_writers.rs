//! Rollouts under load: a plan's files run phase by phase on a seeded table
//! (50,000 rows) while a writer thread keeps inserting and updating, each
//! write its own transaction: through the old shape during expand and
//! backfill, through both shapes (old and new application versions side by
//! side) once the dual-write trigger is in, through the new shape from the
//! cutover on (or, `old_until_contract`, both until the contract). At the
//! end every row the seed or the writer produced is in the new shape with
//! the value last written: the table and the writer's log agree row for
//! row, none lost, none extra, none different, and the row count is the
//! seed plus the writer's inserts.
//!
//! The backfill is interrupted midway once per way it can run: the runner
//! of `trr-schema backfill` (its connection killed after a few batches,
//! then run again) and the DO block of the backfill file (its backend
//! terminated while it loops, then the file run again).

use engine::backfill::{self, BackfillError, Outcome};
use engine::plan::{Phase, Plan, PlanFile, PlanOptions, plan_declared};
use engine::replay::replay_sources;
use engine::scratch::{ScratchDb, run_statements};
use postgres::error::SqlState;
use postgres::{Client, NoTls};
use schema::{Ident, Source};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const SEEDED: i64 = 50_000;

/// Which shape the writer writes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Old,
    New,
}

/// Who writes: the old application version, both, or the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Old = 0,
    Both = 1,
    New = 2,
}

/// How the backfill file's copy runs, and where it is interrupted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backfilling {
    /// The plan has no backfill.
    None,
    /// `engine::backfill::run`, its connection killed after a few batches,
    /// then run again; then the file (whose loop finds nothing left).
    RunnerKilled,
    /// The file's DO block, its backend terminated midway, then the file
    /// again.
    FileKilled,
}

struct Case {
    name: &'static str,
    before: &'static str,
    desired: &'static str,
    /// Seeds `core.shows` with ids 1..=SEEDED.
    seed: &'static str,
    /// `(id, fingerprint)` of every row, read through the new shape once
    /// the rollout is done; the writer's log predicts it.
    fingerprint: &'static str,
    /// The fingerprint of a seeded row before the writer touches it.
    seeded: fn(i64) -> String,
    /// A write of value `$2` to row `$1` (an insert when the row is new).
    insert: fn(Shape) -> &'static str,
    update: fn(Shape) -> &'static str,
    /// The fingerprint after writing `value` through `shape` to a row that
    /// had `before` (None: inserted).
    written: fn(Option<&str>, Shape, &str) -> String,
    backfill: Backfilling,
    /// The phases the plan must have, in order.
    phases: &'static [Phase],
    /// The new shape can be written before the cutover (a new column
    /// beside the old one, kept in step by a trigger); otherwise only
    /// after it (a renamed table).
    new_before_cutover: bool,
    /// The writer still runs while the contract file runs and after it.
    /// `false` for a derived column whose source stays: once the contract
    /// drops the trigger, the source is no longer kept in step (by design),
    /// so the writer stops first and the contract runs on a quiet table.
    writes_after_contract: bool,
}

/// What the writer did, by row: the fingerprint it expects.
type Log = BTreeMap<i64, String>;

struct Writer {
    mode: Arc<AtomicU8>,
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<Result<(Log, WriterStats), String>>,
}

#[derive(Debug, Default)]
struct WriterStats {
    inserts: u64,
    updates: u64,
    retries: u64,
    through_new: u64,
}

impl Writer {
    fn start(url: &str, case: &'static Case, log: Log) -> Writer {
        let mode = Arc::new(AtomicU8::new(Mode::Old as u8));
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let url = url.to_string();
        let (m, d, st) = (Arc::clone(&mode), Arc::clone(&done), Arc::clone(&stop));
        let handle = std::thread::spawn(move || write(&url, case, log, &m, &d, &st));
        Writer {
            mode,
            done,
            stop,
            handle,
        }
    }

    /// Waits until the writer has done `n` more writes (so every phase runs
    /// with writes before and after it).
    fn wait_for(&self, n: u64) {
        let target = self.done.load(Ordering::SeqCst) + n;
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.done.load(Ordering::SeqCst) < target {
            assert!(
                !self.handle.is_finished(),
                "the writer stopped early (see its error below)"
            );
            assert!(Instant::now() < deadline, "the writer is stuck");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn mode(&self) -> Mode {
        match self.mode.load(Ordering::SeqCst) {
            0 => Mode::Old,
            1 => Mode::Both,
            _ => Mode::New,
        }
    }

    fn switch(&self, mode: Mode) {
        if mode == self.mode() {
            return;
        }
        self.mode.store(mode as u8, Ordering::SeqCst);
        // A write in the previous mode may be in flight; once a few more
        // are done, none is.
        self.wait_for(3);
    }

    fn finish(self) -> (Log, WriterStats) {
        self.stop.store(true, Ordering::SeqCst);
        match self.handle.join() {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => panic!("writer failed: {e}"),
            Err(_) => panic!("writer panicked"),
        }
    }
}

/// The writer thread: alternates inserts of new rows and updates of rows
/// spread over the table, each in its own transaction, and logs the
/// fingerprint each write must leave. Lock timeouts (a migration holding
/// the table) are retried; any other error fails the test.
fn write(
    url: &str,
    case: &Case,
    mut log: Log,
    mode: &AtomicU8,
    done: &AtomicU64,
    stop: &AtomicBool,
) -> Result<(Log, WriterStats), String> {
    let mut client = Client::connect(url, NoTls).map_err(|e| e.to_string())?;
    client
        .batch_execute("SET lock_timeout = '200ms'")
        .map_err(|e| e.to_string())?;
    let mut stats = WriterStats::default();
    let mut next_id = 1_000_000i64;
    let mut n: i64 = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let through = match mode.load(Ordering::SeqCst) {
            0 => Shape::Old,
            1 if n % 2 == 0 => Shape::Old,
            _ => Shape::New,
        };
        let value = format!("w{n}");
        // Every third write inserts; the others update a seeded row (spread
        // over the key range, so some land behind the backfill's walk and
        // some ahead of it) or a row the writer inserted.
        let (id, sql, new) = if n % 3 == 0 {
            next_id += 1;
            (next_id, (case.insert)(through), true)
        } else if n % 3 == 1 {
            ((n * 7919) % SEEDED + 1, (case.update)(through), false)
        } else {
            (
                1_000_001 + n % (next_id - 1_000_000).max(1),
                (case.update)(through),
                false,
            )
        };
        if !new && !log.contains_key(&id) {
            continue;
        }
        let mut attempt = 0;
        let changed = loop {
            match client.execute(sql, &[&id, &value]) {
                Ok(rows) => break rows,
                Err(e)
                    if attempt < 50
                        && matches!(
                            e.code(),
                            Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE
                                || *c == SqlState::T_R_DEADLOCK_DETECTED
                        ) =>
                {
                    attempt += 1;
                    stats.retries += 1;
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => {
                    return Err(format!(
                        "{sql} ({id}, {value}) through the {through:?} shape: {}",
                        engine::scratch::describe(&e)
                    ));
                }
            }
        };
        if changed != 1 {
            return Err(format!("{sql} ({id}, {value}) changed {changed} rows"));
        }
        let before = log.get(&id).map(String::as_str);
        let after = (case.written)(if new { None } else { before }, through, &value);
        log.insert(id, after);
        if new {
            stats.inserts += 1;
        } else {
            stats.updates += 1;
        }
        if through == Shape::New {
            stats.through_new += 1;
        }
        done.fetch_add(1, Ordering::SeqCst);
        // Leave the two cores to the migration more than to the writer.
        std::thread::sleep(Duration::from_millis(2));
    }
    Ok((log, stats))
}

fn plan_for(case: &Case) -> Plan {
    let current = replay_sources(&[Source::new("before.sql", case.before)])
        .unwrap()
        .catalog;
    let declared =
        schema::lang::load_sources_declared(&[Source::new("desired.kdl", case.desired)], None)
            .unwrap_or_else(|e| panic!("{e}"));
    let mut options = PlanOptions::new(vec![Ident::from_sql("core")]);
    // Batches small enough that an interruption lands midway.
    options.backfill_batch_size = 2_000;
    options.backfill_pause_ms = 20;
    plan_declared(&current, &declared.catalog, &declared.intents, &options)
}

fn run_file(client: &mut Client, file: &PlanFile) -> Result<(), String> {
    run_statements(client, &Source::new(file.slug.clone(), file.sql.clone()))
        .map_err(|e| e.to_string())
}

fn pending_rows(client: &mut Client, file: &PlanFile) -> i64 {
    let spec = &file.backfills[0];
    client
        .query_one(
            &format!("SELECT count(*) FROM {} WHERE {}", spec.table, spec.pending),
            &[],
        )
        .unwrap()
        .get(0)
}

/// The runner, killed after a few batches, then run to the end; then the
/// file itself, whose loop has nothing left (and which marks the backfill
/// done for the replay).
fn backfill_with_runner(db: &ScratchDb, file: &PlanFile) {
    let specs = backfill::specs_in(&Source::new("backfill.sql", file.sql.clone())).unwrap();
    let from_file: Vec<_> = specs.into_iter().map(|f| f.spec).collect();
    assert_eq!(
        from_file, file.backfills,
        "the file's spec lines are its specs"
    );
    let spec = &file.backfills[0];
    let stop = AtomicBool::new(false);
    let mut client = Client::connect(db.url(), NoTls).unwrap();
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut killer = Client::connect(db.url(), NoTls).unwrap();
    let err = backfill::run(&mut client, spec, &stop, &mut |p| {
        if p.batches == 4 {
            killer
                .execute("SELECT pg_terminate_backend($1)", &[&pid])
                .unwrap();
        }
    })
    .unwrap_err();
    let BackfillError::Failed { walked, .. } = err else {
        panic!("expected the killed connection to fail the run: {err:?}")
    };
    assert_eq!(walked, 4 * u64::from(spec.batch_size));
    let left = pending_rows(&mut killer, file);
    assert!(
        left > 0 && left < SEEDED,
        "{left} rows pending after the kill"
    );
    let mut client = Client::connect(db.url(), NoTls).unwrap();
    let outcome = backfill::run(&mut client, spec, &stop, &mut |_| {}).unwrap();
    // (The writer's old-shape writes fill rows too, through the trigger:
    // the rerun may update fewer than were pending.)
    let Outcome::Finished(p) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(p.updated > 0 && p.walked >= SEEDED as u64, "{p:?}");
    assert_eq!(pending_rows(&mut client, file), 0);
    run_file(&mut client, file).unwrap();
}

/// The file's DO block, its backend terminated once some batches
/// committed, then the file again.
fn backfill_with_file(db: &ScratchDb, file: &PlanFile) {
    let mut client = Client::connect(db.url(), NoTls).unwrap();
    let pid: i32 = client
        .query_one("SELECT pg_backend_pid()", &[])
        .unwrap()
        .get(0);
    let mut watcher = Client::connect(db.url(), NoTls).unwrap();
    let total = pending_rows(&mut watcher, file);
    let running = {
        let file = file.clone();
        std::thread::spawn(move || run_file(&mut client, &file))
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = pending_rows(&mut watcher, file);
        if left < total - 3 * 2_000 {
            break;
        }
        assert!(
            !running.is_finished(),
            "the DO block finished before it could be interrupted"
        );
        assert!(Instant::now() < deadline, "the DO block makes no progress");
        std::thread::sleep(Duration::from_millis(10));
    }
    watcher
        .execute("SELECT pg_terminate_backend($1)", &[&pid])
        .unwrap();
    let result = running.join().unwrap();
    assert!(
        result
            .as_ref()
            .is_err_and(|e| e.contains("terminat") || e.contains("connection closed")),
        "the file should fail when its backend is terminated: {result:?}"
    );
    let left = pending_rows(&mut watcher, file);
    assert!(left > 0, "the DO block finished before the kill");
    let mut again = Client::connect(db.url(), NoTls).unwrap();
    run_file(&mut again, file).unwrap();
    assert_eq!(pending_rows(&mut again, file), 0);
}

fn check(case: &'static Case, old_until_contract: bool) {
    let Some(mut db) = ScratchDb::for_test(&format!("writers_{}", case.name)) else {
        return;
    };
    let started = Instant::now();
    let plan = plan_for(case);
    assert!(plan.unsupported.is_empty(), "{:?}", plan.unsupported);
    let phases: Vec<Phase> = plan.files.iter().map(|f| f.phase).collect();
    let mut distinct = phases.clone();
    distinct.dedup();
    assert_eq!(
        distinct, case.phases,
        "phases of the plan for {}",
        case.name
    );

    db.client().batch_execute(case.before).unwrap();
    db.client().batch_execute(case.seed).unwrap();
    let seeded: Log = (1..=SEEDED).map(|id| (id, (case.seeded)(id))).collect();
    let writer = Writer::start(db.url(), case, seeded);
    writer.wait_for(20);

    let (mut quiet, mut files) = (Vec::new(), Vec::new());
    for file in &plan.files {
        if file.phase == Phase::Contract && !case.writes_after_contract {
            quiet.push(file);
        } else {
            files.push(file);
        }
    }
    for file in files {
        let before = match file.phase {
            // The contract runs once only the new application version writes.
            Phase::Contract => Mode::New,
            // Where the new shape exists before the cutover (a column beside
            // the old one), the new version writes from the cutover on…
            Phase::Cutover if case.new_before_cutover && !old_until_contract => Mode::New,
            // …or, to check what the issue asks of the dual-write trigger,
            // both versions write until the contract.
            _ => writer.mode(),
        };
        writer.switch(before);
        match (file.phase, case.backfill) {
            (Phase::Backfill, Backfilling::RunnerKilled) => backfill_with_runner(&db, file),
            (Phase::Backfill, Backfilling::FileKilled) => backfill_with_file(&db, file),
            (Phase::Backfill, Backfilling::None) => panic!("unexpected backfill file"),
            _ => {
                let mut client = Client::connect(db.url(), NoTls).unwrap();
                if let Err(e) = run_file(&mut client, file) {
                    panic!("{} file failed under writes: {e}\n{}", file.slug, file.sql);
                }
            }
        }
        if file.phase == Phase::DualWrite {
            // The trigger keeps both shapes in step: both versions write.
            writer.switch(Mode::Both);
        }
        if file.phase == Phase::Cutover && !case.new_before_cutover {
            // The new shape exists from the cutover on (a renamed table);
            // the old version's writes in flight go through what the
            // cutover left under the old name.
            writer.switch(match old_until_contract {
                true => Mode::Both,
                false => Mode::New,
            });
        }
        writer.wait_for(20);
    }
    writer.switch(Mode::New);
    writer.wait_for(20);
    let (log, stats) = writer.finish();
    for file in quiet {
        let mut client = Client::connect(db.url(), NoTls).unwrap();
        if let Err(e) = run_file(&mut client, file) {
            panic!("{} file failed: {e}\n{}", file.slug, file.sql);
        }
    }

    let rows: Log = db
        .client()
        .query(case.fingerprint, &[])
        .unwrap()
        .iter()
        .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1)))
        .collect();
    let lost: Vec<&i64> = log.keys().filter(|id| !rows.contains_key(id)).collect();
    let extra: Vec<&i64> = rows.keys().filter(|id| !log.contains_key(id)).collect();
    let mismatched: Vec<(i64, &String, &String)> = log
        .iter()
        .filter_map(|(id, want)| match rows.get(id) {
            Some(got) if got != want => Some((*id, want, got)),
            _ => None,
        })
        .collect();
    eprintln!(
        "{}: {} rows, writer {stats:?}, {:.1} s",
        case.name,
        rows.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        lost.is_empty() && extra.is_empty() && mismatched.is_empty(),
        "{}: {} lost (first {:?}), {} unexpected (first {:?}), {} mismatched (first {:?})",
        case.name,
        lost.len(),
        lost.first(),
        extra.len(),
        extra.first(),
        mismatched.len(),
        mismatched.first()
    );
    assert_eq!(rows.len() as u64, SEEDED as u64 + stats.inserts);
    assert!(
        stats.inserts > 0 && stats.updates > 0 && stats.through_new > 0,
        "{stats:?}"
    );
}

// ---------------------------------------------------------------------------
// Cases

const SEED: &str = "INSERT INTO core.shows (id, handle, title) \
                    SELECT i, 'h' || i, 't' || i FROM generate_series(1, 50000) AS i;";

static NULLABLE_COLUMN_AND_INDEX: Case = Case {
    name: "nullable_column_index",
    before: "CREATE SCHEMA core;
             CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text NOT NULL);",
    desired: r#"schema core
table core.shows {
    column id bigint
    column handle text
    column title text
    column note text nullable=#true
    primary-key id
    index shows_handle handle
}
"#,
    seed: SEED,
    fingerprint: "SELECT id, handle || '|' || coalesce(note, '-') FROM core.shows",
    seeded: |id| format!("h{id}|-"),
    insert: |shape| match shape {
        Shape::Old => "INSERT INTO core.shows (id, handle, title) VALUES ($1, $2, 'x')",
        Shape::New => "INSERT INTO core.shows (id, handle, title, note) VALUES ($1, $2, 'x', $2)",
    },
    update: |shape| match shape {
        Shape::Old => "UPDATE core.shows SET handle = $2 WHERE id = $1",
        Shape::New => "UPDATE core.shows SET handle = $2, note = $2 WHERE id = $1",
    },
    written: |before, shape, value| match shape {
        Shape::New => format!("{value}|{value}"),
        Shape::Old => {
            let note = before.and_then(|b| b.split_once('|')).map_or("-", |(_, n)| n);
            format!("{value}|{note}")
        }
    },
    backfill: Backfilling::None,
    phases: &[Phase::Expand],
    new_before_cutover: true,
    writes_after_contract: true,
};

static NOT_NULL_BACKFILL: Case = Case {
    name: "not_null_backfill",
    before: "CREATE SCHEMA core;
             CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text NOT NULL);",
    desired: r#"schema core
table core.shows {
    column id bigint
    column handle text
    column title text
    column rating int backfill="length(title)"
    primary-key id
}
"#,
    seed: SEED,
    fingerprint: "SELECT id, handle || '|' || coalesce(rating::text, 'NULL') FROM core.shows",
    seeded: |id| format!("h{id}|{}", format!("t{id}").len()),
    insert: |shape| match shape {
        Shape::Old => "INSERT INTO core.shows (id, handle, title) VALUES ($1, $2, 'x')",
        Shape::New => "INSERT INTO core.shows (id, handle, title, rating) VALUES ($1, $2, 'x', 7)",
    },
    update: |shape| match shape {
        Shape::Old => "UPDATE core.shows SET handle = $2 WHERE id = $1",
        Shape::New => "UPDATE core.shows SET handle = $2, rating = 7 WHERE id = $1",
    },
    // The writer never changes the title the backfill reads: an old-shape
    // insert gets length('x'), an old-shape update keeps the rating (set
    // by the backfill before or after it, from the same title).
    written: |before, shape, value| match (shape, before.and_then(|b| b.split_once('|'))) {
        (Shape::New, _) => format!("{value}|7"),
        (Shape::Old, Some((_, rating))) => format!("{value}|{rating}"),
        (Shape::Old, None) => format!("{value}|1"),
    },
    backfill: Backfilling::FileKilled,
    phases: &[
        Phase::Expand,
        Phase::Backfill,
        Phase::DualWrite,
        Phase::Cutover,
        Phase::Contract,
    ],
    new_before_cutover: true,
    writes_after_contract: true,
};

static COLUMN_RENAME: Case = Case {
    name: "column_rename",
    before: "CREATE SCHEMA core;
             CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL DEFAULT '', title text NOT NULL);",
    desired: r#"schema core
table core.shows {
    column id bigint
    column slug text renamed-from=handle default="''"
    column title text
    primary-key id
}
"#,
    seed: SEED,
    fingerprint: "SELECT id, slug FROM core.shows",
    seeded: |id| format!("h{id}"),
    insert: |shape| match shape {
        Shape::Old => "INSERT INTO core.shows (id, handle, title) VALUES ($1, $2, 'x')",
        Shape::New => "INSERT INTO core.shows (id, slug, title) VALUES ($1, $2, 'x')",
    },
    update: |shape| match shape {
        Shape::Old => "UPDATE core.shows SET handle = $2 WHERE id = $1",
        Shape::New => "UPDATE core.shows SET slug = $2 WHERE id = $1",
    },
    written: |_, _, value| value.to_string(),
    backfill: Backfilling::RunnerKilled,
    phases: &[
        Phase::Expand,
        Phase::Backfill,
        Phase::DualWrite,
        Phase::Cutover,
        Phase::Contract,
    ],
    new_before_cutover: true,
    writes_after_contract: true,
};

static TYPE_CHANGE: Case = Case {
    name: "type_change",
    before: "CREATE SCHEMA core;
             CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text NOT NULL, views int NOT NULL);",
    desired: r#"schema core
table core.shows {
    column id bigint
    column handle text
    column title text
    column hits bigint renamed-from=views using="views::bigint"
    primary-key id
}
"#,
    seed: "INSERT INTO core.shows (id, handle, title, views) \
           SELECT i, 'h' || i, 't' || i, i FROM generate_series(1, 50000) AS i;",
    fingerprint: "SELECT id, hits::text FROM core.shows",
    seeded: |id| id.to_string(),
    // The writer's value `w123` is written as the number 123.
    insert: |shape| match shape {
        Shape::Old => "INSERT INTO core.shows (id, handle, title, views) VALUES ($1, 'x', 'x', substr($2, 2)::int)",
        Shape::New => "INSERT INTO core.shows (id, handle, title, hits) VALUES ($1, 'x', 'x', substr($2, 2)::bigint)",
    },
    update: |shape| match shape {
        Shape::Old => "UPDATE core.shows SET views = substr($2, 2)::int WHERE id = $1",
        Shape::New => "UPDATE core.shows SET hits = substr($2, 2)::bigint WHERE id = $1",
    },
    written: |_, _, value| value[1..].to_string(),
    backfill: Backfilling::RunnerKilled,
    phases: &[
        Phase::Expand,
        Phase::Backfill,
        Phase::DualWrite,
        Phase::Cutover,
        Phase::Contract,
    ],
    new_before_cutover: true,
    writes_after_contract: true,
};

static TABLE_RENAME: Case = Case {
    name: "table_rename",
    before: "CREATE SCHEMA core;
             CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text NOT NULL);",
    desired: r#"schema core
table core.programs renamed-from=core.shows compat-view=#true {
    column id bigint
    column handle text
    column title text
    primary-key id
}
"#,
    seed: SEED,
    fingerprint: "SELECT id, handle FROM core.programs",
    seeded: |id| format!("h{id}"),
    // Until the contract, the old name is the compatibility view, which
    // PostgreSQL writes through to the table.
    insert: |shape| match shape {
        Shape::Old => "INSERT INTO core.shows (id, handle, title) VALUES ($1, $2, 'x')",
        Shape::New => "INSERT INTO core.programs (id, handle, title) VALUES ($1, $2, 'x')",
    },
    update: |shape| match shape {
        Shape::Old => "UPDATE core.shows SET handle = $2 WHERE id = $1",
        Shape::New => "UPDATE core.programs SET handle = $2 WHERE id = $1",
    },
    written: |_, _, value| value.to_string(),
    backfill: Backfilling::None,
    phases: &[Phase::Cutover, Phase::Contract],
    new_before_cutover: false,
    writes_after_contract: true,
};

/// A jsonb column derived from `title` with `using=`, and `title` derived
/// back with `reverse-using=`: the old version writes `title`, the new one
/// writes `details` (with a key of its own the old shape cannot hold).
/// Every other update of either version changes only `handle`, which
/// nothing derives from: such a write must leave `title` and `details` as
/// they were (the issue's bug: the trigger recomputed `details` from
/// `title` on every write that left `details` unchanged). Every column of
/// every row is compared.
static DERIVED_JSONB: Case = Case {
    name: "derived_jsonb",
    before: "CREATE SCHEMA core;
             CREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text);",
    desired: r#"schema core
table core.shows {
    column id bigint
    column handle text
    column title text nullable=#true
    column details jsonb nullable=#true using="jsonb_build_object('title', title)" reverse-using="details->>'title'"
    primary-key id
}
"#,
    seed: SEED,
    fingerprint: "SELECT id, handle || '|' || coalesce(title, 'NULL') || '|' || coalesce(details::text, 'NULL') \
                  FROM core.shows",
    seeded: |id| format!("h{id}|t{id}|{{\"title\": \"t{id}\"}}"),
    insert: |shape| match shape {
        Shape::Old => "INSERT INTO core.shows (id, handle, title) VALUES ($1, $2, $2)",
        Shape::New => {
            "INSERT INTO core.shows (id, handle, details) \
                       VALUES ($1, $2, jsonb_build_object('title', $2::text, 'by', 'new'))"
        }
    },
    // Writes `w<n>` with n % 4 < 2 change the version's own column (the
    // writer alternates versions by parity, so both versions get both).
    update: |shape| match shape {
        Shape::Old => {
            "UPDATE core.shows SET handle = $2, \
                       title = CASE WHEN substr($2, 2)::int % 4 < 2 THEN $2 ELSE title END WHERE id = $1"
        }
        Shape::New => {
            "UPDATE core.shows SET handle = $2, details = CASE WHEN substr($2, 2)::int % 4 < 2 \
                       THEN jsonb_build_object('title', $2::text, 'by', 'new') ELSE details END WHERE id = $1"
        }
    },
    // An old-version write of title recomputes details (the new version's
    // extra key goes: the old shape cannot hold it); a new-version write
    // keeps details as written and sets title from it; a write of handle
    // alone changes nothing else.
    written: |before, shape, value| {
        let n: i64 = value[1..].parse().unwrap();
        let rest = match (before, n % 4 < 2) {
            (Some(b), false) => b.split_once('|').unwrap().1.to_string(),
            _ => match shape {
                Shape::Old => format!("{value}|{{\"title\": \"{value}\"}}"),
                Shape::New => format!("{value}|{{\"by\": \"new\", \"title\": \"{value}\"}}"),
            },
        };
        format!("{value}|{rest}")
    },
    backfill: Backfilling::RunnerKilled,
    phases: &[
        Phase::Expand,
        Phase::Backfill,
        Phase::DualWrite,
        Phase::Contract,
    ],
    new_before_cutover: true,
    writes_after_contract: false,
};

#[test]
fn derived_jsonb_with_both_versions_writing_until_contract() {
    check(&DERIVED_JSONB, true);
}

#[test]
fn nullable_column_and_index_under_writes() {
    check(&NULLABLE_COLUMN_AND_INDEX, false);
}

#[test]
fn column_rename_under_writes_with_the_runner_killed_midway() {
    check(&COLUMN_RENAME, false);
}

#[test]
fn not_null_backfill_under_writes_with_the_do_block_killed_midway() {
    check(&NOT_NULL_BACKFILL, false);
}

/// The issue asks the dual-write trigger to keep both shapes in step
/// "while both app versions write", which lasts until the contract. The
/// new column's default (`''`) therefore waits for the contract: were it
/// set at cutover, an old-shape insert would arrive with `slug = ''`, not
/// NULL, and the trigger would copy that empty slug over the handle the old
/// version wrote.
#[test]
fn column_rename_with_both_versions_writing_until_contract() {
    check(&COLUMN_RENAME, true);
}

#[test]
fn not_null_backfill_with_both_versions_writing_until_contract() {
    check(&NOT_NULL_BACKFILL, true);
}

#[test]
fn type_change_through_a_new_column_under_writes() {
    check(&TYPE_CHANGE, false);
}

#[test]
fn type_change_with_both_versions_writing_until_contract() {
    check(&TYPE_CHANGE, true);
}

#[test]
fn table_rename_under_writes() {
    check(&TABLE_RENAME, false);
}

#[test]
fn table_rename_with_both_versions_writing_until_contract() {
    check(&TABLE_RENAME, true);
}

// ---------------------------------------------------------------------------
// Backfills under `timestamps`: they change no column their intent does not
// name, so `updated_at` keeps what the applications last wrote.

const STAMPED_BEFORE: &str = "CREATE SCHEMA core;
CREATE FUNCTION core.set_updated_at() RETURNS trigger LANGUAGE plpgsql SET search_path = ''
    AS $$begin new.updated_at := now(); return new; end;$$;
CREATE TABLE core.shows (id bigint PRIMARY KEY, title text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());
CREATE TRIGGER shows_set_updated_at BEFORE UPDATE ON core.shows
    FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();";

const STAMPED_DESIRED: &str = r#"schema core
table core.shows {
    column id bigint
    column title text
    column sort_title text backfill="lower(title)"
    primary-key id
    timestamps
}
"#;

/// Expand (which brings the `timestamps` function up to date), then the
/// backfill through the runner or the file's DO loop: every seeded row
/// gets its sort title and keeps its `updated_at`; an application update
/// afterwards still stamps it.
fn backfill_keeps_updated_at(runner: bool) {
    let name = if runner {
        "stamped_runner"
    } else {
        "stamped_file"
    };
    let Some(mut db) = ScratchDb::for_test(&format!("writers_{name}")) else {
        return;
    };
    let current = replay_sources(&[Source::new("before.sql", STAMPED_BEFORE)])
        .unwrap()
        .catalog;
    let declared =
        schema::lang::load_sources_declared(&[Source::new("desired.kdl", STAMPED_DESIRED)], None)
            .unwrap_or_else(|e| panic!("{e}"));
    let mut options = PlanOptions::new(vec![Ident::from_sql("core")]);
    options.backfill_batch_size = 1_000;
    options.backfill_pause_ms = 0;
    let plan = plan_declared(&current, &declared.catalog, &declared.intents, &options);
    assert!(plan.unsupported.is_empty(), "{:?}", plan.unsupported);
    db.client().batch_execute(STAMPED_BEFORE).unwrap();
    db.client()
        .batch_execute(
            "INSERT INTO core.shows (id, title, created_at, updated_at) \
             SELECT i, 'Title ' || i, '2020-01-01 00:00+00', '2021-06-01 12:00+00' \
             FROM generate_series(1, 5000) AS i;",
        )
        .unwrap();
    for file in &plan.files {
        let mut client = Client::connect(db.url(), NoTls).unwrap();
        if file.phase == Phase::Backfill && runner {
            let stop = AtomicBool::new(false);
            let outcome =
                backfill::run(&mut client, &file.backfills[0], &stop, &mut |_| {}).unwrap();
            assert!(
                matches!(outcome, Outcome::Finished(p) if p.updated == 5000),
                "{outcome:?}"
            );
        }
        run_file(&mut client, file).unwrap_or_else(|e| panic!("{}: {e}\n{}", file.slug, file.sql));
    }
    let row = db
        .client()
        .query_one(
            "SELECT count(*) FILTER (WHERE sort_title IS DISTINCT FROM lower(title)), \
                    count(*) FILTER (WHERE updated_at <> '2021-06-01 12:00+00') FROM core.shows",
            &[],
        )
        .unwrap();
    let (unfilled, restamped): (i64, i64) = (row.get(0), row.get(1));
    assert_eq!(
        (unfilled, restamped),
        (0, 0),
        "rows unfilled, rows whose updated_at moved"
    );
    // The application's own updates are still stamped.
    db.client()
        .execute("UPDATE core.shows SET title = 'Renamed' WHERE id = 7", &[])
        .unwrap();
    let moved: bool = db
        .client()
        .query_one(
            "SELECT updated_at > '2021-06-01 12:00+00' FROM core.shows WHERE id = 7",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(moved, "an application update must still set updated_at");
}

#[test]
fn backfill_runner_leaves_updated_at_alone() {
    backfill_keeps_updated_at(true);
}

#[test]
fn backfill_file_leaves_updated_at_alone() {
    backfill_keeps_updated_at(false);
}

/// The dual-write trigger of [`DERIVED_JSONB`], write by write: what the
/// new version wrote survives later writes that leave `details` alone, and
/// reaches `title`; an old-version write of `title` recomputes `details`.
#[test]
fn derived_jsonb_dual_write_keeps_what_each_version_wrote() {
    let Some(mut db) = ScratchDb::for_test("writers_derived_steps") else {
        return;
    };
    let plan = plan_for(&DERIVED_JSONB);
    db.client().batch_execute(DERIVED_JSONB.before).unwrap();
    db.client()
        .batch_execute("INSERT INTO core.shows VALUES (1, 'h1', 't1'), (2, 'h2', 't2');")
        .unwrap();
    for file in plan.files.iter().filter(|f| f.phase != Phase::Contract) {
        let mut client = Client::connect(db.url(), NoTls).unwrap();
        run_file(&mut client, file).unwrap();
    }
    let steps = [
        // new version: details, then only handle, twice
        "UPDATE core.shows SET details = '{\"title\": \"n1\", \"by\": \"new\"}' WHERE id = 1",
        "UPDATE core.shows SET handle = 'x1' WHERE id = 1",
        // new version inserts without title
        "INSERT INTO core.shows (id, handle, details) VALUES (3, 'h3', '{\"title\": \"n3\", \"by\": \"new\"}')",
        "UPDATE core.shows SET handle = 'x3' WHERE id = 3",
        // old version: handle only, then title
        "UPDATE core.shows SET handle = 'y1' WHERE id = 1",
        "UPDATE core.shows SET title = 'o2' WHERE id = 2",
        // old version inserts without details
        "INSERT INTO core.shows (id, handle, title) VALUES (4, 'h4', 'o4')",
        // one statement writing both: both kept as written
        "UPDATE core.shows SET title = 'both', details = '{\"title\": \"both\", \"k\": 1}' WHERE id = 4",
    ];
    for sql in steps {
        db.client()
            .execute(sql, &[])
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let rows: Vec<String> = db
        .client()
        .query(DERIVED_JSONB.fingerprint, &[])
        .unwrap()
        .iter()
        .map(|r| format!("{}:{}", r.get::<_, i64>(0), r.get::<_, String>(1)))
        .collect();
    let mut rows = rows;
    rows.sort();
    assert_eq!(
        rows,
        [
            r#"1:y1|n1|{"by": "new", "title": "n1"}"#,
            r#"2:h2|o2|{"title": "o2"}"#,
            r#"3:x3|n3|{"by": "new", "title": "n3"}"#,
            r#"4:h4|both|{"k": 1, "title": "both"}"#,
        ]
    );
}
