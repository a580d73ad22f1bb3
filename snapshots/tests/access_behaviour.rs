//! The access templates, proven by behaviour in PostgreSQL.
//!
//! Each test loads a KDL declaration, plans it from what a fresh Supabase
//! project has (`schema::provided::platform_catalog()`), applies the plan's
//! files to a scratch database with the Supabase stand-in, inserts rows for
//! two users as `postgres` (the table owner, whom RLS does not restrict),
//! and then acts as the API roles do: `SET ROLE authenticated` (or `anon`,
//! `service_role`) with `request.jwt.claims` set, inside a transaction that
//! is rolled back after each check, so checks do not see each other's
//! writes.
//!
//! What a template must give, per the KDL spec: user A sees and changes only
//! what the template allows; B's rows are invisible to A, A's updates and
//! deletes of them affect 0 rows, and A's inserts of rows for B fail with
//! an RLS error; `anon` gets nothing unless declared (the schema is usable,
//! the table is not granted: "permission denied"); `service_role` reaches a
//! table outside `public` only where `service-bypass` is declared. Policies
//! declared on `storage.objects` and the `timestamps` trigger are checked
//! the same way.

use engine::plan::{PlanOptions, plan};
use engine::scratch::ScratchDb;
use postgres::error::SqlState;
use schema::Source;
use trr_snapshots::roundtrip::{default_schemas, plan_text};

const USER_A: &str = "aaaaaaaa-0000-4000-8000-00000000000a";
const USER_B: &str = "bbbbbbbb-0000-4000-8000-00000000000b";
const ORG_X: &str = "0000000a-0000-4000-8000-0000000000f1";
const ORG_Y: &str = "0000000a-0000-4000-8000-0000000000f2";
const ORG_Z: &str = "0000000b-0000-4000-8000-0000000000f3";

/// The schema the tables live in, usable by every API role: what blocks a
/// role is then the table's own privileges and policies.
const CORE: &str = r#"
schema core {
    grant usage to="anon authenticated service_role"
}
"#;

/// A scratch database with the stand-in, the two users in `auth.users`, and
/// `kdl` applied by the plan from a fresh project. `None`: no server (the
/// test is skipped, outside CI).
fn database(kdl: &str) -> Option<ScratchDb> {
    let source = Source::new("schema/access.kdl", kdl);
    let desired =
        schema::lang::load_sources(std::slice::from_ref(&source)).unwrap_or_else(|e| panic!("{e}"));
    let options = PlanOptions {
        statement_timeout: "1min".into(),
        ..PlanOptions::new(default_schemas(&desired))
    };
    let planned = plan(&schema::provided::platform_catalog(), &desired, &options);
    assert!(
        planned.unsupported.is_empty(),
        "unsupported:\n{}",
        plan_text(&planned)
    );
    let mut db = ScratchDb::for_test("trr_access")?;
    db.install_standin().unwrap_or_else(|e| panic!("{e}"));
    for (i, file) in planned.files.iter().enumerate() {
        let source = Source::new(format!("plan/{:04}_{}.sql", i + 1, file.slug), &file.sql);
        db.run_source(&source)
            .unwrap_or_else(|e| panic!("{e}\nplan:\n{}", plan_text(&planned)));
    }
    sql(
        &mut db,
        &format!(
            "insert into auth.users (id, email) values ('{USER_A}', 'a@example.com'), ('{USER_B}', 'b@example.com')"
        ),
    );
    Some(db)
}

/// Runs `statement` as `postgres`, panicking on failure.
fn sql(db: &mut ScratchDb, statement: &str) {
    db.client()
        .batch_execute(statement)
        .unwrap_or_else(|e| panic!("{statement}: {}", engine::scratch::describe(&e)));
}

