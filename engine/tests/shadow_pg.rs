//! Shadow replay against real PostgreSQL: the offline replay must agree with
//! it on `examples/`, and where it cannot (dynamic `EXECUTE`), the
//! comparison names the differences and a checkpoint makes the next
//! offline replay exact.

use engine::checkpoint::Checkpoint;
use engine::config::Config;
use engine::introspect::readable;
use engine::replay::compare::compare;
use engine::scratch::{ScratchDb, server_url};
use engine::shadow::{ShadowError, check, scope, shadow_replay};
use schema::Source;
use std::path::Path;
use std::sync::Mutex;

/// The test server, or `None` (after saying so) when it is unreachable
/// outside CI, like `ScratchDb::for_test`.
///
/// The tests take turns (the guard), so one can check that no shadow
/// database of this process is left behind.
fn server() -> Option<(String, std::sync::MutexGuard<'static, ()>)> {
    static TURN: Mutex<()> = Mutex::new(());
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    // Probing with a scratch database keeps the skip rule in one place.
    ScratchDb::for_test("trr_shadow_probe").map(|_| (server_url(), turn))
}

fn examples() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"))
        .expect("examples/trr-schema.toml")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn examples_replay_offline_exactly_as_postgres_does() {
    let Some((server, _turn)) = server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&examples().root, dir.path());
    let config = Config::load(dir.path()).unwrap();
    let found = check(&config, &server).unwrap_or_else(|e| panic!("{e}"));
    let shadow = shadow_replay(&server, &found.offline.migrations).unwrap();
    let lines: Vec<String> = found.differences.iter().map(ToString::to_string).collect();
    assert!(
        lines.is_empty(),
        "offline and shadow replays differ:\n{}\n\noffline:\n{}\n\nshadow:\n{}",
        lines.join("\n"),
        readable(&found.offline.replayed.catalog),
        readable(&shadow)
    );
    assert!(shadow.tables.len() >= 5, "{}", readable(&shadow));

    // The checkpoint reads back exactly, and a replay from it is the replay from scratch.
    let path = found.checkpoint_written.unwrap();
    assert_eq!(path, config.checkpoint_dir.join("0006_orgs_access.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let cp: Checkpoint = serde_json::from_str(&text).unwrap();
    assert_eq!(cp.to_json(), text);
    let from_checkpoint = engine::replay::replay_project(&config).unwrap();
    assert_eq!(from_checkpoint.checkpoint.unwrap().files, 6);
    assert_eq!(
        readable(&from_checkpoint.replayed.catalog),
        readable(&scope(&found.offline.replayed.catalog))
    );
}

const DYNAMIC: &[(&str, &str)] = &[
    (
        "0001_tables.sql",
        "create schema app;\n\
         create table app.items (id int primary key, code text, qty int check (qty >= 0));\n\
         alter table app.items add constraint items_code_key unique (code);\n",
    ),
    (
        "0002_drop_checks.sql",
        "-- Drop every check constraint on app.items, whatever it is called,\n\
         -- in one statement built by a query (beyond what the replay reads).\n\
         do $$\n\
         declare stmt text;\n\
         begin\n\
           select 'alter table app.items ' ||\n\
                  string_agg(format('drop constraint %I', conname), ', ')\n\
             into stmt\n\
             from pg_constraint\n\
            where conrelid = 'app.items'::regclass and contype = 'c';\n\
           execute stmt;\n\
         end $$;\n",
    ),
    (
        "0003_more.sql",
        "alter table app.items add column note text;\n",
    ),
];

fn write_project(dir: &Path, files: &[(&str, &str)]) -> Config {
    std::fs::write(dir.join("trr-schema.toml"), "schemas = [\"app\"]\n").unwrap();
    let migrations = dir.join("supabase/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    for (name, text) in files {
        std::fs::write(migrations.join(name), text).unwrap();
    }
    Config::load(dir).unwrap()
}

#[test]
fn dynamic_execute_differs_until_a_checkpoint_is_written() {
    let Some((server, _turn)) = server() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = write_project(dir.path(), &DYNAMIC[..2]);

    let found = check(&config, &server).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        found
            .offline
            .replayed
            .notes
            .iter()
            .any(|n| n.may_change_schema()),
        "the EXECUTE loop is reported: {:#?}",
        found.offline.replayed.notes
    );
    let lines: Vec<String> = found.differences.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "constraint app.items.items_qty_check: only in the offline replay: CONSTRAINT items_qty_check CHECK (qty >= 0)"
        ]
    );

    // With the checkpoint, the next offline replay starts from PostgreSQL's answer.
    assert_eq!(
        found.checkpoint_written.unwrap(),
        dir.path()
            .join("supabase/trr-schema/checkpoints/0002_drop_checks.json")
    );
    let config = write_project(dir.path(), DYNAMIC);
    let from_checkpoint = engine::replay::replay_project(&config).unwrap();
    let used = from_checkpoint
        .checkpoint
        .as_ref()
        .expect("checkpoint used");
    assert_eq!(
        (used.through.as_str(), used.files),
        ("0002_drop_checks.sql", 2)
    );
    assert!(from_checkpoint.ignored.is_empty());
    assert!(
        from_checkpoint.replayed.notes.is_empty(),
        "0003 has nothing to note"
    );
    let shadow = shadow_replay(&server, &from_checkpoint.migrations).unwrap();
    let differences = compare(&scope(&from_checkpoint.replayed.catalog), &shadow);
    assert!(differences.is_empty(), "{differences:#?}");
}

