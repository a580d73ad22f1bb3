//! The names the replay derives for unnamed constraints and indexes must be
//! the names PostgreSQL itself chooses: run the same migrations on a scratch
//! database and compare with `pg_constraint` / `pg_class`.

mod common;

use engine::replay::replay_sources;
use schema::Source;
use std::collections::BTreeSet;

const MIGRATION: &str = r#"
create schema s;
create table s.parent (id int primary key, code text unique, a int, b int, unique (a, b));
create table s.child (
    id int primary key,
    parent_id int references s.parent,
    code text references s.parent (code) unique,
    a int,
    b int,
    foreign key (a, b) references s.parent (a, b),
    check (a > 0), check (a > b), check (b > 0), check (a > 1), check (true),
    unique (code),
    unique (a, b), unique (b, a)
);
create table s.child_a_idx2 (x int);
create index on s.child (a);
create index on s.child (a);
create index on s.child (a);
create index on s.child (lower(code), (a + b), (a::text), ((a + b)::text), coalesce(a, b), a);
create unique index on s.child (b) where a > 0;
create table s.a_really_long_table_name_that_goes_on_and_on_and_on_forever_xyz (
    a_really_long_column_name_that_goes_on_and_on_and_on_forever_yy int unique
        check (a_really_long_column_name_that_goes_on_and_on_and_on_forever_yy > 0),
    other_long_column_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa int references s.parent,
    primary key (a_really_long_column_name_that_goes_on_and_on_and_on_forever_yy, other_long_column_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa)
);
create index on s.a_really_long_table_name_that_goes_on_and_on_and_on_forever_xyz (
    a_really_long_column_name_that_goes_on_and_on_and_on_forever_yy,
    other_long_column_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
);
create table coll (x int, y int);
create table coll_x_key (z int);
alter table coll add unique (x);
alter table coll add constraint coll_y_check check (y > 0);
alter table coll add check (y > 1), add check (x > 0);
create table coll2 (x int);
alter table coll add constraint coll2_x_check check (x < 5);
alter table coll2 add check (x > 0);
alter table coll2 add constraint coll2_pkey check (x < 9);
alter table coll2 add primary key (x);
create table "Mixed" ("Col" int unique, "Other" int check ("Other" > 0));
create index on "Mixed" ("Col", "Other");
create table dates (d date check (d > current_date), e date, check (e < current_date + 30 and current_user <> ''));
alter table coll rename column y to z;
alter table coll add check (z > 2);
"#;

