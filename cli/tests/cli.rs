//! Runs the built `trr-schema` binary on temporary copies of `examples/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// A fresh copy of the example project.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&examples(), dir.path());
    dir
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

/// Every file under `dir` with its contents, sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), text));
            }
        }
    }
    files.sort();
    files
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trr-schema"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited, not killed")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

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
        &["apply", "--dry-run", "--name", "Add ratings"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(tree(project.path()), before);
    let text = stdout(&out);
    assert!(
        text.contains("--- supabase/migrations/0006_add_ratings_"),
        "{text}"
    );
    assert!(
        text.contains("--- supabase/rollbacks/0006_add_ratings_"),
        "{text}"
    );
    assert!(text.contains("CREATE INDEX CONCURRENTLY"), "{text}");
    assert!(text.contains("dry run: nothing was written"), "{text}");
}

#[test]
fn apply_refuses_to_overwrite() {
    let project = project();
    let dry = stdout(&run(project.path(), &["apply", "--dry-run"]));
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

    let out = run(project.path(), &["apply"]);
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
    let out = run(project.path(), &["apply"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("wrote supabase/migrations/0006_"), "{text}");
    assert!(text.contains("wrote supabase/rollbacks/0006_"), "{text}");
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

    let out = run(project.path(), &["apply"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("held back"), "{}", stdout(&out));
    assert!(stdout(&out).contains("born_on"), "{}", stdout(&out));
    let out = run(project.path(), &["plan", "--exit-code"]);
    assert_eq!(code(&out), 2);

    let out = run(project.path(), &["apply", "--allow-destructive"]);
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

    let migration = project.path().join("supabase/migrations/0006_guarded.sql");
    std::fs::write(
        &migration,
        "DO $$ BEGIN EXECUTE format('ALTER TABLE core.shows ADD COLUMN x_%s int', to_char(now(), 'YYYY')); END $$;\n",
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
            "supabase/migrations/0006_guarded.sql:1:13: warning: EXECUTE of dynamic SQL: ALTER TABLE … ADD COLUMN (not followed: may change the schema)"
        ),
        "{listed}"
    );
    assert!(
        listed.contains("supabase/migrations/0005_episode_synopsis_and_seed.sql:5:1: info: INSERT (data change, no schema effect)"),
        "{listed}"
    );
}