/// Who runs a statement: a role and, for `authenticated`, the JWT claims.
#[derive(Clone, Copy)]
enum Who<'a> {
    /// `authenticated` with `sub` = this user and no other claim.
    User(&'a str),
    /// `authenticated` with `sub` and `app_role` (or another claim) set.
    UserWithClaim(&'a str, &'a str, &'a str),
    /// `authenticated` with claims but no `sub`.
    NoUser,
    Anon,
    Service,
}

impl Who<'_> {
    fn role(self) -> &'static str {
        match self {
            Who::User(_) | Who::UserWithClaim(..) | Who::NoUser => "authenticated",
            Who::Anon => "anon",
            Who::Service => "service_role",
        }
    }

    fn claims(self) -> String {
        match self {
            Who::User(sub) => format!(r#"{{"sub":"{sub}","role":"authenticated"}}"#),
            Who::UserWithClaim(sub, claim, value) => {
                format!(r#"{{"sub":"{sub}","role":"authenticated","{claim}":"{value}"}}"#)
            }
            Who::NoUser => r#"{"role":"authenticated"}"#.into(),
            Who::Anon => r#"{"role":"anon"}"#.into(),
            Who::Service => r#"{"role":"service_role"}"#.into(),
        }
    }
}

/// What a statement did as an API role.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// The statement ran; the first column of each row returned, sorted
    /// (queries), or nothing for writes without RETURNING.
    Rows(Vec<String>),
    /// It ran and changed this many rows.
    Changed(u64),
    /// `permission denied for …` (no privilege).
    PermissionDenied,
    /// `new row violates row-level security policy …` (a WITH CHECK, or no
    /// policy allowing the insert).
    RlsViolation,
}

/// Runs `statement` as `who` in a transaction that is rolled back.
/// `query`: read rows rather than count changes.
fn attempt(db: &mut ScratchDb, who: Who<'_>, statement: &str, query: bool) -> Outcome {
    let mut tx = db.client().transaction().expect("begin");
    tx.batch_execute(&format!("SET LOCAL ROLE {}", who.role()))
        .expect("set role");
    tx.query_one(
        "SELECT set_config('request.jwt.claims', $1, true)",
        &[&who.claims()],
    )
    .expect("set claims");
    let result = if query {
        tx.query(statement, &[]).map(|rows| {
            let mut values: Vec<String> = rows.iter().map(|r| r.get::<_, String>(0)).collect();
            values.sort();
            Outcome::Rows(values)
        })
    } else {
        tx.execute(statement, &[]).map(Outcome::Changed)
    };
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            let db_error = e
                .as_db_error()
                .unwrap_or_else(|| panic!("{statement}: {e}"));
            assert_eq!(
                db_error.code(),
                &SqlState::INSUFFICIENT_PRIVILEGE,
                "{statement}: {}",
                db_error.message()
            );
            if db_error.message().contains("row-level security") {
                Outcome::RlsViolation
            } else if db_error.message().starts_with("permission denied") {
                Outcome::PermissionDenied
            } else {
                panic!("{statement}: unexpected error {}", db_error.message())
            }
        }
    };
    tx.rollback().expect("rollback");
    outcome
}

fn select(db: &mut ScratchDb, who: Who<'_>, statement: &str) -> Outcome {
    attempt(db, who, statement, true)
}

fn change(db: &mut ScratchDb, who: Who<'_>, statement: &str) -> Outcome {
    attempt(db, who, statement, false)
}

fn rows(values: &[&str]) -> Outcome {
    Outcome::Rows(values.iter().map(|s| s.to_string()).collect())
}

// ---- owner ------------------------------------------------------------------

const OWNER: &str = r#"
table core.docs {
    column id uuid default="gen_random_uuid()" primary-key=#true
    column owner_id uuid { references auth.users id on-delete=cascade; }
    column title text
    access owner column=owner_id
}
"#;

fn owner_db() -> Option<ScratchDb> {
    let mut db = database(&format!("{CORE}{OWNER}"))?;
    sql(
        &mut db,
        &format!(
            "insert into core.docs (owner_id, title) values ('{USER_A}', 'a doc'), ('{USER_B}', 'b doc')"
        ),
    );
    Some(db)
}

#[test]
fn owner_sees_and_changes_only_own_rows() {
    let Some(mut db) = owner_db() else { return };
    let a = Who::User(USER_A);
    assert_eq!(
        select(&mut db, a, "select title from core.docs"),
        rows(&["a doc"])
    );
    assert_eq!(
        select(&mut db, Who::User(USER_B), "select title from core.docs"),
        rows(&["b doc"])
    );
    // Updates and deletes reach A's row only.
    assert_eq!(
        change(&mut db, a, "update core.docs set title = title || '!'"),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("update core.docs set title = 'x' where owner_id = '{USER_B}'")
        ),
        Outcome::Changed(0)
    );
    assert_eq!(
        change(&mut db, a, "delete from core.docs"),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("delete from core.docs where owner_id = '{USER_B}'")
        ),
        Outcome::Changed(0)
    );
    // Inserting: only as oneself.
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("insert into core.docs (owner_id, title) values ('{USER_A}', 'new')")
        ),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("insert into core.docs (owner_id, title) values ('{USER_B}', 'forged')")
        ),
        Outcome::RlsViolation
    );
    // WITH CHECK on UPDATE: A cannot hand a row to B.
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("update core.docs set owner_id = '{USER_B}'")
        ),
        Outcome::RlsViolation
    );
}

