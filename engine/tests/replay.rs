//! Replay of migration histories into a Catalog: one test per statement
//! family, a realistic multi-file history, and every error class, all as
//! snapshots of what a user would read.

use engine::replay::{Replayed, replay_sources};

#[path = "common/replay_files.rs"]
#[allow(dead_code)] // each test file uses its own subset
mod replay_files;

use replay_files::{one, replay, sources};

/// The Catalog as pretty JSON, then the notes in file order. Maps keyed by
/// `QualName` are not JSON objects (their keys are not strings), so those
/// are listed by value, in key order.
fn render(r: &Replayed) -> String {
    let c = &r.catalog;
    let view = serde_json::json!({
        "schemas": c.schemas,
        "extensions": c.extensions,
        "enums": c.enums.values().collect::<Vec<_>>(),
        "tables": c.tables.values().collect::<Vec<_>>(),
        "indexes": c.indexes.values().collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&view).unwrap();
    out.push_str("\n\nnotes:\n");
    if r.notes.is_empty() {
        out.push_str("  (none)\n");
    }
    for n in &r.notes {
        out.push_str(&format!(
            "  {}:{}:{}: {}\n    {}\n",
            n.file.display(),
            n.line,
            n.column,
            n.reason,
            n.statement.lines().next().unwrap_or_default()
        ));
    }
    out
}

fn error(sql: &str) -> String {
    match replay_sources(&sources(&[("0001_test.sql", sql)])) {
        Ok(r) => panic!("expected an error, got:\n{}", render(&r)),
        Err(e) => e.render(),
    }
}

#[test]
fn realistic_history() {
    let r = replay(&[
        (
            "20240101000000_init.sql",
            r#"-- Core schema for TRR
create extension if not exists pgcrypto with schema extensions;
create schema if not exists core;
comment on schema core is 'TRR core data';

create type core.show_status as enum ('active', 'paused');

create table core.orgs (
    id uuid primary key default gen_random_uuid(),
    name text not null check (char_length(name) > 0),
    created_at timestamptz not null default now()
);

create table core.shows (
    id uuid primary key default extensions.gen_random_uuid(),
    org_id uuid not null references core.orgs on delete cascade,
    owner_id uuid references auth.users (id),
    title text not null,
    slug text not null,
    status core.show_status not null default 'active',
    external_ids jsonb not null default '{}'::jsonb,
    created_at timestamptz not null default now(),
    deleted_at timestamptz,
    unique (org_id, slug)
);
comment on table core.shows is 'TV shows tracked by TRR';
create index shows_org_recent on core.shows (org_id, created_at desc) where deleted_at is null;
create index on core.shows using gin (external_ids jsonb_path_ops);
alter table core.shows enable row level security;
"#,
        ),
        (
            "20240201000000_seasons.sql",
            r#"begin;
create table core.seasons (
    id bigint generated always as identity primary key,
    show_id uuid not null,
    number integer not null,
    episode_count serial,
    constraint seasons_show_fk foreign key (show_id) references core.shows (id) on delete cascade deferrable initially deferred,
    check (number > 0)
);
insert into core.seasons (show_id, number) select id, 1 from core.shows;
alter type core.show_status add value 'ended' after 'paused';
create policy "members read" on core.shows for select using (true);
commit;
"#,
        ),
        (
            "20240301000000_rename.sql",
            r#"alter table core.shows rename column title to name;
alter table core.shows add column summary text, alter column slug set data type varchar(120);
do $$ begin raise notice 'backfill'; end $$;
comment on column core.shows.name is 'Display title';
drop index core.shows_org_recent;
create unique index concurrently if not exists shows_lower_name on core.shows (lower(name)) include (org_id) with (fillfactor = 70);
"#,
        ),
    ]);
    insta::assert_snapshot!(render(&r));
}

#[test]
fn schemas_and_extensions() {
    let r = one(
        "create schema app; create schema if not exists app; create schema authorization joe;
         create extension citext; create extension if not exists pgcrypto schema app; create extension if not exists citext;
         drop extension if exists nothing; alter schema joe rename to people; drop schema if exists nope;",
    );
    insta::assert_snapshot!(render(&r));
}

#[test]
fn enums() {
    let r = one("create type mood as enum ('sad', 'ok');
         alter type mood add value 'happy';
         alter type mood add value if not exists 'happy';
         alter type mood add value 'meh' before 'ok';
         alter type mood rename value 'sad' to 'blue';
         create table people (m mood, ms mood[]);
         alter type mood rename to feeling;
         comment on type feeling is 'How it goes';");
    insta::assert_snapshot!(render(&r));
}

#[test]
fn create_table_columns_and_constraints() {
    let r = one(r#"create schema app;
create table app."Parents" (id int primary key, code text unique nulls not distinct);
create table app.items (
    id bigserial,
    n smallserial,
    "Label" varchar(20) null,
    price numeric(10, 2) not null,
    qty int4 default 1,
    total numeric generated always as (price * qty) stored,
    seq integer generated by default as identity,
    parent_id int constraint items_parent references app."Parents" on update set null match full,
    code text references app."Parents" (code) on delete set default deferrable,
    tags text[],
    at timestamp(3) with time zone,
    primary key (id),
    unique (price, qty) deferrable initially deferred,
    check (price > 0) no inherit,
    check (qty > 0 and price > 0),
    constraint named_check check (qty < 100)
);
create table if not exists app.items (x int);
"#);
    insta::assert_snapshot!(render(&r));
}

#[test]
fn alter_table_actions() {
    let r = one(
        "create table t (id int primary key, a text, b int, c int not null, d int);
         alter table t add column e int not null default 0, add column if not exists a text, add f serial;
         alter table t alter column a set default 'x', alter b set not null, alter c drop not null;
         alter table t alter column d type bigint using d::bigint;
         alter table t alter column d set not null, alter column d add generated by default as identity;
         alter table t alter column e drop default;
         alter table t add constraint t_b_pos check (b > 0) not valid;
         alter table t validate constraint t_b_pos;
         alter table t add unique (a, b), add foreign key (b) references t;
         alter table t drop constraint if exists nothing;
         alter table only t drop column if exists zzz;
         alter table t alter column d drop identity if exists;
         alter table if exists missing add column x int;
         alter table t owner to postgres;",
    );
    insta::assert_snapshot!(render(&r));
}

/// PostgreSQL runs an ALTER TABLE's subcommands pass by pass: a
/// constraint can be dropped and re-added under its name, naming a column
/// the same statement adds after it. Written order would fail on both.
#[test]
fn alter_table_subcommands_run_in_postgres_order() {
    let r = one(
        "create table jobs (id int primary key, state text, constraint jobs_window check (state <> ''));
         alter table jobs
             drop constraint jobs_window,
             add constraint jobs_window check ((started_at is null) or true),
             add column started_at timestamptz;
         alter table jobs add constraint jobs_state_check check (state in ('a', 'b')), alter column state type varchar(10);",
    );
    let t = r.catalog.tables.values().next().unwrap();
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect();
    assert_eq!(
        columns,
        [
            "id integer",
            "state character varying(10)",
            "started_at timestamp with time zone"
        ]
    );
    let checks: Vec<String> = t
        .constraints
        .values()
        .map(|c| format!("{} {:?}", c.name, c.kind))
        .collect();
    assert_eq!(checks.len(), 2, "{checks:#?}");
    assert!(
        checks[0].starts_with("jobs_state_check") && checks[1].contains("started_at"),
        "{checks:#?}"
    );
    assert!(r.notes.is_empty(), "{:#?}", r.notes);
    // A type change cannot name a column the same statement adds: PostgreSQL
    // checks it when reading the statement, before any column is added.
    insta::assert_snapshot!(error(
        "create table t (id int);
         alter table t add column n int, alter column n type bigint;"
    ));
}

/// A table rebuild guarded by a probe the replay cannot decide (over
/// `pg_roles`) is not followed; the statements after it that only work if
/// it ran (re-creating the names it moved away, dropping the old table)
/// fail on the replayed state. The replay does not stop: each is an error
/// note naming the unfollowed statement, the state is repaired (the old
/// objects renamed aside), and exactly those objects are approximate.
#[test]
fn consequences_of_a_statement_not_followed_do_not_stop_the_replay() {
    let r = replay(&[
        (
            "0001_episodes.sql",
            "create schema core;
create table core.episodes (id bigint primary key, title text);
create index episodes_title_idx on core.episodes (title);
create table core.shows (id bigint primary key);",
        ),
        (
            "0002_rebuild_episodes.sql",
            "do $$
begin
  if exists (select 1 from pg_roles where rolname = 'legacy_owner') then
    alter table core.episodes rename to episodes_old;
    alter index core.episodes_title_idx rename to episodes_title_idx_old;
  end if;
end $$;
create table core.episodes (id bigint primary key, title text not null, season int);
create index episodes_title_idx on core.episodes (title);
insert into core.episodes (id, title) select id, title from core.episodes_old;
drop table core.episodes_old;
alter table core.shows add column name text;",
        ),
    ]);
    assert_eq!(
        r.approximate(),
        [
            "core.episodes",
            "core.episodes__approx",
            "core.episodes_old",
            "core.episodes_title_idx",
            "core.episodes_title_idx__approx",
        ]
    );
    // The statements after the repairs are followed as usual.
    let shows = r
        .catalog
        .tables
        .values()
        .find(|t| t.name.name.as_str() == "shows")
        .unwrap();
    assert_eq!(shows.columns.len(), 2);
    let episodes = r
        .catalog
        .tables
        .values()
        .find(|t| t.name.name.as_str() == "episodes")
        .unwrap();
    assert_eq!(episodes.columns.len(), 3);
    let rendered = render(&r);
    let notes = rendered.split("\n\nnotes:\n").nth(1).unwrap();
    insta::assert_snapshot!(notes);
    // Without the statement that was not followed, the same conflict is
    // the history's own error, and the replay stops on it.
    insta::assert_snapshot!(error(
        "create table episodes (id int);
create table episodes (id int);"
    ));
}

#[test]
fn renames_carry_references() {
    let r = one(
        "create schema old;
         create table old.parent (id int primary key, code text);
         create table child (id int, parent_code text, parent_id int references old.parent, check (char_length(parent_code) > 1));
         alter table old.parent add constraint parent_code_key unique (code);
         alter table child add foreign key (parent_code) references old.parent (code);
         create index child_expr on child (lower(parent_code)) where parent_code <> '';
         alter table old.parent rename column code to slug;
         alter table child rename column parent_code to parent_slug;
         alter table child rename constraint child_parent_code_check to child_slug_len;
         alter table old.parent rename to mother;
         alter schema old rename to fam;
         alter table child set schema fam;",
    );
    insta::assert_snapshot!(render(&r));
}

#[test]
fn indexes() {
    let r = one(
        "create table t (a int, b text, c jsonb, d timestamptz);
         create index on t (a);
         create index on t (a);
         create unique index if not exists t_b on t (b) nulls not distinct;
         create unique index if not exists t_b on t (b);
         create index on t (lower(b), (a + 1), a);
         create index t_c on t using gin (c jsonb_path_ops);
         create index concurrently t_d on t using brin (d desc nulls last) with (pages_per_range = 32);
         comment on index t_c is 'JSON lookups';",
    );
    insta::assert_snapshot!(render(&r));
}

#[test]
fn drops_follow_dependencies() {
    let r = one("create type kind as enum ('a');
         create table p (id int primary key, k kind, v int unique);
         create table c (id int, p_id int references p, v int references p (v), note text);
         create index c_note on c (note);
         create index c_expr on c (lower(note));
         alter table c drop column note;
         alter table p drop column v cascade;
         drop type kind cascade;
         drop table p cascade;
         create table gone (x int);
         create index gone_x on gone (x);
         drop table gone;
         drop index if exists gone_x;");
    insta::assert_snapshot!(render(&r));
}

#[test]
fn comments() {
    let r = one(
        "create schema app; create type app.e as enum ('a'); create table app.t (a int primary key, b app.e);
         create index t_b on app.t (b);
         comment on schema app is 'Application';
         comment on type app.e is 'An enum';
         comment on table app.t is 'It''s a table';
         comment on column app.t.a is 'Key';
         comment on column app.t.b is 'Kind';
         comment on column app.t.b is null;
         comment on index app.t_b is 'By kind';
         comment on index app.t_pkey is 'Constraint index';
         comment on constraint t_pkey on app.t is 'not modeled';",
    );
    insta::assert_snapshot!(render(&r));
}

#[test]
fn diagnostic_points_at_the_statement() {
    use miette::Diagnostic;
    let text = "create table a (x int);\nalter table b add y int;";
    let err = replay_sources(&sources(&[("0001.sql", text)])).unwrap_err();
    let label = err.labels().unwrap().next().unwrap();
    assert_eq!(&text[label.offset()..], "alter table b add y int;");
    assert!(
        err.help()
            .unwrap()
            .to_string()
            .contains("earlier migration")
    );
    assert!(err.source_code().is_some());
    assert_eq!(
        err.to_string(),
        "supabase/migrations/0001.sql:2:1: relation \"b\" does not exist"
    );
}

#[test]
fn unmodeled_statements_are_notes() {
    let r = replay(&[
        (
            "0001.sql",
            "set statement_timeout = 0;\nselect 1;\ninsert into t values (1);\n",
        ),
        (
            "0002.sql",
            "do $$ begin perform 1; end $$;\ncreate or replace function f() returns int language sql begin atomic select 1; end;\n\
             create procedure p() language sql as $$ select 1 $$;\n\
             grant select on all tables in schema public to anon;\ncreate publication pub for all tables;\n\
             alter sequence s owned by t.id;\ncomment on function f() is 'x';\ncreate table tt (x int);\nalter table tt owner to postgres;\n\
             grant anon to authenticator;\nrefresh materialized view mv;\n\
             create temp table scratch (x int);\nupdate t set x = 1; delete from t; truncate t;\n",
        ),
    ]);
    insta::assert_snapshot!(render(&r));
}

/// A statement the parser cannot read was accepted by PostgreSQL (it is in
/// the history): a warning note where reading stopped, and the replay goes on.
#[test]
fn unreadable_statement_is_a_warning_note() {
    let r = one(
        "create table a (id int);\n\ncreate table b (\n  id int,\n  name text nut null\n);\nalter table a add column z int;\n",
    );
    let note = &r.notes[0];
    assert_eq!(note.severity, engine::replay::Severity::Warning);
    assert_eq!(
        (note.file.display().to_string(), note.line, note.column),
        ("supabase/migrations/0001_test.sql".to_string(), 5, 13)
    );
    assert_eq!(
        note.reason,
        "could not read CREATE TABLE: Expected: ',' or ')' after column definition, found: nut (not followed: may change the schema)"
    );
    assert_eq!(note.objects, ["public.b"]);
    assert!(note.statement.starts_with("create table b ("));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn unreadable_alter_table_fallback_is_a_warning_note() {
    insta::assert_snapshot!(render(&one(
        "create table a (id int);\nalter table a set schema public, add column x int nut null;\n"
    )));
}

#[test]
fn error_alter_missing_table() {
    insta::assert_snapshot!(error(
        "create table a (id int);\nalter table b add column x int;"
    ));
}

#[test]
fn error_duplicate_table() {
    insta::assert_snapshot!(error(
        "create table a (id int);\n  create table A (id int);"
    ));
}

#[test]
fn error_drop_missing_column() {
    insta::assert_snapshot!(error(
        "create table a (id int);\nalter table a drop column nope;"
    ));
}

#[test]
fn error_restrict_with_dependents() {
    insta::assert_snapshot!(error(
        "create table p (id int primary key);\ncreate table c (p_id int references p);\ndrop table p restrict;"
    ));
}

#[test]
fn error_missing_schema() {
    insta::assert_snapshot!(error("create table app.t (id int);"));
}

#[test]
fn error_bad_type() {
    insta::assert_snapshot!(error(
        "create table t (id int);\nalter table t alter column id type serial;"
    ));
}

#[test]
fn error_fk_without_primary_key() {
    insta::assert_snapshot!(error(
        "create table p (id int);\ncreate table c (p_id int references p);"
    ));
}

#[test]
fn error_drop_constraint_index() {
    insta::assert_snapshot!(error(
        "create table p (id int primary key);\ndrop index p_pkey;"
    ));
}

#[test]
fn error_duplicate_enum_label() {
    insta::assert_snapshot!(error(
        "create type s as enum ('a');\nalter type s add value 'a';"
    ));
}

#[test]
fn error_dir_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("0001_x.sql");
    std::fs::write(&file, [0xff, 0xfe, 0x00]).unwrap();
    let err = engine::replay::replay_dir(dir.path()).unwrap_err();
    assert_eq!(err.kind, engine::replay::ReplayErrorKind::Io);
    let shown = err
        .render()
        .replace(&dir.path().display().to_string(), "<migrations>");
    insta::assert_snapshot!(shown);
}

#[test]
fn replay_dir_reads_in_file_name_order() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("0002_b.sql"),
        "alter table a add column y int;",
    )
    .unwrap();
    std::fs::write(dir.path().join("0001_a.sql"), "create table a (x int);").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not sql").unwrap();
    let r = engine::replay::replay_dir(dir.path()).unwrap();
    let t = &r.catalog.tables[&schema::QualName::from("public.a")];
    assert_eq!(
        t.columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["x", "y"]
    );
    assert!(
        engine::replay::replay_dir(&dir.path().join("missing"))
            .unwrap()
            .catalog
            .tables
            .is_empty()
    );
}

#[test]
fn errors_and_notes_serialize() {
    let err = replay_sources(&sources(&[("0001.sql", "alter table nope add x int")])).unwrap_err();
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "missing");
    assert_eq!(json["line"], 1);
    let r = one("select 1");
    assert_eq!(
        serde_json::to_value(&r.notes).unwrap()[0]["reason"],
        "SELECT (query, no schema effect)"
    );
}

/// Truncated and garbled migrations give errors or notes, never a panic.
#[test]
fn garbled_input_never_panics() {
    let history = "create schema core;\ncreate type core.s as enum ('a', 'b');\n\
        create table core.t (id serial primary key, s core.s not null default 'a', name text unique check (name <> ''), p int references core.t);\n\
        alter table core.t alter column id drop identity if exists, set schema public;\n\
        alter table t add column x int generated always as identity, rename column name to title;\n\
        create index on t (lower(title)) where x > 0;\ncomment on column t.title is 'T';\n\
        do $$ begin perform 1; end $$;\ndrop table t cascade;\ndrop schema core cascade;\n";
    let mut checked = 0;
    for cut in (0..=history.len()).filter(|c| history.is_char_boundary(*c)) {
        let _ = replay_sources(&sources(&[("0001.sql", &history[..cut])]));
        // Also damage one byte in the middle of what is left.
        let mut damaged = history[..cut].to_string();
        if let Some(mid) =
            (cut / 2..cut).find(|m| damaged.is_char_boundary(*m) && damaged.is_char_boundary(m + 1))
        {
            for junk in ["(", ")", "'", "\"", "$", ";", ",", ".", "*", "é"] {
                damaged = history[..cut].to_string();
                damaged.replace_range(mid..mid + 1, junk);
                let _ = replay_sources(&sources(&[("0001.sql", &damaged)]));
            }
        }
        checked += 1;
    }
    assert!(checked > 400);
    assert!(replay_sources(&sources(&[("0001.sql", history)])).is_ok());
}

/// `ALTER INDEX` / `ALTER SEQUENCE` actions the Catalog cannot follow are
/// noted with their severity; renames onto a taken name, or of nothing,
/// are the errors PostgreSQL gives.
#[test]
fn alter_index_and_sequence_notes_and_errors() {
    let r = one("create table t (id serial primary key, a int);
         create index t_a on t (a);
         alter index t_a set (fillfactor = 70);
         alter sequence t_id_seq restart with 10;
         alter sequence t_id_seq owned by none;
         alter sequence unrelated_seq rename to other_seq;
         alter sequence t_id_seq rename to t_ids;");
    let notes: Vec<String> = r
        .notes
        .iter()
        .map(|n| format!("{:?} {} {:?}", n.severity, n.reason, n.objects))
        .collect();
    insta::assert_snapshot!(notes.join("\n"));
    assert_eq!(
        r.catalog.tables.values().next().unwrap().columns[0]
            .default
            .as_ref()
            .unwrap()
            .sql(),
        "nextval('public.t_ids'::regclass)"
    );
    insta::assert_snapshot!(error(
        "create table t (a int); create index t_a on t (a); create index t_b on t (a);
         alter index t_a rename to t_b;"
    ));
    insta::assert_snapshot!(error("alter index nothing_here rename to x;"));
}

/// `LIKE` copies what its options say; a source the Catalog does not hold
/// (a platform table) is noted, a missing one in a created schema is an error.
#[test]
fn create_table_like_options() {
    let r = one(
        "create table src (id int generated always as identity primary key,
                                   a text default 'x' check (a <> ''), b int unique);
         comment on column src.a is 'the a';
         create index src_a_idx on src (lower(a));
         create table plain (like src);
         create table everything (like src including all excluding comments);
         create table from_auth (like auth.users including all);",
    );
    insta::assert_snapshot!(render(&r));
    insta::assert_snapshot!(error(
        "create schema app; create table app.t (like app.missing including all);"
    ));
}

/// The Supabase CLI's rule: top level only, `<digits>_<name>.sql`, in
/// file-name order; the rest is skipped with one note each; duplicate
/// versions and mixed-width numbering are warned about.
#[test]
fn migration_files_follow_the_supabase_cli() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, sql: &str| std::fs::write(dir.path().join(name), sql).unwrap();
    write("00_a.sql", "create table a (x int);");
    write("1_b.sql", "alter table a add column y int;");
    write("10_c.sql", "alter table a add column z int;");
    write("2_d.sql", "alter table a add column w int;");
    write("2_again.sql", "create table again (x int);");
    write("20211001000000_init.sql", "create table legacy (x int);");
    write("seed.sql", "insert into a values (1);");
    write("2024-01-01_dashes.sql", "create table dashes (x int);");
    write("3_upper.SQL", "create table upper_case (x int);");
    std::fs::create_dir(dir.path().join("4_nested")).unwrap();
    std::fs::write(
        dir.path().join("4_nested/x.sql"),
        "create table nested (x int);",
    )
    .unwrap();

    let r = engine::replay::replay_dir(dir.path()).unwrap();
    let tables: Vec<String> = r.catalog.tables.keys().map(ToString::to_string).collect();
    // `20211001000000_init.sql` is not the first entry (`00_a.sql` sorts
    // first), so the CLI applies it.
    assert_eq!(tables, ["public.a", "public.again", "public.legacy"]);
    // Lexicographic: `10_c` sorts before `1_b` (a digit before `_`).
    let columns: Vec<&str> = r.catalog.tables[&schema::QualName::from("public.a")]
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(columns, ["x", "z", "y", "w"]);
    let shown: Vec<String> = r
        .notes
        .iter()
        .map(|n| {
            format!(
                "{}: {:?}: {}",
                n.file.file_name().unwrap().to_string_lossy(),
                n.severity,
                n.reason
            )
        })
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

#[test]
fn a_first_legacy_init_file_is_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("20211208000000_init.sql"),
        "create table old (x int);",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("20211209000000_next.sql"),
        "create table new (x int);",
    )
    .unwrap();
    let r = engine::replay::replay_dir(dir.path()).unwrap();
    let tables: Vec<String> = r.catalog.tables.keys().map(ToString::to_string).collect();
    assert_eq!(tables, ["public.new"]);
    assert!(
        r.notes[0].reason.contains("before 2021-12-09"),
        "{:?}",
        r.notes
    );
}

