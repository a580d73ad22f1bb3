//! The backfill file's `DO` loop, run in PostgreSQL on tables with rows:
//! it fills every row, one committed transaction per batch, and a second
//! run changes nothing (no row gets a new version).

use engine::plan::{BACKFILL_MARKER, Plan, PlanOptions, plan_declared};
use engine::replay::replay_sources;
use engine::scratch::{ScratchDb, run_statements};
use schema::{Ident, Source};

fn run(db: &mut ScratchDb, what: &str, sql: &str) {
    if let Err(e) = run_statements(db.client(), &Source::new(what, sql)) {
        panic!("PostgreSQL rejected {what}: {e}\n{sql}");
    }
}

/// Plans `before` → `desired` with batches of 300 rows and no pause.
fn plan_for(before: &str, desired: &str) -> Plan {
    let current = replay_sources(&[Source::new("before.sql", before)])
        .unwrap()
        .catalog;
    let declared =
        schema::lang::load_sources_declared(&[Source::new("desired.kdl", desired)], None).unwrap();
    let mut options = PlanOptions::new(vec![Ident::new("core")]);
    options.backfill_batch_size = 300;
    options.backfill_pause_ms = 0;
    let plan = plan_declared(&current, &declared.catalog, &declared.intents, &options);
    assert!(plan.unsupported.is_empty(), "{:?}", plan.unsupported);
    plan
}

fn file<'p>(plan: &'p Plan, slug: &str) -> &'p str {
    &plan
        .files
        .iter()
        .find(|f| f.slug == slug)
        .unwrap_or_else(|| panic!("no {slug} file"))
        .sql
}

/// Every row's version (`xmin`), by key: a batch commits its own
/// transaction, so the rows of one batch share one.
fn versions(db: &mut ScratchDb, table: &str, key: &str) -> Vec<String> {
    db.client()
        .query(
            &format!("SELECT xmin::text FROM {table} ORDER BY {key}"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

fn count(db: &mut ScratchDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).unwrap().get(0)
}

#[test]
fn rename_backfill_fills_2000_rows_in_batches_and_reruns_as_a_no_op() {
    let Some(mut db) = ScratchDb::for_test("backfill_rename") else {
        return;
    };
    let before = "CREATE SCHEMA core;\nCREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL, title text NOT NULL);\n";
    let plan = plan_for(
        before,
        "schema core\ntable core.shows {\n column id bigint\n column slug text renamed-from=handle\n column title text\n primary-key id\n}\n",
    );
    run(&mut db, "before", before);
    run(
        &mut db,
        "rows",
        "INSERT INTO core.shows SELECT i, 'show-' || i, 'Show ' || i FROM generate_series(1, 2000) AS i;",
    );
    run(&mut db, "expand", file(&plan, "expand"));
    let backfill = file(&plan, "backfill");
    assert!(
        backfill
            .lines()
            .any(|l| l.starts_with(BACKFILL_MARKER) && l.contains("\"batch_size\":300"))
    );
    run(&mut db, "backfill", backfill);
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM core.shows WHERE slug IS DISTINCT FROM handle"
        ),
        0
    );
    let first = versions(&mut db, "core.shows", "id");
    let mut batches = first.clone();
    batches.dedup();
    // 2,000 rows in batches of 300: 7 transactions, in key order.
    assert_eq!(batches.len(), 7, "{batches:?}");
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM pg_description WHERE description = 'trr-schema: backfilled'"
        ),
        1
    );

    run(&mut db, "backfill again", backfill);
    assert_eq!(versions(&mut db, "core.shows", "id"), first);
}

#[test]
fn fill_backfill_walks_a_composite_key() {
    let Some(mut db) = ScratchDb::for_test("backfill_composite") else {
        return;
    };
    let before = "CREATE SCHEMA core;\nCREATE TABLE core.\"Episodes\" (show_id int NOT NULL, \"No\" int NOT NULL, title text NOT NULL, PRIMARY KEY (show_id, \"No\"));\n";
    let plan = plan_for(
        before,
        r####"schema core
table #"core."Episodes""# {
    column show_id int
    column "\"No\"" int
    column title text
    column sort_title text backfill="lower(title) || '''s'"
    primary-key show_id "\"No\""
}
"####,
    );
    run(&mut db, "before", before);
    // 40 shows of 50 episodes: batches cross show boundaries.
    run(
        &mut db,
        "rows",
        "INSERT INTO core.\"Episodes\" SELECT s, e, 'Ep ' || s || '-' || e FROM generate_series(1, 40) AS s, generate_series(1, 50) AS e;",
    );
    run(&mut db, "expand", file(&plan, "expand"));
    run(&mut db, "backfill", file(&plan, "backfill"));
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM core.\"Episodes\" WHERE sort_title IS DISTINCT FROM lower(title) || '''s'"
        ),
        0
    );
    let first = versions(&mut db, "core.\"Episodes\"", "show_id, \"No\"");
    let mut batches = first.clone();
    batches.dedup();
    assert_eq!(batches.len(), 7, "{batches:?}");
    run(&mut db, "backfill again", file(&plan, "backfill"));
    assert_eq!(
        versions(&mut db, "core.\"Episodes\"", "show_id, \"No\""),
        first
    );
    // The old application's inserts get the value from the fill trigger.
    run(
        &mut db,
        "old app insert",
        "INSERT INTO core.\"Episodes\" (show_id, \"No\", title) VALUES (99, 1, 'New');",
    );
    run(&mut db, "cutover", file(&plan, "cutover"));
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM core.\"Episodes\" WHERE sort_title = 'new''s'"
        ),
        1
    );
}