#[test]
fn owner_gives_anon_and_service_role_nothing() {
    let Some(mut db) = owner_db() else { return };
    assert_eq!(
        select(&mut db, Who::Anon, "select title from core.docs"),
        Outcome::PermissionDenied
    );
    assert_eq!(
        change(
            &mut db,
            Who::Anon,
            &format!("insert into core.docs (owner_id, title) values ('{USER_A}', 'x')")
        ),
        Outcome::PermissionDenied
    );
    // No service-bypass declared, and core is not public: no grant at all.
    assert_eq!(
        select(&mut db, Who::Service, "select title from core.docs"),
        Outcome::PermissionDenied
    );
    // Authenticated without a user (no `sub`: auth.uid() is null) sees nothing.
    assert_eq!(
        select(&mut db, Who::NoUser, "select title from core.docs"),
        rows(&[])
    );
}

#[test]
fn owner_limited_to_some_commands_grants_only_those() {
    let kdl = format!(
        "{CORE}{}",
        OWNER.replace(
            "access owner column=owner_id",
            "access owner column=owner_id allow=\"select insert\""
        )
    );
    let Some(mut db) = database(&kdl) else { return };
    sql(
        &mut db,
        &format!("insert into core.docs (owner_id, title) values ('{USER_A}', 'a doc')"),
    );
    let a = Who::User(USER_A);
    assert_eq!(
        select(&mut db, a, "select title from core.docs"),
        rows(&["a doc"])
    );
    assert_eq!(
        change(&mut db, a, "update core.docs set title = 'x'"),
        Outcome::PermissionDenied
    );
    assert_eq!(
        change(&mut db, a, "delete from core.docs"),
        Outcome::PermissionDenied
    );
}

// ---- org-membership -----------------------------------------------------------

/// A (editor in X, viewer in Y) and B (admin in Z). The members table is
/// readable by each user for their own rows: the template's subquery runs as
/// the user, so it needs that.
const ORG: &str = r#"
table core.orgs {
    column id uuid primary-key=#true
    column name text
}
table core.memberships {
    column org_id uuid { references core.orgs id on-delete=cascade; }
    column user_id uuid { references auth.users id on-delete=cascade; }
    column role text
    primary-key org_id user_id
    rls
    policy "own memberships" for=select to=authenticated using="user_id = (select auth.uid())"
    grant select to=authenticated
}
table core.shows {
    column id uuid default="gen_random_uuid()" primary-key=#true
    column org_id uuid { references core.orgs id on-delete=cascade; }
    column title text
    access org-membership column=org_id members=core.memberships read=viewer write=editor delete=admin
}
"#;

fn org_db() -> Option<ScratchDb> {
    let mut db = database(&format!("{CORE}{ORG}"))?;
    sql(
        &mut db,
        &format!(
            "insert into core.orgs (id, name) values ('{ORG_X}', 'X'), ('{ORG_Y}', 'Y'), ('{ORG_Z}', 'Z');
             insert into core.memberships (org_id, user_id, role) values
                ('{ORG_X}', '{USER_A}', 'editor'), ('{ORG_Y}', '{USER_A}', 'viewer'), ('{ORG_Z}', '{USER_B}', 'admin');
             insert into core.shows (org_id, title) values ('{ORG_X}', 'x show'), ('{ORG_Y}', 'y show'), ('{ORG_Z}', 'z show');"
        ),
    );
    Some(db)
}

