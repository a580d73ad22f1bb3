//! A table rename with `compat-view=#true`, proven by behaviour in
//! PostgreSQL: after the cutover, the old application — the same API role,
//! the old table name — still reads and writes through the view, row-level
//! security still applies to it (the view is `security_invoker`), and every
//! row is under the new name. The contract drops the view; its rollback
//! brings the old application's access back.

use engine::plan::{Phase, PlanOptions, plan_declared};
use engine::scratch::ScratchDb;
use schema::Source;
use trr_snapshots::roundtrip::plan_text;

const USER_A: &str = "aaaaaaaa-0000-4000-8000-00000000000a";
const USER_B: &str = "bbbbbbbb-0000-4000-8000-00000000000b";

const BEFORE: &str = r#"
CREATE SCHEMA core;
GRANT USAGE ON SCHEMA core TO authenticated;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL,
    title text NOT NULL
);
ALTER TABLE core.shows ENABLE ROW LEVEL SECURITY;
CREATE POLICY "owners read" ON core.shows FOR SELECT TO authenticated USING (owner_id = auth.uid());
CREATE POLICY "owners write" ON core.shows FOR INSERT TO authenticated WITH CHECK (owner_id = auth.uid());
GRANT SELECT, INSERT ON core.shows TO authenticated;
"#;

const DESIRED: &str = r#"
schema core { grant usage to=authenticated }
table core.programs renamed-from=core.shows compat-view=#true {
    column id uuid default="gen_random_uuid()"
    column owner_id uuid
    column title text
    primary-key id
    rls
    policy "owners read" for=select to=authenticated using="owner_id = auth.uid()"
    policy "owners write" for=insert to=authenticated check="owner_id = auth.uid()"
    grant select insert to=authenticated
}
"#;

/// Runs `statement` as user `sub` of the `authenticated` role, in a
/// transaction that commits; the error message on failure.
fn as_user(db: &mut ScratchDb, sub: &str, statement: &str) -> Result<Vec<String>, String> {
    let mut tx = db.client().transaction().map_err(|e| e.to_string())?;
    tx.batch_execute("SET LOCAL ROLE authenticated")
        .map_err(|e| e.to_string())?;
    let claims = format!(r#"{{"sub":"{sub}","role":"authenticated"}}"#);
    tx.query_one(
        "SELECT set_config('request.jwt.claims', $1, true)",
        &[&claims],
    )
    .map_err(|e| e.to_string())?;
    let rows = tx
        .query(statement, &[])
        .map_err(|e| engine::scratch::describe(&e))?;
    tx.commit().map_err(|e| e.to_string())?;
    let mut values: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
    values.sort();
    Ok(values)
}

fn run(db: &mut ScratchDb, name: &str, sql: &str) {
    db.run_source(&Source::new(name, sql))
        .unwrap_or_else(|e| panic!("{name}: {e}\n{sql}"));
}

#[test]
fn old_application_keeps_working_through_the_compat_view() {
    let Some(mut db) = ScratchDb::for_test("trr_rename") else {
        return;
    };
    db.install_standin().unwrap_or_else(|e| panic!("{e}"));
    run(&mut db, "before.sql", BEFORE);
    db.client()
        .batch_execute(&format!(
            "INSERT INTO core.shows (owner_id, title) VALUES ('{USER_A}', 'a1'), ('{USER_B}', 'b1')"
        ))
        .unwrap();

    let current = engine::replay::replay_sources(&[Source::new("before.sql", BEFORE)])
        .unwrap()
        .catalog;
    let declared =
        schema::lang::load_sources_declared(&[Source::new("desired.kdl", DESIRED)], None)
            .unwrap_or_else(|e| panic!("{e}"));
    let options = PlanOptions::new(vec!["core".into(), "public".into()]);
    let planned = plan_declared(&current, &declared.catalog, &declared.intents, &options);
    let text = plan_text(&planned);
    assert!(planned.unsupported.is_empty(), "{text}");
    let phases: Vec<Phase> = planned.files.iter().map(|f| f.phase).collect();
    assert_eq!(phases, [Phase::Cutover, Phase::Contract], "{text}");

    // Cutover: the old name is the view now.
    run(&mut db, "cutover.sql", &planned.files[0].sql);
    let read = "SELECT title FROM core.shows";
    assert_eq!(as_user(&mut db, USER_A, read).unwrap(), ["a1"]);
    // The old application writes through the view, under RLS.
    as_user(
        &mut db,
        USER_A,
        &format!(
            "INSERT INTO core.shows (owner_id, title) VALUES ('{USER_A}', 'a2') RETURNING title"
        ),
    )
    .unwrap();
    let denied = as_user(
        &mut db,
        USER_A,
        &format!(
            "INSERT INTO core.shows (owner_id, title) VALUES ('{USER_B}', 'forged') RETURNING title"
        ),
    )
    .unwrap_err();
    assert!(denied.contains("row-level security"), "{denied}");
    // The new application sees the same rows under the new name.
    assert_eq!(
        as_user(&mut db, USER_A, "SELECT title FROM core.programs").unwrap(),
        ["a1", "a2"]
    );
    assert_eq!(
        as_user(&mut db, USER_B, "SELECT title FROM core.programs").unwrap(),
        ["b1"]
    );

    // Contract: the view is gone; its rollback restores the old access.
    run(&mut db, "contract.sql", &planned.files[1].sql);
    let gone = as_user(&mut db, USER_A, read).unwrap_err();
    assert!(gone.contains("does not exist"), "{gone}");
    run(&mut db, "contract rollback", &planned.files[1].rollback_sql);
    assert_eq!(as_user(&mut db, USER_A, read).unwrap(), ["a1", "a2"]);

    // Rolling back the cutover brings the table back under its old name.
    run(&mut db, "cutover rollback", &planned.files[0].rollback_sql);
    assert_eq!(
        as_user(&mut db, USER_B, "SELECT title FROM core.shows").unwrap(),
        ["b1"]
    );
    let count: i64 = db
        .client()
        .query_one("SELECT count(*) FROM core.shows", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 3);
}

const SERIAL_BEFORE: &str = r#"
CREATE SCHEMA core;
GRANT USAGE ON SCHEMA core TO authenticated;
CREATE TABLE core.persons (
    id bigserial PRIMARY KEY,
    full_name text NOT NULL
);
GRANT SELECT, INSERT ON core.persons TO authenticated;
GRANT USAGE, SELECT ON SEQUENCE core.persons_id_seq TO authenticated;
"#;

const SERIAL_DESIRED: &str = r#"
schema core { grant usage to=authenticated }
table core.people renamed-from=core.persons compat-view=#true {
    column id bigserial
    column full_name text
    primary-key id
    grant select insert to=authenticated
    grant usage select sequence=core.people_id_seq to=authenticated
}
"#;