#[test]
fn platform_references_and_statements() {
    let r = one(
        "create table profiles (id uuid primary key references auth.users on delete cascade);
         create table files (b text references storage.buckets);
         comment on schema public is 'standard public schema';
         grant all on database postgres to postgres;
         grant connect, temporary on database postgres to authenticated;
         alter table profiles owner to postgres;
         alter default privileges for role postgres in schema public grant all on tables to postgres;
         grant usage on schema public to postgres;
         grant execute on function extensions.gtrgm_in(cstring) to postgres;
         revoke all on function extensions.unaccent(text) from public;
         alter type public.nothing owner to postgres;
         alter function public.f() owner to postgres;
         alter schema public owner to postgres;",
    );
    let c = &r.catalog;
    let fk = |t: &str| {
        c.tables[&schema::QualName::from(t)]
            .constraints
            .values()
            .find_map(|k| match &k.kind {
                schema::ConstraintKind::ForeignKey(fk) => Some(fk.ref_columns.clone()),
                _ => None,
            })
            .unwrap()
    };
    assert_eq!(fk("public.profiles"), [schema::Ident::new("id")]);
    assert_eq!(fk("public.files"), [schema::Ident::new("id")]);
    assert_eq!(
        c.schemas[&schema::Ident::new("public")].comment.as_deref(),
        Some("standard public schema")
    );
    assert!(
        r.notes
            .iter()
            .all(|n| n.severity == engine::replay::Severity::Notice),
        "{}",
        render(&r)
    );
    // The grants to postgres (the owner of everything) record nothing and
    // need no note; the other nine statements are notices.
    assert_eq!(r.notes.len(), 8, "{}", render(&r));
}