#[test]
fn org_members_see_their_orgs_and_write_by_tier() {
    let Some(mut db) = org_db() else { return };
    let a = Who::User(USER_A);
    let b = Who::User(USER_B);
    // Viewer and editor both read; Z (B's org) is invisible to A.
    assert_eq!(
        select(&mut db, a, "select title from core.shows"),
        rows(&["x show", "y show"])
    );
    assert_eq!(
        select(&mut db, b, "select title from core.shows"),
        rows(&["z show"])
    );
    // Editor writes in X only; viewer in Y cannot; Z is out of reach.
    assert_eq!(
        change(&mut db, a, "update core.shows set title = title || '!'"),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("update core.shows set title = 'x' where org_id = '{ORG_Z}'")
        ),
        Outcome::Changed(0)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("insert into core.shows (org_id, title) values ('{ORG_X}', 'new')")
        ),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("insert into core.shows (org_id, title) values ('{ORG_Y}', 'new')")
        ),
        Outcome::RlsViolation
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("insert into core.shows (org_id, title) values ('{ORG_Z}', 'new')")
        ),
        Outcome::RlsViolation
    );
    // Moving a show to an org where A is not an editor fails WITH CHECK.
    assert_eq!(
        change(
            &mut db,
            a,
            &format!("update core.shows set org_id = '{ORG_Y}' where org_id = '{ORG_X}'")
        ),
        Outcome::RlsViolation
    );
    // Delete needs admin: A is admin nowhere, B in Z.
    assert_eq!(
        change(&mut db, a, "delete from core.shows"),
        Outcome::Changed(0)
    );
    assert_eq!(
        change(&mut db, b, "delete from core.shows"),
        Outcome::Changed(1)
    );
}

#[test]
fn org_membership_gives_anon_and_service_role_nothing() {
    let Some(mut db) = org_db() else { return };
    assert_eq!(
        select(&mut db, Who::Anon, "select title from core.shows"),
        Outcome::PermissionDenied
    );
    assert_eq!(
        select(&mut db, Who::Service, "select title from core.shows"),
        Outcome::PermissionDenied
    );
    // A user with no membership sees nothing.
    let stranger = "cccccccc-0000-4000-8000-00000000000c";
    assert_eq!(
        select(&mut db, Who::User(stranger), "select title from core.shows"),
        rows(&[])
    );
}

// ---- role-based ---------------------------------------------------------------

const ROLES: &str = r#"
table core.announcements {
    column id bigint identity=always primary-key=#true
    column body text
    access role-based select=viewer insert=editor update=editor delete=admin
}
"#;

fn roles_db() -> Option<ScratchDb> {
    let mut db = database(&format!("{CORE}{ROLES}"))?;
    sql(
        &mut db,
        "insert into core.announcements (body) values ('hello'), ('world')",
    );
    Some(db)
}

fn with_role(user: &'static str, role: &'static str) -> Who<'static> {
    Who::UserWithClaim(user, "app_role", role)
}

#[test]
fn role_ladder_decides_each_command() {
    let Some(mut db) = roles_db() else { return };
    let viewer = with_role(USER_B, "viewer");
    let editor = with_role(USER_A, "editor");
    let admin = with_role(USER_A, "admin");
    let both = rows(&["hello", "world"]);
    for who in [viewer, editor, admin] {
        assert_eq!(
            select(&mut db, who, "select body from core.announcements"),
            both
        );
    }
    let insert = "insert into core.announcements (body) values ('new')";
    assert_eq!(change(&mut db, viewer, insert), Outcome::RlsViolation);
    assert_eq!(change(&mut db, editor, insert), Outcome::Changed(1));
    assert_eq!(change(&mut db, admin, insert), Outcome::Changed(1));
    let update = "update core.announcements set body = upper(body)";
    assert_eq!(change(&mut db, viewer, update), Outcome::Changed(0));
    assert_eq!(change(&mut db, editor, update), Outcome::Changed(2));
    let delete = "delete from core.announcements";
    assert_eq!(change(&mut db, editor, delete), Outcome::Changed(0));
    assert_eq!(change(&mut db, admin, delete), Outcome::Changed(2));
}

#[test]
fn role_based_without_a_role_claim_gives_nothing() {
    let Some(mut db) = roles_db() else { return };
    // Authenticated but no app_role claim, or an unknown role: no rows.
    let plain = Who::User(USER_A);
    assert_eq!(
        select(&mut db, plain, "select body from core.announcements"),
        rows(&[])
    );
    assert_eq!(
        select(
            &mut db,
            with_role(USER_A, "superuser"),
            "select body from core.announcements"
        ),
        rows(&[])
    );
    assert_eq!(
        change(
            &mut db,
            plain,
            "insert into core.announcements (body) values ('x')"
        ),
        Outcome::RlsViolation
    );
    assert_eq!(
        select(&mut db, Who::Anon, "select body from core.announcements"),
        Outcome::PermissionDenied
    );
    assert_eq!(
        select(&mut db, Who::Service, "select body from core.announcements"),
        Outcome::PermissionDenied
    );
}

