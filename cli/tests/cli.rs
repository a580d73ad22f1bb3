//! Runs the built `trr-schema` binary on temporary copies of `examples/`.

mod support;

use std::process::Command;
use support::*;

#[test]
fn no_config_anywhere_up_the_tree() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["plan"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no trr-schema.toml found in"), "{err}");
    assert!(err.contains("--dir"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn dir_without_config() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--dir", ".", "apply"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no trr-schema.toml in ."),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_config_points_at_the_key() {
    let project = project();
    std::fs::write(
        project.path().join("trr-schema.toml"),
        "schemas = [\"core\"]\nmigration_dir = \"db\"\n",
    )
    .unwrap();
    let out = run(project.path(), &["plan"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("trr-schema.toml:2:1"), "{err}");
    assert!(err.contains("unknown field `migration_dir`"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(stdout(&out).is_empty());
}

#[test]
fn bad_timeout_points_at_the_value() {
    let project = project();
    std::fs::write(
        project.path().join("trr-schema.toml"),
        "schemas = [\"core\"]\nlock_timeout = \"five\"\n",
    )
    .unwrap();
    let out = run(project.path(), &["--dir", ".", "plan", "--exit-code"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("trr-schema.toml:2:16"), "{err}");
    assert!(err.contains("is not a PostgreSQL duration"), "{err}");
}

#[test]
fn provided_schema_in_config_is_an_error() {
    let project = project();
    std::fs::write(
        project.path().join("trr-schema.toml"),
        "# Managed schemas\nschemas = [\"core\", \"auth\"]\n",
    )
    .unwrap();
    let out = run(project.path(), &["plan"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    // The whole report is snapshotted in engine's config tests; miette's
    // theme and wrapping here depend on the build and the terminal.
    let err = stderr(&out);
    for piece in [
        "trr-schema.toml:2:20",
        "`auth` is provided by Supabase",
        "provided schema",
        "help: remove it from `schemas`",
    ] {
        assert!(err.contains(piece), "{piece} in {err}");
    }
}

#[test]
fn kdl_outside_the_managed_schemas_is_an_error() {
    let project = project();
    // The examples plan as they are.
    assert_eq!(code(&run(project.path(), &["plan"])), 0);
    std::fs::write(
        project.path().join("schema/auth.kdl"),
        "table auth.extra {\n    column id uuid { references auth.users id; }\n}\n",
    )
    .unwrap();
    let before = tree(project.path());
    for args in [&["plan"][..], &["apply", "--name", "extra"]] {
        let out = run(project.path(), args);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        // miette wraps long lines (and picks its theme): check the pieces.
        for piece in [
            "schema/auth.kdl:1:7",
            "table auth.extra is in `auth`, which is not a managed",
            "(managed: core)",
            "outside the managed schemas",
            "help: `auth` is provided by Supabase",
        ] {
            assert!(err.contains(piece), "{piece} in {err}");
        }
        assert!(stdout(&out).is_empty());
    }
    assert_eq!(tree(project.path()), before, "nothing written");
}

#[test]
fn missing_schema_dir() {
    let project = project();
    std::fs::remove_dir_all(project.path().join("schema")).unwrap();
    let out = run(project.path(), &["plan"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("the schema directory schema does not exist"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn usage_errors_exit_with_1() {
    let project = project();
    let out = run(project.path(), &["plan", "--format", "xml"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("possible values"), "{}", stderr(&out));
    let out = run(project.path(), &["--help"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("apply"));
}

#[test]
fn plan_exit_codes_and_formats() {
    let project = project();
    let out = run(project.path(), &["plan"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("core.ratings"), "{}", stdout(&out));
    assert!(stderr(&out).contains("replay kept"), "{}", stderr(&out));

    let out = run(project.path(), &["plan", "--exit-code"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));

    let out = run(project.path(), &["plan", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["changes"], true);

    let out = run(project.path(), &["plan", "--format", "sql"]);
    assert!(
        stdout(&out).contains("CREATE INDEX CONCURRENTLY"),
        "{}",
        stdout(&out)
    );
    let out = run(project.path(), &["plan", "--format", "markdown"]);
    assert!(stdout(&out).contains("<details>"), "{}", stdout(&out));
}

#[test]
fn discovers_the_root_from_a_subdirectory() {
    let project = project();
    let out = run(
        &project.path().join("supabase/migrations"),
        &["plan", "--exit-code"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stdout(&out).contains("core.ratings"));
}

#[test]
fn dry_run_writes_nothing() {
    let project = project();
    let before = tree(project.path());
    let out = run(
        project.path(),
        &[
            "apply",
            "--dry-run",
            "--name",
            "Add ratings",
            "--allow-hazards",
            "access_exclusive_lock,scans_table,builds_index",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(tree(project.path()), before);
    let text = stdout(&out);
    assert!(
        text.contains("--- supabase/migrations/0007_add_ratings_"),
        "{text}"
    );
    assert!(
        text.contains("--- supabase/rollbacks/0007_add_ratings_"),
        "{text}"
    );
    assert!(text.contains("CREATE INDEX CONCURRENTLY"), "{text}");
    assert!(text.contains("dry run: nothing was written"), "{text}");
}

#[test]
fn apply_refuses_to_overwrite() {
    let project = project();
    let dry = stdout(&run(project.path(), &["apply", "--dry-run", ALL_HAZARDS]));
    // The last rollback the dry run announces: taking it blocks the whole apply.
    let taken = dry
        .lines()
        .filter_map(|l| l.strip_prefix("--- ")?.strip_suffix(" (rollback)"))
        .next_back()
        .expect("a rollback file")
        .to_string();
    let taken = project.path().join(taken);
    std::fs::create_dir_all(taken.parent().unwrap()).unwrap();
    std::fs::write(&taken, "-- mine\n").unwrap();
    let before = tree(project.path());

    let out = run(project.path(), &["apply", ALL_HAZARDS]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("refusing to overwrite"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(project.path()), before);
}

#[test]
fn apply_then_plan_has_no_changes() {
    let project = project();
    let out = run(project.path(), &["apply", ALL_HAZARDS]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("wrote supabase/migrations/0007_"), "{text}");
    assert!(text.contains("wrote supabase/rollbacks/0007_"), "{text}");
    assert!(!text.contains("held back"), "{text}");
    assert!(project.path().join("supabase/rollbacks").is_dir());

    let out = run(project.path(), &["plan", "--exit-code"]);
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    assert_eq!(
        stdout(&out),
        "No changes: the schema files match the migrations.\n"
    );

    let out = run(project.path(), &["apply"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("Nothing to write"),
        "{}",
        stdout(&out)
    );
}

/// Every hazard the example's plan has, as `--allow-hazards` takes them.
const ALL_HAZARDS: &str = "--allow-hazards=access_exclusive_lock,scans_table,builds_index";

#[test]
fn unaccepted_hazards_write_nothing() {
    let project = project();
    let before = tree(project.path());
    for args in [
        &["apply"][..],
        &["apply", "--dry-run"],
        &[
            "apply",
            "--allow-hazards",
            "access_exclusive_lock,scans_table",
        ],
    ] {
        let out = run(project.path(), args);
        assert_eq!(code(&out), 1, "{args:?}: {}", stdout(&out));
        let err = stderr(&out);
        assert!(err.contains("not accepted"), "{err}");
        assert!(err.contains("builds_index (builds an index):\n"), "{err}");
        assert!(
            err.contains("- create index core.episodes_season_air_date on core.episodes concurrently (expand_indexes)"),
            "{err}"
        );
        assert!(err.contains("nothing was written"), "{err}");
        assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    }
    let out = run(project.path(), &["apply", "--allow-hazards", "locks"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("`locks` is not a hazard"), "{err}");
    assert!(
        err.contains("access_exclusive_lock, rewrites_table"),
        "{err}"
    );
    assert_eq!(tree(project.path()), before);

    // Repeated flags add up.
    let out = run(
        project.path(),
        &[
            "apply",
            "--allow-hazards",
            "access_exclusive_lock,scans_table",
            "--allow-hazards",
            "builds_index",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn contract_approved_in_kdl_is_written() {
    let project = project();
    let people = project.path().join("schema/people.kdl");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        text.replace("    column born_on date nullable=#true\n", ""),
    )
    .unwrap();
    let hazards = "--allow-hazards=access_exclusive_lock,scans_table,builds_index,deletes_data";
    // A wrong approval leaves the contract held back, saying which step lacks one.
    let approvals = project.path().join("schema/approvals.kdl");
    std::fs::write(
        &approvals,
        "approve \"core.people.name\" reason=\"not this\"\n",
    )
    .unwrap();
    let out = run(project.path(), &["apply", "--dry-run", hazards]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("held back contract"), "{text}");
    assert!(
        text.contains("  - drop column core.people.born_on\n"),
        "{text}"
    );

    std::fs::write(
        &approvals,
        "approve \"core.people.born_on\" reason=\"never filled\"\n",
    )
    .unwrap();
    let out = run(project.path(), &["apply", hazards]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("held back"), "{text}");
    assert!(text.contains("_contract.sql (migration)"), "{text}");
    let out = run(project.path(), &["plan", "--exit-code"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));

    std::fs::write(
        &approvals,
        "approve \"core.people.born_on\"\napprove \"Core.People.Born_On\"\n",
    )
    .unwrap();
    let out = run(project.path(), &["plan"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("approvals.kdl:2:9"), "{err}");
    assert!(
        err.contains("`core.people.born_on` is approved twice"),
        "{err}"
    );
}

#[test]
fn destructive_changes_are_held_back() {
    let project = project();
    // Dropping a column from the schema files is destructive.
    let people = project.path().join("schema/people.kdl");
    let text = std::fs::read_to_string(&people).unwrap();
    std::fs::write(
        &people,
        text.replace("    column born_on date nullable=#true\n", ""),
    )
    .unwrap();

    let out = run(project.path(), &["apply", ALL_HAZARDS]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("held back"), "{}", stdout(&out));
    assert!(stdout(&out).contains("born_on"), "{}", stdout(&out));
    let out = run(project.path(), &["plan", "--exit-code"]);
    assert_eq!(code(&out), 2);

    // The contract's own hazards count once it is written.
    let out = run(project.path(), &["apply", "--allow-destructive"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(stderr(&out).contains("deletes_data"), "{}", stderr(&out));
    let out = run(
        project.path(),
        &[
            "apply",
            "--allow-destructive",
            "--allow-hazards",
            "access_exclusive_lock",
            "--allow-hazards",
            "deletes_data",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stdout(&out).contains("held back"), "{}", stdout(&out));
    let out = run(project.path(), &["plan", "--exit-code"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// Separate processes get separate hash seeds, so any hash-ordered iteration
/// reaching the output would show up here as a difference.
#[test]
fn plan_output_is_byte_identical_across_runs() {
    let project = project();
    for format in ["text", "sql", "json", "markdown"] {
        let first = run(project.path(), &["plan", "--format", format]);
        assert_eq!(code(&first), 0, "{}", stderr(&first));
        for _ in 0..3 {
            let again = run(project.path(), &["plan", "--format", format]);
            assert_eq!(
                stdout(&again),
                stdout(&first),
                "--format {format} changed between runs"
            );
        }
    }
}

#[test]
fn replay_notes_warn_when_the_plan_may_be_approximate() {
    let project = project();
    let out = run(project.path(), &["plan"]);
    assert!(
        stderr(&out).contains("replay kept 5 statements as notes, none with a schema effect"),
        "{}",
        stderr(&out)
    );

    let migration = project.path().join("supabase/migrations/0007_guarded.sql");
    std::fs::write(
        &migration,
        "DO $$ DECLARE n text; BEGIN SELECT slug INTO n FROM core.orgs LIMIT 1; EXECUTE format('ALTER TABLE core.shows ADD COLUMN x_%s int', n); END $$;\n",
    )
    .unwrap();
    let out = run(project.path(), &["plan"]);
    assert!(
        stderr(&out).contains(
            "warning: replay kept 6 statements as notes; 1 may change the schema in ways the replay does not follow"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("(--verbose lists them)"),
        "{}",
        stderr(&out)
    );

    let out = run(project.path(), &["plan", "--verbose"]);
    let listed = stderr(&out);
    assert!(
        listed.contains(
            "supabase/migrations/0007_guarded.sql:1:72: warning: EXECUTE of dynamic SQL: ALTER TABLE … ADD COLUMN (not followed: may change the schema)"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("supabase/migrations/0005_episode_synopsis_and_seed.sql:5:1: info: INSERT (data change, no schema effect)"),
        "{listed}"
    );
}

// ---- trr-schema replay ----

#[test]
fn replay_report_on_examples() {
    let project = project();
    let out = run(project.path(), &["replay"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    insta::assert_snapshot!("replay_text", stdout(&out));

    let verbose = run(project.path(), &["replay", "--verbose"]);
    assert_eq!(code(&verbose), 0, "{}", stderr(&verbose));
    assert!(
        stdout(&verbose).contains(
            "supabase/migrations/0005_episode_synopsis_and_seed.sql:5:1: info: INSERT (data change, no schema effect)"
        ),
        "{}",
        stdout(&verbose)
    );

    let json = run(project.path(), &["replay", "--format", "json"]);
    assert_eq!(code(&json), 0, "{}", stderr(&json));
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["version"], 1);
    assert_eq!(value["counts"]["info"], 5);
    assert!(value["shadow"].is_null());
    insta::assert_snapshot!("replay_json", stdout(&json));
}

#[test]
fn replay_lists_warnings_with_guessed_objects() {
    let project = project();
    std::fs::write(
        project.path().join("supabase/migrations/0007_dynamic.sql"),
        "DO $$ DECLARE n text; BEGIN SELECT slug INTO n FROM core.orgs LIMIT 1; EXECUTE format('ALTER TABLE core.shows ADD COLUMN x_%s int', n); END $$;\n",
    )
    .unwrap();
    let out = run(project.path(), &["replay"]);
    assert_eq!(code(&out), 0, "a report, not an error: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Statements kept as notes: 1 warning, 0 notices, 5 info"),
        "{text}"
    );
    assert!(
        text.contains("supabase/migrations/0007_dynamic.sql:1:72: warning: "),
        "{text}"
    );
    assert!(text.contains("may touch: core.shows"), "{text}");
}

#[test]
fn replay_with_an_unreachable_shadow_server_fails_cleanly() {
    let project = project();
    let out = run(
        project.path(),
        &[
            "replay",
            "--shadow-database-url",
            "postgres://postgres:secret@127.0.0.1:1/postgres",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        // (miette wraps long lines, so look for the parts)
        err.contains("no PostgreSQL at postgres://postgres:***@127.0.0.1:1/")
            && err.contains("Connection refused"),
        "{err}"
    );
    assert!(!err.contains("secret"), "{err}");
    assert!(!project.path().join("supabase/trr-schema").exists());
}

/// The test server's URL, or `None` (after saying so) outside CI when it is
/// unreachable, like `ScratchDb::for_test`.
fn shadow_server() -> Option<String> {
    engine::scratch::ScratchDb::for_test("trr_cli_probe").map(|_| engine::scratch::server_url())
}

#[test]
fn shadow_replay_writes_a_checkpoint_that_plan_starts_from() {
    let Some(server) = shadow_server() else {
        return;
    };
    let project = project();
    let out = run(
        project.path(),
        &["replay", "--shadow-database-url", &server],
    );
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("  offline replay and PostgreSQL agree\n"),
        "{text}"
    );
    let checkpoint = "supabase/trr-schema/checkpoints/0006_orgs_access.json";
    assert!(
        text.contains(&format!("checkpoint written: {checkpoint}")),
        "{text}"
    );
    let written = std::fs::read_to_string(project.path().join(checkpoint)).unwrap();

    // Written again byte for byte; `plan` says where it started only with --verbose.
    let again = run(
        project.path(),
        &["replay", "--shadow-database-url", &server],
    );
    assert_eq!(code(&again), 0);
    assert_eq!(
        std::fs::read_to_string(project.path().join(checkpoint)).unwrap(),
        written
    );
    let from = run(project.path(), &["replay"]);
    assert!(
        stdout(&from).starts_with(&format!(
            "Replay: 6 migration files, all from checkpoint {checkpoint}\n"
        )),
        "{}",
        stdout(&from)
    );
    let scratch = run(project.path(), &["replay", "--no-checkpoint"]);
    assert!(
        stdout(&scratch)
            .starts_with("Replay: 6 migration files, all replayed offline (no checkpoint used)\n"),
        "{}",
        stdout(&scratch)
    );
    let quiet = run(project.path(), &["plan"]);
    assert!(!stderr(&quiet).contains("checkpoint"), "{}", stderr(&quiet));
    let verbose = run(project.path(), &["plan", "--verbose"]);
    assert!(
        stderr(&verbose).contains(&format!(
            "replay started from checkpoint {checkpoint} (6 files)"
        )),
        "{}",
        stderr(&verbose)
    );
    assert_eq!(
        stdout(&verbose),
        stdout(&run(examples().as_path(), &["plan"]))
    );

    // An edited migration makes it stale: a warning naming it, and the plan is unchanged.
    let edited = project
        .path()
        .join("supabase/migrations/0002_orgs_and_shows.sql");
    let mut sql = std::fs::read_to_string(&edited).unwrap();
    sql.push_str("-- reviewed\n");
    std::fs::write(&edited, sql).unwrap();
    let stale = run(project.path(), &["plan"]);
    assert_eq!(code(&stale), 0);
    assert!(
        stderr(&stale).contains(&format!(
            "warning: ignoring checkpoint {checkpoint}: one of the first 6 migrations (through 0006_orgs_access.sql) was edited since it was written"
        )),
        "{}",
        stderr(&stale)
    );
    assert_eq!(stdout(&stale), stdout(&verbose));
}

#[test]
fn shadow_replay_reports_what_dynamic_sql_hid() {
    let Some(server) = shadow_server() else {
        return;
    };
    let project = project();
    std::fs::write(
        project.path().join("supabase/migrations/0007_drop_checks.sql"),
        "do $$\ndeclare stmt text;\nbegin\n  select 'alter table core.orgs ' || string_agg(format('drop constraint %I', conname), ', ')\n    into stmt\n    from pg_constraint\n   where conrelid = 'core.orgs'::regclass and contype = 'c';\n  execute stmt;\nend $$;\n",
    )
    .unwrap();
    let out = run(
        project.path(),
        &[
            "replay",
            "--format",
            "json",
            "--shadow-database-url",
            &server,
        ],
    );
    assert_eq!(code(&out), 2, "differences exit with 2: {}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let differences = value["shadow"]["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1, "{differences:#?}");
    assert_eq!(differences[0]["object"], "core.orgs.orgs_slug_check");
    assert!(differences[0]["shadow"].is_null());

    // The checkpoint makes the next offline replay exact: the plan now
    // restores the check constraint the loop dropped.
    let plan = run(project.path(), &["plan", "--verbose"]);
    assert!(
        stderr(&plan).contains("replay started from checkpoint supabase/trr-schema/checkpoints/0007_drop_checks.json (7 files)"),
        "{}",
        stderr(&plan)
    );
    assert!(
        stdout(&plan).contains("orgs_slug_check"),
        "{}",
        stdout(&plan)
    );
    let text = run(
        project.path(),
        &["replay", "--shadow-database-url", &server],
    );
    assert_eq!(code(&text), 2);
    assert!(
        stdout(&text).contains("    constraint core.orgs.orgs_slug_check: only in the offline replay: CONSTRAINT orgs_slug_check CHECK (slug ~ '^[a-z0-9-]+$')\n"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn shadow_replay_rescues_a_history_the_offline_replay_only_approximates() {
    let Some(server) = shadow_server() else {
        return;
    };
    let project = project();
    std::fs::write(
        project.path().join("supabase/migrations/0007_archive.sql"),
        "do $$\ndeclare stmt text;\nbegin\n  select 'create table core.orgs_archive (id uuid primary key, slug text)'\n    into stmt from pg_namespace where nspname = 'core';\n  execute stmt;\nend $$;\n\
         alter table core.orgs_archive alter column slug set not null;\n",
    )
    .unwrap();
    let before = run(project.path(), &["plan"]);
    // The table comes from SQL built at run time, so the offline replay does
    // not have it when the next statement alters it: that statement is a
    // consequence, skipped, and the table is approximate.
    assert_eq!(code(&before), 0, "{}", stderr(&before));
    assert!(
        stderr(&before).contains("1 object could only be approximated, because statements on them failed after one that was not followed: core.orgs_archive;"),
        "{}",
        stderr(&before)
    );

    let out = run(
        project.path(),
        &["replay", "--shadow-database-url", &server],
    );
    assert_eq!(code(&out), 2, "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Approximate objects (1): core.orgs_archive"),
        "{text}"
    );
    assert!(
        text.contains("between the offline replay and PostgreSQL")
            && text
                .lines()
                .any(|l| l.starts_with("    ") && l.contains("core.orgs_archive")),
        "PostgreSQL's table is a difference: {text}"
    );

    // From the checkpoint, plan works again, offline.
    let after = run(project.path(), &["plan"]);
    assert_eq!(code(&after), 0, "{}", stderr(&after));
    assert!(
        stdout(&after).contains("core.orgs_archive"),
        "{}",
        stdout(&after)
    );
}

#[test]
fn shadow_url_from_the_environment_then_the_config_file() {
    let Some(server) = shadow_server() else {
        return;
    };
    let project = project();
    let replay = |env: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_trr-schema"));
        command
            .args(["replay", "--format", "json"])
            .current_dir(project.path())
            .env("NO_COLOR", "1")
            .env_remove("TRR_SHADOW_DATABASE_URL");
        if let Some(url) = env {
            command.env("TRR_SHADOW_DATABASE_URL", url);
        }
        command.output().unwrap()
    };
    let out = replay(Some(&server));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(value["shadow"]["differences"], serde_json::json!([]));

    let config = project.path().join("trr-schema.toml");
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("shadow_database_url = \"host=127.0.0.1 port=1\"\n");
    std::fs::write(&config, text).unwrap();
    // The variable wins over the file…
    assert_eq!(code(&replay(Some(&server))), 0);
    // …and the file is used without it.
    let out = replay(None);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no PostgreSQL at host=127.0.0.1 port=1"),
        "{}",
        stderr(&out)
    );
}

/// A schema file carrying SQL where a name belongs (the security review's
/// function language) is refused before anything is written: exit 1, the
/// place in the file, and the migrations folder exactly as it was.
#[test]
fn hostile_value_is_refused_and_nothing_written() {
    let project = project();
    std::fs::write(
        project.path().join("schema/zz_hostile.kdl"),
        "function core.f returns=text language=#\"sql as $$ select 1::text $$; create table public.pwned(x int); create function core.zz() returns text language sql\"# {\n    body \"select 'a'\"\n}\n\ntable core.v {\n    column v int\n    comment \"a\\u{0}b\"\n    index v_v v { with fillfactor=\"70); drop table core.shows cascade; --\" }\n}\n",
    )
    .unwrap();
    let before = tree(project.path());
    let out = run(project.path(), &["apply", "--allow-destructive"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(tree(project.path()), before, "apply wrote files");
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    // The summary; the boxes below it are drawn in Unicode or ASCII
    // depending on the environment.
    let summary: Vec<String> = err
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.replace('×', "x").replace('│', "|"))
        .collect();
    insta::assert_snapshot!("hostile_values_refused", summary.join("\n"));
}

/// A rebuild whose guard the replay cannot decide (a probe over
/// `pg_roles`), then statements that only work if it ran: the replay goes
/// on (exit 0) and names the approximate objects; `plan` warns about them;
/// `apply` writes nothing while a step touches one, unless
/// `--allow-approximate`.
#[test]
fn approximate_objects_are_reported_and_guard_apply() {
    let project = project();
    std::fs::write(
        project
            .path()
            .join("supabase/migrations/0007_rebuild_air_date_index.sql"),
        "-- Rebuild the air-date index where the legacy role still owns the old one.
do $$
begin
  if exists (select 1 from pg_roles where rolname = 'trr_legacy') then
    alter index core.episodes_air_date_idx rename to episodes_air_date_idx_old;
  end if;
end $$;

create index episodes_air_date_idx on core.episodes (air_date);
drop index core.episodes_air_date_idx_old;
",
    )
    .unwrap();
    let out = run(project.path(), &["replay"]);
    assert_eq!(code(&out), 0, "a report, not an error: {}", stderr(&out));
    let report = stdout(&out);
    let notes = &report[report.find("Statements kept as notes").unwrap()..];
    insta::assert_snapshot!(notes);

    let plan = run(project.path(), &["plan"]);
    assert_eq!(code(&plan), 0, "{}", stderr(&plan));
    assert!(
        stderr(&plan).contains("warning: 3 objects could only be approximated, because statements on them failed after one that was not followed: core.episodes_air_date_idx, core.episodes_air_date_idx__approx, core.episodes_air_date_idx_old;"),
        "{}",
        stderr(&plan)
    );

    let before = tree(project.path());
    let hazards = "access_exclusive_lock,scans_table,builds_index,changes_access,rewrites_table";
    let out = run(project.path(), &["apply", "--allow-hazards", hazards]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    insta::assert_snapshot!(
        "apply_refuses_approximate",
        // Boxes are drawn in Unicode or ASCII depending on the environment.
        stderr(&out)
            .lines()
            .filter(|l| !l.starts_with("warning: "))
            .map(|l| l.replace('×', "x").replace('│', "|"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert_eq!(tree(project.path()), before, "nothing was written");

    let out = run(
        project.path(),
        &["apply", "--allow-hazards", hazards, "--allow-approximate"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).contains("wrote supabase/migrations/"),
        "{}",
        stdout(&out)
    );
    assert_ne!(tree(project.path()), before);
}