/// `(id, full_name)` of every row, in id order.
fn people(db: &mut ScratchDb, table: &str) -> Vec<(i64, String)> {
    db.client()
        .query(
            &format!("SELECT id, full_name FROM {table} ORDER BY id"),
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// A table with a bigserial key renamed: the sequence is renamed with it,
/// keeps counting where it was and keeps its grants, so the old
/// application (through the view) and the new one (the table) both insert
/// without naming an id, as the API role; every rollback brings back the
/// rows and the access the phase before had.
#[test]
fn bigserial_key_keeps_counting_and_its_grants_across_the_rename() {
    let Some(mut db) = ScratchDb::for_test("trr_rename_serial") else {
        return;
    };
    db.install_standin().unwrap_or_else(|e| panic!("{e}"));
    run(&mut db, "before.sql", SERIAL_BEFORE);
    let insert = |table: &str, name: &str| {
        format!("INSERT INTO {table} (full_name) VALUES ('{name}') RETURNING full_name")
    };
    as_user(&mut db, USER_A, &insert("core.persons", "ada")).unwrap();

    let current = engine::replay::replay_sources(&[Source::new("before.sql", SERIAL_BEFORE)])
        .unwrap()
        .catalog;
    let declared =
        schema::lang::load_sources_declared(&[Source::new("desired.kdl", SERIAL_DESIRED)], None)
            .unwrap_or_else(|e| panic!("{e}"));
    let options = PlanOptions::new(vec!["core".into(), "public".into()]);
    let planned = plan_declared(&current, &declared.catalog, &declared.intents, &options);
    let text = plan_text(&planned);
    assert!(planned.unsupported.is_empty(), "{text}");
    let phases: Vec<Phase> = planned.files.iter().map(|f| f.phase).collect();
    assert_eq!(phases, [Phase::Cutover, Phase::Contract], "{text}");

    run(&mut db, "cutover.sql", &planned.files[0].sql);
    as_user(&mut db, USER_A, &insert("core.persons", "grace")).unwrap();
    as_user(&mut db, USER_A, &insert("core.people", "edsger")).unwrap();
    let after_cutover = people(&mut db, "core.people");
    assert_eq!(
        after_cutover,
        [
            (1, "ada".to_string()),
            (2, "grace".to_string()),
            (3, "edsger".to_string())
        ]
    );

    run(&mut db, "contract.sql", &planned.files[1].sql);
    as_user(&mut db, USER_A, &insert("core.people", "barbara")).unwrap();
    // Each rollback right after its phase gives back the state before it.
    run(&mut db, "contract rollback", &planned.files[1].rollback_sql);
    as_user(&mut db, USER_A, &insert("core.persons", "frances")).unwrap();
    run(&mut db, "cutover rollback", &planned.files[0].rollback_sql);
    as_user(&mut db, USER_A, &insert("core.persons", "john")).unwrap();
    let names: Vec<(i64, String)> = people(&mut db, "core.persons");
    let want: Vec<(i64, String)> = ["ada", "grace", "edsger", "barbara", "frances", "john"]
        .iter()
        .enumerate()
        .map(|(i, n)| (i as i64 + 1, n.to_string()))
        .collect();
    assert_eq!(names, want);
    let seq: String = db
        .client()
        .query_one("SELECT pg_get_serial_sequence('core.persons', 'id')", &[])
        .unwrap()
        .get(0);
    assert_eq!(seq, "core.persons_id_seq");
}