// ---- service-bypass -------------------------------------------------------------

#[test]
fn service_role_reaches_only_tables_with_service_bypass() {
    let kdl = format!(
        r#"{CORE}{OWNER}
table core.jobs {{
    column id bigint identity=always primary-key=#true
    column payload text
    access service-bypass
}}
"#
    );
    let Some(mut db) = database(&kdl) else { return };
    sql(
        &mut db,
        &format!(
            "insert into core.jobs (payload) values ('one'), ('two');
             insert into core.docs (owner_id, title) values ('{USER_A}', 'a doc');"
        ),
    );
    let service = Who::Service;
    assert_eq!(
        select(&mut db, service, "select payload from core.jobs"),
        rows(&["one", "two"])
    );
    assert_eq!(
        change(
            &mut db,
            service,
            "insert into core.jobs (payload) values ('three')"
        ),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            service,
            "update core.jobs set payload = upper(payload)"
        ),
        Outcome::Changed(2)
    );
    assert_eq!(
        change(&mut db, service, "delete from core.jobs"),
        Outcome::Changed(2)
    );
    // The owner-only table next to it stays closed to service_role.
    assert_eq!(
        select(&mut db, service, "select title from core.docs"),
        Outcome::PermissionDenied
    );
    // Users and anon get nothing from service-bypass.
    assert_eq!(
        select(&mut db, Who::User(USER_A), "select payload from core.jobs"),
        Outcome::PermissionDenied
    );
    assert_eq!(
        select(&mut db, Who::Anon, "select payload from core.jobs"),
        Outcome::PermissionDenied
    );
}

#[test]
fn owner_with_service_bypass_serves_both() {
    let kdl = format!(
        "{CORE}{}",
        OWNER.replace(
            "access owner column=owner_id",
            "access owner column=owner_id\n    access service-bypass"
        )
    );
    let Some(mut db) = database(&kdl) else { return };
    sql(
        &mut db,
        &format!(
            "insert into core.docs (owner_id, title) values ('{USER_A}', 'a doc'), ('{USER_B}', 'b doc')"
        ),
    );
    assert_eq!(
        select(&mut db, Who::User(USER_A), "select title from core.docs"),
        rows(&["a doc"])
    );
    assert_eq!(
        select(&mut db, Who::Service, "select title from core.docs"),
        rows(&["a doc", "b doc"])
    );
    assert_eq!(
        select(&mut db, Who::Anon, "select title from core.docs"),
        Outcome::PermissionDenied
    );
}

// ---- anon, when declared --------------------------------------------------------

#[test]
fn anon_sees_what_is_declared_for_it_only() {
    let kdl = format!(
        r#"{CORE}
table core.posts {{
    column id bigint identity=always primary-key=#true
    column owner_id uuid
    column body text
    column published boolean default=#false
    access owner column=owner_id
    policy posts_public_read for=select to=anon using="published"
    grant select to=anon
}}
"#
    );
    let Some(mut db) = database(&kdl) else { return };
    sql(
        &mut db,
        &format!(
            "insert into core.posts (owner_id, body, published) values
                ('{USER_A}', 'a public', true), ('{USER_A}', 'a draft', false), ('{USER_B}', 'b draft', false)"
        ),
    );
    assert_eq!(
        select(&mut db, Who::Anon, "select body from core.posts"),
        rows(&["a public"])
    );
    assert_eq!(
        change(&mut db, Who::Anon, "update core.posts set body = 'defaced'"),
        Outcome::PermissionDenied
    );
    assert_eq!(
        select(&mut db, Who::User(USER_A), "select body from core.posts"),
        rows(&["a draft", "a public"])
    );
}

// ---- public: Supabase's defaults ---------------------------------------------------