#[test]
fn dump_style_types_and_extension_types() {
    let r = one(
        r#"CREATE TABLE "public"."t" ("id" "uuid" NOT NULL, "a" "text", "b" "json", "c" "int4", "d" "timestamptz",
             "e" "extensions"."citext", "f" "public"."uuid", "g" "UUID");
           create table v (e extensions.vector(384), h extensions.halfvec(3), g extensions.geometry(Point,4326),
             gz extensions.geography(PointZ, 4326)[]);
           create index v_e on v using hnsw (e extensions.vector_cosine_ops);
           create index v_h on v using ivfflat (h extensions.halfvec_l2_ops) with (lists = 100);"#,
    );
    let types = |t: &str| -> Vec<String> {
        r.catalog.tables[&schema::QualName::from(t)]
            .columns
            .iter()
            .map(|c| c.ty.to_string())
            .collect()
    };
    assert_eq!(
        types("public.t"),
        [
            "uuid",
            "text",
            "json",
            "integer",
            "timestamp with time zone",
            "extensions.citext",
            "public.uuid",
            "public.\"UUID\""
        ]
    );
    assert_eq!(
        types("public.v"),
        [
            "extensions.vector(384)",
            "extensions.halfvec(3)",
            "extensions.geometry(Point,4326)",
            "extensions.geography(PointZ,4326)[]"
        ]
    );
    let index = &r.catalog.indexes[&schema::QualName::from("public.v_h")];
    assert_eq!(index.method, "ivfflat");
    assert_eq!(index.with.get("lists").map(String::as_str), Some("100"));
    assert_eq!(
        index.keys[0].opclass.as_deref(),
        Some("extensions.halfvec_l2_ops")
    );
}

