//! `trr-schema plan` on `examples/`, through the library, in every format.
//! Read these snapshots as a user would: they are what the README shows.

use engine::config::Config;
use engine::plan::Plan;
use engine::report::{Format, render};
use insta::assert_snapshot;
use std::path::Path;

fn examples() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"))
        .expect("examples/trr-schema.toml")
}

fn plan() -> Plan {
    let config = examples();
    // As `plan` loads it: nothing declared outside `schemas`.
    let desired = schema::lang::load_dir_managed(&config.schema_dir, &config.schemas)
        .unwrap_or_else(|e| panic!("examples/schema loads: {e}"));
    let replayed =
        engine::replay::replay_dir(&config.migrations_dir).expect("examples migrations replay");
    engine::plan::plan(&replayed.catalog, &desired, &config.plan_options())
}

#[test]
fn text() {
    assert_snapshot!(render(&plan(), Format::Text));
}

#[test]
fn markdown() {
    assert_snapshot!(render(&plan(), Format::Markdown));
}

#[test]
fn json() {
    assert_snapshot!(render(&plan(), Format::Json));
}

#[test]
fn sql() {
    assert_snapshot!(render(&plan(), Format::Sql));
}

#[test]
fn replay_notes() {
    let config = examples();
    let replayed =
        engine::replay::replay_dir(&config.migrations_dir).expect("examples migrations replay");
    let notes: Vec<String> = replayed
        .notes
        .iter()
        .map(|n| {
            let file = n.file.file_name().unwrap_or_default().to_string_lossy();
            format!("{file}:{}:{}: {}", n.line, n.column, n.reason)
        })
        .collect();
    assert_snapshot!(notes.join("\n"));
}

#[test]
fn the_example_has_every_kind_of_edit() {
    let plan = plan();
    assert!(
        !plan.files.iter().any(|f| f.is_destructive()),
        "the example needs no --allow-destructive"
    );
    assert!(
        plan.files
            .iter()
            .any(|f| !f.transactional && f.sql.contains("CREATE INDEX CONCURRENTLY")),
        "the new index on core.episodes gets a concurrent file"
    );
    let summaries: Vec<&str> = plan.steps().map(|s| s.object.name.as_str()).collect();
    for object in [
        "core.ratings",
        "core.shows.summary",
        "core.episodes_season_air_date",
    ] {
        assert!(
            summaries.iter().any(|s| s.contains(object)),
            "{object} missing from {summaries:?}"
        );
    }
}