#[test]
fn template_in_public_keeps_rows_private_despite_default_grants() {
    // In public every API role holds every privilege by default: RLS with the
    // template's policies is what keeps rows private; anon holds the grant
    // but no policy, so it sees zero rows (not "permission denied").
    let kdl = r#"
table notes {
    column id uuid default="gen_random_uuid()" primary-key=#true
    column owner_id uuid
    column body text
    access owner column=owner_id
}
"#;
    let Some(mut db) = database(kdl) else { return };
    sql(
        &mut db,
        &format!(
            "insert into public.notes (owner_id, body) values ('{USER_A}', 'a'), ('{USER_B}', 'b')"
        ),
    );
    assert_eq!(
        select(&mut db, Who::User(USER_A), "select body from public.notes"),
        rows(&["a"])
    );
    assert_eq!(
        select(&mut db, Who::Anon, "select body from public.notes"),
        rows(&[])
    );
    assert_eq!(
        change(
            &mut db,
            Who::Anon,
            &format!("insert into public.notes (owner_id, body) values ('{USER_A}', 'x')")
        ),
        Outcome::RlsViolation
    );
}

// ---- timestamps -------------------------------------------------------------------

#[test]
fn timestamps_macro_sets_updated_at_on_update() {
    let kdl = format!(
        r#"{CORE}
table core.shows {{
    column id bigint identity=always primary-key=#true
    column title text
    timestamps
}}
"#
    );
    let Some(mut db) = database(&kdl) else { return };
    sql(
        &mut db,
        "insert into core.shows (title, created_at, updated_at) values ('old', '2001-01-01', '2001-01-01')",
    );
    let client = db.client();
    let mut tx = client.transaction().unwrap();
    // Even an explicit value is overwritten: the trigger sets now(), the
    // transaction's start time; created_at is left alone.
    let row = tx
        .query_one(
            "update core.shows set title = 'new', updated_at = '1999-01-01'
             returning updated_at = now(), created_at = '2001-01-01'::timestamptz",
            &[],
        )
        .unwrap();
    assert!(row.get::<_, bool>(0), "updated_at was not set to now()");
    assert!(row.get::<_, bool>(1), "created_at changed");
    tx.commit().unwrap();
    let moved: bool = client
        .query_one("select updated_at > '2001-01-01' from core.shows", &[])
        .unwrap()
        .get(0);
    assert!(moved);
}

// ---- storage.objects ------------------------------------------------------------

#[test]
fn storage_policies_limit_objects_to_their_bucket_and_owner() {
    // storage.objects is Supabase's (the stand-in's) table: RLS on, every
    // privilege granted to the API roles. Declared policies are all that
    // decides which objects a user reaches.
    let kdl = r#"
policy "media read" on=storage.objects for=select to=authenticated using="bucket_id = 'trr-media'"
policy "media upload own" on=storage.objects for=insert to=authenticated check="bucket_id = 'trr-media' and owner = (select auth.uid())"
"#;
    let Some(mut db) = database(kdl) else { return };
    sql(
        &mut db,
        &format!(
            "insert into storage.buckets (id, name) values ('trr-media', 'trr-media'), ('private', 'private');
             insert into storage.objects (bucket_id, name, owner) values
                ('trr-media', 'a.png', '{USER_A}'), ('trr-media', 'b.png', '{USER_B}'), ('private', 'secret.pdf', '{USER_B}');"
        ),
    );
    let a = Who::User(USER_A);
    assert_eq!(
        select(&mut db, a, "select name from storage.objects"),
        rows(&["a.png", "b.png"])
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!(
                "insert into storage.objects (bucket_id, name, owner) values ('trr-media', 'c.png', '{USER_A}')"
            )
        ),
        Outcome::Changed(1)
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!(
                "insert into storage.objects (bucket_id, name, owner) values ('trr-media', 'd.png', '{USER_B}')"
            )
        ),
        Outcome::RlsViolation
    );
    assert_eq!(
        change(
            &mut db,
            a,
            &format!(
                "insert into storage.objects (bucket_id, name, owner) values ('private', 'e.pdf', '{USER_A}')"
            )
        ),
        Outcome::RlsViolation
    );
    // No delete policy declared: nothing is deleted.
    assert_eq!(
        change(&mut db, a, "delete from storage.objects"),
        Outcome::Changed(0)
    );
    // anon holds the stand-in's grant but no policy: zero rows.
    assert_eq!(
        select(&mut db, Who::Anon, "select name from storage.objects"),
        rows(&[])
    );
}
