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
    // The NOT VALID check of the NOT NULL goes on after the backfill.
    run(&mut db, "dual_write", file(&plan, "dual_write"));
    run(&mut db, "cutover", file(&plan, "cutover"));
    assert_eq!(
        count(
            &mut db,
            "SELECT count(*) FROM core.\"Episodes\" WHERE sort_title = 'new''s'"
        ),
        1
    );
}

fn rollback<'p>(plan: &'p Plan, slug: &str) -> &'p str {
    &plan
        .files
        .iter()
        .find(|f| f.slug == slug)
        .unwrap()
        .rollback_sql
}

/// `(id, handle, slug)` of every row, in key order.
fn pairs(db: &mut ScratchDb, with_handle: bool) -> Vec<(i64, Option<String>, Option<String>)> {
    let handle = if with_handle { "handle" } else { "NULL::text" };
    db.client()
        .query(
            &format!("SELECT id, {handle}, slug FROM core.shows ORDER BY id"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
}

#[test]
fn rename_triggers_keep_old_and_new_writers_in_step() {
    let Some(mut db) = ScratchDb::for_test("rollout_rename_writes") else {
        return;
    };
    let before = "CREATE SCHEMA core;\nCREATE TABLE core.shows (id bigint PRIMARY KEY, handle text NOT NULL DEFAULT 'untitled', title text NOT NULL);\n";
    let plan = plan_for(
        before,
        "schema core\ntable core.shows {\n column id bigint\n column slug text renamed-from=handle default=\"'untitled'\"\n column title text\n primary-key id\n}\n",
    );
    run(&mut db, "before", before);
    run(
        &mut db,
        "rows",
        "INSERT INTO core.shows SELECT i, 'h' || i, 't' FROM generate_series(1, 10) AS i;",
    );
    run(&mut db, "expand", file(&plan, "expand"));
    // Old application during expand: inserts and updates through handle.
    run(
        &mut db,
        "old writes",
        "INSERT INTO core.shows (id, handle, title) VALUES (11, 'h11', 't');\n\
         INSERT INTO core.shows (id, title) VALUES (12, 't');\n\
         UPDATE core.shows SET handle = 'h1-changed' WHERE id = 1;",
    );
    run(&mut db, "backfill", file(&plan, "backfill"));
    run(&mut db, "dual_write", file(&plan, "dual_write"));
    // Both applications write; each write reaches the other column.
    run(
        &mut db,
        "both write",
        "INSERT INTO core.shows (id, handle, title) VALUES (13, 'h13', 't');\n\
         INSERT INTO core.shows (id, slug, title) VALUES (14, 's14', 't');\n\
         UPDATE core.shows SET slug = 's2' WHERE id = 2;\n\
         UPDATE core.shows SET handle = 'h3-changed' WHERE id = 3;\n\
         UPDATE core.shows SET title = 'x' WHERE id = 4;",
    );
    let rows = pairs(&mut db, true);
    for (id, handle, slug) in &rows {
        assert_eq!(handle, slug, "row {id}: {rows:?}");
    }
    let value = |id: i64| rows.iter().find(|r| r.0 == id).unwrap().2.clone().unwrap();
    assert_eq!(value(1), "h1-changed");
    assert_eq!(value(2), "s2");
    assert_eq!(value(3), "h3-changed");
    assert_eq!(value(12), "untitled");
    assert_eq!(value(14), "s14");

    run(&mut db, "cutover", file(&plan, "cutover"));
    run(
        &mut db,
        "new app after cutover",
        "INSERT INTO core.shows (id, title) VALUES (15, 't');",
    );
    run(&mut db, "contract", file(&plan, "contract"));
    let after_contract = pairs(&mut db, false);
    assert_eq!(after_contract.len(), 15);
    // The contract's rollback brings handle back with every row's value.
    run(&mut db, "contract rollback", rollback(&plan, "contract"));
    let restored = pairs(&mut db, true);
    for (id, handle, slug) in &restored {
        assert_eq!(handle, slug, "row {id}: {restored:?}");
    }
    assert_eq!(
        restored.iter().find(|r| r.0 == 15).unwrap().1.as_deref(),
        Some("untitled")
    );
}
