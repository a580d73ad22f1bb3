//! The TRR legacy history (`histories/trr-legacy/`, see its README): 28
//! hand-written migrations with every pattern real Supabase histories
//! contain.
//!
//! Agreement: the history run on PostgreSQL and introspected (the shadow
//! replay, database A) must equal the offline replay from the first file,
//! with no checkpoint, in the managed schemas — object by object, except
//! the objects in [`EXPECTED_DIFFERENCES`], each with its cause.
//! PostgreSQL prints expressions its own way (`'x'::text`, `= ANY (ARRAY…)`),
//! so the offline Catalog is compared through PostgreSQL too: its plan from
//! nothing runs on database B, and A and B are introspected alike.
//!
//! Exactness everywhere: the dynamic SQL the offline replay cannot follow
//! (names built from `now()`, in the unmanaged `archive` schema) is made
//! exact by a checkpoint written by the shadow replay.
//!
//! Report: every note of the offline replay (file:line:column, severity,
//! reason, objects) and the figures the issue asks for are a snapshot.

use engine::config::Config;
use engine::replay::{Note, Replayed, Severity};
use schema::{Catalog, Source};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn history_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("histories/trr-legacy")
}

fn config() -> Config {
    Config::load(&history_root()).expect("histories/trr-legacy/trr-schema.toml loads")
}