/// Every constraint and index as `schema.table kind name`.
fn replayed_names() -> BTreeSet<String> {
    let r = replay_sources(&[Source::new("0001_names.sql", MIGRATION)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let mut out = BTreeSet::new();
    for t in r.catalog.tables.values() {
        let table = format!("{}.{}", t.name.schema.as_str(), t.name.name.as_str());
        if let Some(pk) = &t.primary_key {
            out.insert(format!("{table} constraint p {}", pk.name.as_str()));
        }
        for c in t.constraints.values() {
            let kind = match c.kind {
                schema::ConstraintKind::Unique { .. } => "u",
                schema::ConstraintKind::Check { .. } => "c",
                schema::ConstraintKind::ForeignKey(_) => "f",
            };
            out.insert(format!("{table} constraint {kind} {}", c.name.as_str()));
        }
    }
    for i in r.catalog.indexes.values() {
        out.insert(format!(
            "{}.{} index {}",
            i.table.schema.as_str(),
            i.table.name.as_str(),
            i.name.name.as_str()
        ));
    }
    out
}

#[test]
fn derived_names_match_postgres() {
    let Some(mut db) = common::ScratchDb::for_test("replay_names") else {
        return;
    };
    db.client()
        .batch_execute(MIGRATION)
        .expect("the migration runs on PostgreSQL");
    let mut actual = BTreeSet::new();
    let constraints = db
        .client()
        .query(
            "select n.nspname, c.relname, k.contype::text, k.conname
               from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
              where n.nspname in ('public', 's')",
            &[],
        )
        .unwrap();
    for row in constraints {
        let (schema, table, kind, name): (String, String, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        actual.insert(format!("{schema}.{table} constraint {kind} {name}"));
    }
    // Indexes that do not back a constraint (those are the constraint's).
    let indexes = db
        .client()
        .query(
            "select n.nspname, t.relname, i.relname
               from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
               join pg_namespace n on n.oid = t.relnamespace
              where n.nspname in ('public', 's')
                and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid and k.conrelid = x.indrelid)",
            &[],
        )
        .unwrap();
    for row in indexes {
        let (schema, table, name): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        actual.insert(format!("{schema}.{table} index {name}"));
    }
    let replayed = replayed_names();
    let missing: Vec<_> = actual.difference(&replayed).collect();
    let extra: Vec<_> = replayed.difference(&actual).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "PostgreSQL has but replay lacks: {missing:#?}\nreplay has but PostgreSQL lacks: {extra:#?}"
    );
    assert!(
        actual.len() > 30,
        "the comparison covers the whole migration: {actual:#?}"
    );
}

/// Serial columns get the default `pg_get_expr` prints, schema-qualified
/// outside `public` and quoted where needed, avoiding taken relation names,
/// and following the table when it or its schema moves.
#[test]
fn serial_defaults_match_postgres() {
    const SQL: &str = r#"
create schema s;
create schema "Odd";
create table s.t (id serial, "Big" bigserial, n smallserial);
create table "T2" (id serial4);
create table "Odd".x (id serial8);
create table s.a_really_long_table_name_that_goes_on_and_on_and_on_forever_xyz (a_really_long_column_name_that_goes_on_and_on_and_on_forever_yy serial);
alter table s.t add column later serial;
create table s.u_id_seq (z int);
create table s.u (id serial);
create table mv (id serial);
alter table mv set schema s;
alter schema "Odd" rename to even;
"#;
    let Some(mut db) = common::ScratchDb::for_test("replay_serial") else {
        return;
    };
    db.client()
        .batch_execute(SQL)
        .expect("the migration runs on PostgreSQL");
    // As introspection reads them: every name schema-qualified.
    db.client().batch_execute("SET search_path = ''").unwrap();
    let rows = db
        .client()
        .query(
            "select n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid)
               from pg_attrdef d join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
               join pg_class c on c.oid = d.adrelid join pg_namespace n on n.oid = c.relnamespace
              where n.nspname in ('public', 's', 'even')",
            &[],
        )
        .unwrap();
    let actual: BTreeSet<String> = rows
        .iter()
        .map(|r| {
            let (s, t, c, ty, d): (String, String, String, String, String) =
                (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
            format!("{s}.{t}.{c} {ty} {}", schema::Expr::parse(&d).unwrap())
        })
        .collect();
    let r = replay_sources(&[Source::new("0001_serial.sql", SQL)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let replayed: BTreeSet<String> = r
        .catalog
        .tables
        .values()
        .flat_map(|t| {
            t.columns.iter().map(move |c| {
                format!(
                    "{}.{}.{} {} {}",
                    t.name.schema.as_str(),
                    t.name.name.as_str(),
                    c.name.as_str(),
                    c.ty,
                    c.default.as_ref().map(|d| d.sql()).unwrap_or("-")
                )
            })
        })
        .collect();
    let replayed: BTreeSet<String> = replayed
        .into_iter()
        .filter(|c| !c.ends_with(" -"))
        .collect();
    assert_eq!(replayed, actual);
    assert_eq!(actual.len(), 9);
}

/// What the TRR legacy history needed (snapshots/histories/trr-legacy): a
/// table rebuilt with its index names moved out of the way (`ALTER INDEX
/// … RENAME`, which also renames the constraint an index backs), a serial
/// whose sequence name is taken (`_seq1`) and renamed back (`ALTER
/// SEQUENCE … RENAME`), `DROP TABLE … CASCADE` taking a foreign key
/// along, a default on a hand-made sequence (`nextval('seq')`), `CREATE
/// TABLE … (LIKE … INCLUDING …)` and `DROP TYPE … CASCADE` taking a column.
/// The replayed Catalog must equal the introspected one exactly.
#[test]
fn rebuilds_and_relation_renames_match_postgres() {
    const SQL: &str = r#"
create schema s;
create type s.kind as enum ('a', 'b');
create table s.items (id bigserial primary key, code text, k s.kind, other s.kind, unique (code));
create index items_code_lower_idx on s.items (lower(code));
create table s.links (item_id bigint references s.items (id) on delete cascade, n int);
alter index s.items_pkey rename to items_pk;
alter index s.items_code_key rename to items_code_uq;
alter index if exists s.no_such_index rename to whatever;
alter index s.items_code_lower_idx rename to items_code_lower_idx_old;
alter table s.items rename to items_old;
create table s.items (id bigserial primary key, k s.kind, code text unique, created_at timestamptz default now());
insert into s.items (id, code) select id, code from s.items_old;
create index items_code_lower_idx on s.items (lower(code));
drop table s.items_old cascade;
alter sequence s.items_id_seq1 rename to items_id_seq;
alter table s.links add constraint links_item_id_fkey foreign key (item_id) references s.items (id);
create sequence s.batch_seq;
alter table s.links add column batch bigint default nextval('s.batch_seq');
alter sequence s.batch_seq owned by s.links.batch;
create sequence s.other_seq;
create table s.pages (id int default nextval('s.other_seq'::regclass) primary key);
alter sequence s.other_seq set schema public;
create table s.items_copy (like s.items including all);
create table s.items_shape (like s.items);
create table s.items_defaults (like s.items including defaults excluding indexes);
drop type s.kind cascade;
"#;
    let Some(mut db) = common::ScratchDb::for_test("replay_rebuild") else {
        return;
    };
    for stmt in engine::replay::split::split_statements(SQL) {
        db.client()
            .batch_execute(&stmt.text)
            .unwrap_or_else(|e| panic!("PostgreSQL refuses {}: {e}", stmt.text));
    }
    let schemas = [schema::Ident::new("s")];
    let live = engine::introspect::introspect(db.client(), &schemas).unwrap();
    let r = replay_sources(&[Source::new("0001_rebuild.sql", SQL)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let replayed = r.catalog.restricted_to(&schemas);
    same_as_postgres(&live, &replayed);
    assert!(
        r.notes
            .iter()
            .all(|n| n.severity != engine::replay::Severity::Warning),
        "every statement is followed: {:#?}",
        r.notes
    );
}

/// `ALTER TABLE` with several subcommands runs them pass by pass, as
/// PostgreSQL does (drops, type changes, added columns, then constraints),
/// whatever order they are written in — the style of SQL that schema
/// tools generate. Unnamed constraints added together get PostgreSQL's
/// names too (index-backed ones are made first).
#[test]
fn multi_subcommand_alter_table_matches_postgres() {
    const SQL: &str = r#"
create schema s;
create table s.jobs (id bigint primary key, state text, priority smallint, legacy int, constraint jobs_window check (state <> ''));
alter table s.jobs
    drop constraint jobs_window,
    add constraint jobs_window check ((started_at is null) or (finished_at is null) or (finished_at >= started_at)),
    add column started_at timestamptz,
    add column finished_at timestamptz;
alter table s.jobs
    add check (attempts >= 0),
    add unique (attempts, id),
    alter column priority type bigint,
    add column attempts int not null default 0,
    alter column state set not null,
    drop column legacy;
alter table s.jobs add constraint jobs_state_key unique (state), drop constraint jobs_window, alter column state set default 'queued';
"#;
    let Some(mut db) = common::ScratchDb::for_test("replay_alter_passes") else {
        return;
    };
    db.client()
        .batch_execute(SQL)
        .expect("the migration runs on PostgreSQL");
    let schemas = [schema::Ident::new("s")];
    let live = engine::introspect::introspect(db.client(), &schemas).unwrap();
    let r = replay_sources(&[Source::new("0001_passes.sql", SQL)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    same_as_postgres(&live, &r.catalog.restricted_to(&schemas));
}

/// What `supabase db dump` / `db diff` write, references to platform tables
/// without a column list, extension types and operator classes, transition
/// tables and constraint triggers: the replay equals PostgreSQL.
#[test]
fn dump_style_platform_references_and_triggers_match_postgres() {
    const SQL: &str = r#"
create extension if not exists citext with schema extensions;
create extension if not exists pg_trgm with schema extensions;
create schema s;
SET default_tablespace = '';
SELECT pg_catalog.set_config('search_path', '', false);
CREATE TYPE "s"."pair" AS ("a" integer, "b" "text");
ALTER TYPE "s"."pair" OWNER TO "postgres";
CREATE TABLE IF NOT EXISTS "s"."t" (
    "id" "uuid" NOT NULL,
    "user_id" "uuid" REFERENCES "auth"."users" ON DELETE CASCADE,
    "email" "extensions"."citext",
    "title" "text",
    "doc" "json",
    "n" "int4",
    "at" "timestamptz"
);
ALTER TABLE "s"."t" OWNER TO "postgres";
CREATE UNIQUE INDEX t_pkey ON s.t USING btree (id);
ALTER TABLE ONLY "s"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY USING INDEX "t_pkey";
CREATE UNIQUE INDEX t_n_key ON s.t USING btree (n);
ALTER TABLE "s"."t" ADD CONSTRAINT "t_n_key" UNIQUE USING INDEX "t_n_key" DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX t_title_trgm ON s.t USING gin (title extensions.gin_trgm_ops);
CREATE OR REPLACE FUNCTION "s"."f"() RETURNS "trigger"
    LANGUAGE "plpgsql"
    SET "search_path" TO ''
    AS $$ begin return null; end $$;
ALTER FUNCTION "s"."f"() OWNER TO "postgres";
create trigger t_added after insert on s.t referencing new table as added for each statement execute function s.f();
create trigger t_changed after update on s.t referencing old table as before_rows new table as after_rows for each row execute function s.f();
create trigger t_removed after delete on s.t referencing old table as gone for each statement execute function s.f();
create constraint trigger t_checked after insert or update on s.t deferrable initially deferred for each row execute function s.f();
create constraint trigger t_checked_now after delete on s.t for each row execute function s.f();
create table s.u (id uuid primary key references auth.users, bucket text references storage.buckets);
"#;
    let Some(mut db) = common::ScratchDb::for_test("replay_dump_style") else {
        return;
    };
    db.install_standin().unwrap_or_else(|e| panic!("{e}"));
    for stmt in engine::replay::split::split_statements(SQL) {
        db.client()
            .batch_execute(&stmt.text)
            .unwrap_or_else(|e| panic!("PostgreSQL refuses {}: {e}", stmt.text));
    }
    let schemas = [schema::Ident::new("s")];
    let live = engine::introspect::introspect(db.client(), &schemas).unwrap();
    let r = replay_sources(&[Source::new("0001_dump.sql", SQL)])
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let replayed = r.catalog.restricted_to(&schemas);
    let want = same_as_postgres(&live, &replayed);
    assert_eq!(live.triggers.len(), 5, "{want}");
    assert!(
        r.notes
            .iter()
            .all(|n| n.severity != engine::replay::Severity::Warning),
        "every statement is followed: {:#?}",
        r.notes
    );
}

/// The replayed Catalog reads exactly as the introspected one; the
/// readable form of PostgreSQL's, for further messages.
fn same_as_postgres(live: &schema::Catalog, replayed: &schema::Catalog) -> String {
    let (want, got) = (
        engine::introspect::readable(live),
        engine::introspect::readable(replayed),
    );
    if want != got {
        panic!(
            "replay differs from PostgreSQL:\n{}",
            similar::TextDiff::from_lines(&want, &got)
                .unified_diff()
                .header("PostgreSQL", "replay")
        );
    }
    want
}