#[test]
fn failing_migration_names_its_place_and_drops_the_database() {
    let Some((server, _turn)) = server() else {
        return;
    };
    let sources = [
        Source::new("0001_ok.sql", "create schema app;\n"),
        Source::new(
            "0002_bad.sql",
            "-- a typo\ncreate table app.t (a int);\n  alter table app.t add column b nosuchtype;\n",
        ),
    ];
    let err = shadow_replay(&server, &sources).unwrap_err().to_string();
    assert!(
        err.starts_with("a migration fails on PostgreSQL: 0002_bad.sql:3:3: "),
        "{err}"
    );
    assert!(err.contains("type \"nosuchtype\" does not exist"), "{err}");
    // Every shadow database is gone again (also this failed one).
    let mut admin: postgres::Config = server.parse().unwrap();
    let mut admin = admin.dbname("postgres").connect(postgres::NoTls).unwrap();
    let pattern = format!("trr_shadow_{}_%", std::process::id());
    let left = admin
        .query(
            "select datname from pg_database where datname like $1",
            &[&pattern],
        )
        .unwrap();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Every round-trip scenario's `before.sql` (with its `setup.sql`, when it
/// has one) replays offline exactly as PostgreSQL runs it. Scenarios are
/// written for plain PostgreSQL: the few that create what the Supabase
/// stand-in already provides (`CREATE SCHEMA extensions`) are skipped.
#[test]
fn scenario_histories_replay_offline_exactly_as_postgres_does() {
    let Some((server, _turn)) = server() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/scenarios");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("before.sql").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 50, "{}", root.display());
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let sources: Vec<Source> = ["setup.sql", "before.sql"]
            .iter()
            .map(|f| dir.join(f))
            .filter(|p| p.is_file())
            .map(|p| Source::new(p.clone(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        let offline = engine::replay::replay_sources(&sources).unwrap_or_else(|e| panic!("{e}"));
        let shadow = match shadow_replay(&server, &sources) {
            Ok(shadow) => shadow,
            Err(ShadowError::Migration(e)) if e.message.contains("already exists") => {
                skipped.push(format!("{name}: {e}"));
                continue;
            }
            Err(e) => panic!("{name}: {e}"),
        };
        for d in compare(&scope(&offline.catalog), &shadow) {
            failures.push(format!("{name}: {d}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(skipped.len() <= 3, "{skipped:#?}");
    eprintln!(
        "{} scenarios compared; skipped (not Supabase histories): {skipped:#?}",
        dirs.len() - skipped.len()
    );
}