#[test]
fn extension_type_modifiers_stay_words_or_numbers() {
    for bad in [
        "create table t (g extensions.geometry('Point', 4326));",
        "create table t (g text(Point));",
        "create table t (g varchar(max));",
    ] {
        let e = error(bad);
        assert!(
            e.contains("is not a type") || e.contains("syntax"),
            "{bad}: {e}"
        );
    }
}

#[test]
fn transition_tables_and_constraint_triggers_are_replayed() {
    let r = one(
        "create table t (id int primary key, state text);
         create function f() returns trigger language plpgsql as $$ begin return null; end $$;
         create trigger t_added after insert on t referencing new table as added for each statement execute function f();
         create constraint trigger t_checked after insert or update on t deferrable initially deferred for each row execute function f();",
    );
    let triggers: Vec<&schema::Trigger> = r.catalog.triggers.values().collect();
    assert_eq!(triggers.len(), 2, "{:#?}", r.notes);
    assert_eq!(
        triggers[0].new_table.as_ref().map(|t| t.as_str()),
        Some("added")
    );
    assert_eq!(
        triggers[1].constraint,
        Some(schema::Deferral::DeferrableInitiallyDeferred)
    );
    assert!(r.notes.is_empty(), "{:#?}", r.notes);
}

#[test]
fn transition_tables_follow_postgres_rules() {
    const TABLE: &str = "create table t (id int, state text);
        create function f() returns trigger language plpgsql as $$ begin return null; end $$;\n";
    for (trigger, expected) in [
        (
            "create trigger x before insert on t referencing new table as n for each statement execute function f();",
            "only be specified for an AFTER trigger",
        ),
        (
            "create trigger x after update of state on t referencing new table as n for each statement execute function f();",
            "with column lists",
        ),
        (
            "create trigger x after insert or update on t referencing new table as n for each statement execute function f();",
            "more than one event",
        ),
        (
            "create trigger x after insert on t referencing old table as o for each statement execute function f();",
            "OLD TABLE can only",
        ),
        (
            "create trigger x after delete on t referencing new table as n for each statement execute function f();",
            "NEW TABLE can only",
        ),
        (
            "create constraint trigger x after insert on t for each statement execute function f();",
            "AFTER ROW",
        ),
    ] {
        let e = error(&format!("{TABLE}{trigger}"));
        assert!(e.contains(expected), "{trigger}: {e}");
    }
}