/// The offline replay from the first file: what the replay alone makes of
/// the history, with no checkpoint's help.
fn offline(config: &Config) -> Replayed {
    engine::replay::replay_dir(&config.migrations_dir).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// Objects whose offline replay differs from PostgreSQL today, and why.
/// Keys are those of [`objects`]. The test fails when an object differs
/// that is not listed, and when a listed one no longer differs (remove it:
/// the replay got better).
/// None today: the PL/pgSQL reader follows every DO block of this history,
/// including the FOR loop that drops checks through EXECUTE format(…).
const EXPECTED_DIFFERENCES: &[(&str, &str)] = &[];

/// The migration files, in replay order.
fn sources(config: &Config) -> Vec<Source> {
    let mut sources = Source::read_dir(&config.migrations_dir, "sql").expect("migrations readable");
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    sources
}

/// The history run statement by statement on a scratch database with the
/// Supabase stand-in, then introspected; `None` when no server is reachable
/// outside CI.
fn shadow(config: &Config) -> Option<Catalog> {
    let mut db = engine::scratch::ScratchDb::for_test("history")?;
    db.install_standin().unwrap_or_else(|e| panic!("{e}"));
    for source in sources(config) {
        db.run_source(&source).unwrap_or_else(|e| panic!("{e}"));
    }
    Some(
        engine::introspect::introspect(db.client(), &config.schemas)
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

/// Every object of a Catalog as `kind schema.name` → pretty JSON, so two
/// Catalogs compare object by object.
fn objects(catalog: &Catalog) -> BTreeMap<String, String> {
    fn json<T: serde::Serialize>(v: &T) -> String {
        serde_json::to_string_pretty(v).expect("Catalog objects serialize")
    }
    let mut out = BTreeMap::new();
    for (k, v) in &catalog.schemas {
        out.insert(format!("schema {}", k.as_str()), json(v));
    }
    for (k, v) in &catalog.extensions {
        out.insert(format!("extension {}", k.as_str()), json(v));
    }
    for (k, v) in &catalog.enums {
        out.insert(format!("enum {k}"), json(v));
    }
    for (k, v) in &catalog.tables {
        out.insert(format!("table {k}"), json(v));
    }
    for (k, v) in &catalog.indexes {
        out.insert(format!("index {k}"), json(v));
    }
    out
}

/// A unified diff of one object, offline (`-`) against PostgreSQL (`+`).
fn object_diff(offline: Option<&String>, shadow: Option<&String>) -> String {
    let missing = String::from("(absent)\n");
    let a = offline.unwrap_or(&missing);
    let b = shadow.unwrap_or(&missing);
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(3)
        .header("offline replay", "PostgreSQL")
        .to_string()
}

/// The offline Catalog as PostgreSQL spells it: its plan from nothing, run
/// on a scratch database with the stand-in, introspected. Enums its columns
/// use but it lacks (created where the replay did not follow) are borrowed
/// from `shadow` so the plan runs; they are returned as differences.
fn materialized(
    config: &Config,
    offline: &Catalog,
    shadow: &Catalog,
) -> Option<(Catalog, Vec<String>)> {
    let mut desired = offline.restricted_to(&config.schemas);
    let mut borrowed = Vec::new();
    let used: BTreeSet<schema::QualName> = desired
        .tables
        .values()
        .flat_map(|t| &t.columns)
        .filter_map(|c| c.ty.user_defined())
        .collect();
    for name in used {
        if !desired.enums.contains_key(&name)
            && let Some(e) = shadow.enums.get(&name)
        {
            borrowed.push(format!("enum {name}"));
            desired.enums.insert(name, e.clone());
        }
    }
    let plan = engine::plan::plan(&Catalog::default(), &desired, &config.plan_options());
    assert!(
        plan.unsupported.is_empty(),
        "the plan from nothing cannot express the offline Catalog: {:?}",
        plan.unsupported
    );
    let mut db = engine::scratch::ScratchDb::for_test("history_b")?;
    db.install_standin().unwrap_or_else(|e| panic!("{e}"));
    // Sequences are not modeled: the plan creates those of serial columns,
    // not one a default draws from by hand (`nextval('core.batch_seq')`).
    // Those are created once the schemas exist, before the first table.
    let mut prelude = String::new();
    for t in desired.tables.values() {
        for c in &t.columns {
            if engine::plan::sql::serial_type(&t.name, c).is_none()
                && let Some(seq) = c.default.as_ref().and_then(schema::names::serial_sequence)
            {
                let _ = writeln!(prelude, "CREATE SEQUENCE IF NOT EXISTS {seq};");
            }
        }
    }
    let mut statements: Vec<String> = plan
        .files
        .iter()
        .flat_map(|f| engine::replay::split::split_statements(&f.sql))
        .map(|s| s.text)
        .collect();
    let first_table = statements
        .iter()
        .position(|s| s.starts_with("CREATE TABLE"))
        .unwrap_or(statements.len());
    statements.insert(first_table, prelude);
    for statement in &statements {
        if let Err(e) = db.client().batch_execute(statement) {
            panic!(
                "the plan from nothing fails: {}\n{statement}",
                engine::scratch::describe(&e)
            );
        }
    }
    let live = engine::introspect::introspect(db.client(), &config.schemas)
        .unwrap_or_else(|e| panic!("{e}"));
    Some((live, borrowed))
}

/// Objects that differ between two Catalogs, each with a readable diff
/// (`-` offline, `+` PostgreSQL).
fn differences(offline: &Catalog, shadow: &Catalog) -> BTreeMap<String, String> {
    let (a, b) = (objects(offline), objects(shadow));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| (k.clone(), object_diff(a.get(k), b.get(k))))
        .collect()
}

#[test]
fn offline_replay_agrees_with_postgres() {
    let config = config();
    let replayed = offline(&config);
    let Some(shadow) = shadow(&config) else {
        return;
    };
    let Some((offline_live, borrowed)) = materialized(&config, &replayed.catalog, &shadow) else {
        return;
    };
    let mut differing = differences(&offline_live, &shadow);
    for key in borrowed {
        let diff = "absent offline; borrowed from PostgreSQL so its columns compare\n".to_string();
        differing.insert(key, diff);
    }
    let expected: BTreeMap<&str, &str> = EXPECTED_DIFFERENCES.iter().copied().collect();

    let mut report = String::new();
    for (key, diff) in &differing {
        let why = expected
            .get(key.as_str())
            .map_or(String::new(), |w| format!(" (expected: {w})"));
        eprintln!("{key} differs{why}:\n{diff}");
        if why.is_empty() {
            let _ = writeln!(report, "unexpected difference in {key}:\n{diff}");
        }
    }
    for (key, why) in &expected {
        if !differing.contains_key(*key) {
            let _ = writeln!(
                report,
                "{key} no longer differs (was: {why}); remove it from EXPECTED_DIFFERENCES"
            );
        }
    }
    assert!(report.is_empty(), "{report}");
}

/// Per statement, the most severe note it got (none: modeled).
fn figures(config: &Config, notes: &[Note]) -> String {
    let mut worst: BTreeMap<(PathBuf, usize, usize), Severity> = BTreeMap::new();
    for n in notes {
        let at = (n.file.clone(), n.line, n.column);
        let s = worst.entry(at).or_insert(n.severity);
        *s = (*s).max(n.severity);
    }
    let mut statements = 0;
    for source in sources(config) {
        statements += engine::replay::split::split_statements(&source.text).len();
    }
    let count = |s: Severity| worst.values().filter(|w| **w == s).count();
    let files = sources(config).len();
    format!(
        "files: {files}\nstatements: {statements}\n\
         modeled (replayed, no note): {}\n\
         info (data, transaction control, or DO blocks whose DDL was followed): {}\n\
         notice (outside the model: roles, publications, …): {}\n\
         warning (may change the schema, not followed): {}",
        statements - worst.len(),
        count(Severity::Info),
        count(Severity::Notice),
        count(Severity::Warning),
    )
}

#[test]
fn replay_report() {
    let config = config();
    let replayed = offline(&config);
    let mut out = figures(&config, &replayed.notes);
    out.push_str("\n\n");
    for n in &replayed.notes {
        let file = n.file.file_name().unwrap_or_default().to_string_lossy();
        let severity = match n.severity {
            Severity::Info => "info",
            Severity::Notice => "notice",
            Severity::Warning => "WARNING",
            Severity::Error => "ERROR",
        };
        let _ = write!(
            out,
            "{file}:{}:{}: {severity}: {}",
            n.line, n.column, n.reason
        );
        if !n.objects.is_empty() {
            let _ = write!(out, " [{}]", n.objects.join(", "));
        }
        out.push('\n');
    }
    println!("{out}");
    insta::assert_snapshot!(out);
}

/// Names built from `now()` are the one thing in this history the offline
/// replay cannot follow. From the first file, the shadow check finds only
/// the dated backup table; with the checkpoint a shadow replay writes after
/// the file that builds it, the offline replay of the later files equals
/// PostgreSQL in every schema, `archive` included.
#[test]
fn exact_from_a_checkpoint_after_the_dynamic_sql() {
    // Probing with a scratch database keeps the skip rule in one place.
    if engine::scratch::ScratchDb::for_test("history_probe").is_none() {
        return;
    }
    let server = engine::scratch::server_url();
    let config = config();
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("supabase/migrations");
    std::fs::create_dir_all(&migrations).unwrap();
    std::fs::copy(
        history_root().join("trr-schema.toml"),
        dir.path().join("trr-schema.toml"),
    )
    .unwrap();
    let all = sources(&config);
    let dynamic = "20240402110000_backup_and_prune_shows.sql";
    let through = all
        .iter()
        .position(|s| s.path.ends_with(dynamic))
        .expect("the history has its dynamic-SQL file")
        + 1;
    for source in &all[..through] {
        std::fs::write(
            migrations.join(source.path.file_name().unwrap()),
            &source.text,
        )
        .unwrap();
    }
    let project = Config::load(dir.path()).unwrap();

    let found = engine::shadow::check(&project, &server).unwrap_or_else(|e| panic!("{e}"));
    assert!(found.offline_error.is_none(), "{:?}", found.offline_error);
    let differing: Vec<String> = found.differences.iter().map(|d| d.object.clone()).collect();
    let backup = format!(
        "archive.shows_backup_{}",
        found
            .differences
            .first()
            .and_then(|d| d.object.strip_prefix("archive.shows_backup_"))
            .unwrap_or("<date>")
    );
    assert_eq!(differing, [backup], "{:#?}", found.differences);
    let warned: Vec<&Note> = found
        .offline
        .replayed
        .notes
        .iter()
        .filter(|n| n.may_change_schema())
        .collect();
    assert!(
        warned
            .iter()
            .any(|n| n.objects.iter().any(|o| o.starts_with("archive."))),
        "the note of the dated backup names the schema it writes to: {warned:#?}"
    );

    for source in &all[through..] {
        std::fs::write(
            migrations.join(source.path.file_name().unwrap()),
            &source.text,
        )
        .unwrap();
    }
    let project = Config::load(dir.path()).unwrap();
    let from_checkpoint = engine::replay::replay_project(&project).unwrap();
    let used = from_checkpoint
        .checkpoint
        .as_ref()
        .expect("the checkpoint is used");
    assert_eq!(used.files, through);
    assert!(
        from_checkpoint.ignored.is_empty(),
        "{:?}",
        from_checkpoint.ignored
    );
    assert!(
        from_checkpoint
            .replayed
            .notes
            .iter()
            .all(|n| !n.may_change_schema()),
        "the files after the checkpoint are all followed: {:#?}",
        from_checkpoint.replayed.notes
    );
    let shadow = engine::shadow::shadow_replay(&server, &all).unwrap_or_else(|e| panic!("{e}"));
    let left: Vec<String> = engine::replay::compare::compare(
        &engine::shadow::scope(&from_checkpoint.replayed.catalog),
        &shadow,
    )
    .iter()
    .map(ToString::to_string)
    .collect();
    assert!(left.is_empty(), "{}", left.join("\n"));
}
