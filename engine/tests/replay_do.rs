//! DO blocks in migration histories: guarded DDL is followed where the
//! replayed Catalog decides the guard, and everything else is noted with
//! its severity, position and the objects it may touch.

use engine::replay::{Replayed, Severity, replay_sources};
use schema::{Catalog, ConstraintKind};

#[path = "common/replay_files.rs"]
#[allow(dead_code)] // each test file uses its own subset
mod replay_files;

use replay_files::{one, replay, sources};

/// One line per table (columns, keys, constraints), index and enum.
fn summary(c: &Catalog) -> String {
    let mut out = String::new();
    for s in c.schemas.keys() {
        out.push_str(&format!("schema {}\n", s.as_str()));
    }
    for e in c.extensions.keys() {
        out.push_str(&format!("extension {}\n", e.as_str()));
    }
    for e in c.enums.values() {
        out.push_str(&format!("enum {} ({})\n", e.name, e.values.join(", ")));
    }
    for t in c.tables.values() {
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|c| format!("{} {}", c.name.as_str(), c.ty))
            .collect();
        out.push_str(&format!("table {} ({})", t.name, cols.join(", ")));
        if let Some(pk) = &t.primary_key {
            out.push_str(&format!(" pk {}", pk.name.as_str()));
        }
        for con in t.constraints.values() {
            let kind = match con.kind {
                ConstraintKind::Unique { .. } => "unique",
                ConstraintKind::Check { .. } => "check",
                ConstraintKind::ForeignKey(_) => "fk",
            };
            out.push_str(&format!(" {kind} {}", con.name.as_str()));
        }
        out.push('\n');
    }
    for i in c.indexes.values() {
        out.push_str(&format!("index {} on {}\n", i.name, i.table));
    }
    out
}

/// The notes as a reader sees them: position, severity, reason, objects,
/// and the first line of the statement they are about.
fn notes(r: &Replayed) -> String {
    let mut out = String::new();
    for n in &r.notes {
        let sev = match n.severity {
            Severity::Info => "info",
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        out.push_str(&format!(
            "{}:{}:{}: {sev}: {}\n",
            n.file.display(),
            n.line,
            n.column,
            n.reason
        ));
        if !n.objects.is_empty() {
            out.push_str(&format!("    objects: {}\n", n.objects.join(", ")));
        }
        out.push_str(&format!(
            "    | {}\n",
            n.statement.lines().next().unwrap_or_default().trim()
        ));
    }
    out
}

fn render(r: &Replayed) -> String {
    format!("{}\nnotes:\n{}", summary(&r.catalog), notes(r))
}

fn warnings(r: &Replayed) -> usize {
    r.notes
        .iter()
        .filter(|n| n.severity == Severity::Warning)
        .count()
}

const SETUP: &str = "create schema core;
create table core.shows (id int primary key, title text, org_id int);
create table core.orgs (id int primary key);
";

/// The guard is checked against the replayed Catalog: the first run adds
/// the constraint, the second (same block) skips it.
#[test]
fn constraint_guard_is_followed_then_skipped() {
    let guard = "DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conname = 'shows_org_fk' AND conrelid = 'core.shows'::regclass
  ) THEN
    ALTER TABLE core.shows ADD CONSTRAINT shows_org_fk FOREIGN KEY (org_id) REFERENCES core.orgs (id);
    CREATE INDEX shows_org_idx ON core.shows (org_id);
  END IF;
END $$;
";
    let r = replay(&[
        ("0001_setup.sql", SETUP),
        ("0002_guard.sql", guard),
        ("0003_again.sql", guard),
    ]);
    assert_eq!(warnings(&r), 0);
    insta::assert_snapshot!(render(&r));
}

#[test]
fn to_reg_functions_guard_renames_and_creates() {
    let r = one(&format!(
        "{SETUP}
DO $$ BEGIN
  IF to_regclass('core.shows') IS NOT NULL AND to_regclass('core.shows_old') IS NULL THEN
    ALTER TABLE core.shows RENAME TO shows_old;
  END IF;
  IF to_regclass('public.audit') IS NULL THEN
    CREATE TABLE public.audit (id bigint);
  END IF;
  IF to_regtype('core.show_status') IS NULL THEN
    CREATE TYPE core.show_status AS ENUM ('active');
  END IF;
  IF to_regnamespace('archive') IS NULL THEN
    CREATE SCHEMA archive;
  END IF;
  IF to_regclass('core.missing') IS NOT NULL THEN
    DROP TABLE core.missing;
  END IF;
END $$;"
    ));
    assert_eq!(warnings(&r), 0);
    insta::assert_snapshot!(render(&r));
}

/// Each catalog view the issue names, read both ways (present and absent).
#[test]
fn catalog_probes_are_evaluated() {
    let r = one(&format!(
        "{SETUP}
create type core.status as enum ('a');
create index shows_title_idx on core.shows (title);
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = 'core' AND table_name = 'shows' AND column_name = 'slug') THEN
    ALTER TABLE core.shows ADD COLUMN slug text;
  END IF;
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema='core' AND table_name='shows' AND column_name='title') THEN
    ALTER TABLE core.shows RENAME COLUMN title TO name;
  END IF;
  IF NOT EXISTS (SELECT FROM information_schema.tables WHERE table_schema = 'core' AND table_name = 'seasons') THEN
    CREATE TABLE core.seasons (id int);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'core' AND tablename = 'shows' AND indexname = 'shows_title_idx') THEN
    CREATE INDEX shows_title_idx ON core.shows (name);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'status' AND typnamespace = 'core'::regnamespace) THEN
    CREATE TYPE core.status AS ENUM ('b');
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'z' AND enumtypid = 'core.status'::regtype) THEN
    ALTER TYPE core.status ADD VALUE 'z';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'billing') THEN
    CREATE SCHEMA billing;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'billing' AND c.relname = 'invoices') THEN
    CREATE TABLE billing.invoices (id int);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_class WHERE relname = 'invoices' AND relnamespace = 'billing'::regnamespace) THEN
    ALTER TABLE billing.invoices ADD COLUMN total numeric;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE EXTENSION pg_trgm;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'core.seasons'::regclass AND attname = 'number' AND NOT attisdropped) THEN
    ALTER TABLE core.seasons ADD COLUMN number int;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM information_schema.table_constraints
                 WHERE table_schema = 'core' AND table_name = 'seasons' AND constraint_type = 'PRIMARY KEY') THEN
    ALTER TABLE core.seasons ADD PRIMARY KEY (id);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                 JOIN pg_catalog.pg_class rel ON rel.oid = con.conrelid
                 JOIN pg_catalog.pg_namespace nsp ON nsp.oid = rel.relnamespace
                 WHERE nsp.nspname = 'core' AND rel.relname = 'seasons' AND con.conname = 'seasons_pkey') THEN
    ALTER TABLE core.seasons ADD COLUMN never int;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint c, pg_class t
                 WHERE t.oid = c.conrelid AND t.relname = 'seasons' AND c.contype = 'c') THEN
    ALTER TABLE core.seasons ADD CONSTRAINT seasons_number_check CHECK (number > 0);
  END IF;
END $$;"
    ));
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn elsif_else_and_boolean_operators() {
    let r = one(&format!(
        "{SETUP}
DO $do$
DECLARE
  -- a comment; with a semicolon
  msg text := 'done; really';
BEGIN
  IF to_regclass('core.nope') IS NOT NULL THEN
    ALTER TABLE core.nope ADD COLUMN a int;
  ELSIF NOT (to_regclass('core.shows') IS NULL OR to_regclass('core.orgs') IS NULL)
        AND NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'core' AND table_name = 'orgs' AND column_name = 'name') THEN
    ALTER TABLE core.orgs ADD COLUMN name text;
    ALTER TABLE core.orgs ADD COLUMN slug text;
  ELSE
    ALTER TABLE core.orgs ADD COLUMN other text;
  END IF;
  IF to_regclass('core.nope') IS NOT NULL THEN
    DROP TABLE core.orgs;
  ELSE
    <<inner>>
    BEGIN
      CREATE TABLE core.tags (id int);
    END inner;
  END IF;
  RAISE NOTICE '%', msg;
END
$do$ LANGUAGE plpgsql;
DO LANGUAGE plpgsql $migration$ BEGIN IF to_regclass('core.tags') IS NOT NULL THEN ALTER TABLE core.tags ADD COLUMN label text; END IF; END $migration$;"
    ));
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    insta::assert_snapshot!(render(&r));
}

/// `BEGIN … EXCEPTION WHEN duplicate_object THEN NULL; END`: the error the
/// replay would raise is caught, and the block's work is rolled back.
#[test]
fn exception_handlers_catch_replay_errors() {
    let r = one(&format!(
        "{SETUP}
alter table core.shows add constraint shows_title_check check (title <> '');
DO $$ BEGIN
  BEGIN
    ALTER TABLE core.shows ADD CONSTRAINT shows_title_check CHECK (title <> '');
  EXCEPTION WHEN duplicate_object THEN NULL;
  END;
  BEGIN
    ALTER TABLE core.shows ADD COLUMN rolled_back int;
    ALTER TABLE core.shows ADD COLUMN title text;
  EXCEPTION
    WHEN duplicate_column THEN RAISE NOTICE 'title exists';
  END;
  BEGIN
    CREATE TYPE core.kind AS ENUM ('a');
  EXCEPTION WHEN duplicate_object THEN NULL;
  END;
  BEGIN
    ALTER TABLE core.gone DROP COLUMN x;
  EXCEPTION WHEN undefined_table OR undefined_column THEN NULL;
  END;
  BEGIN
    CREATE INDEX shows_pkey ON core.shows (title);
  EXCEPTION WHEN others THEN NULL;
  END;
END $$;"
    ));
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    let shows = &r.catalog.tables[&schema::QualName::from("core.shows")];
    assert!(shows.column(&"rolled_back".into()).is_none());
    insta::assert_snapshot!(render(&r));
}

/// A handler for another condition does not catch: the error stands, and
/// it points at the statement inside the body.
#[test]
fn uncaught_errors_point_inside_the_body() {
    let err = replay_sources(&sources(&[(
        "0001.sql",
        "create table t (id int);\nDO $$\nBEGIN\n  BEGIN\n    ALTER TABLE t ADD COLUMN id int;\n  EXCEPTION WHEN duplicate_object THEN NULL;\n  END;\nEND $$;\n",
    )]))
    .unwrap_err();
    assert_eq!((err.line, err.column), (5, 5));
    assert!(err.message.contains("already exists"), "{}", err.message);

    let err = replay_sources(&sources(&[(
        "0001.sql",
        "create table t (id int);\nDO $$ BEGIN\n  IF to_regclass('t') IS NOT NULL THEN\n    RAISE EXCEPTION 'table t must not exist yet';\n  END IF;\nEND $$;\n",
    )]))
    .unwrap_err();
    assert_eq!((err.line, err.column), (4, 5));
    insta::assert_snapshot!(err.render());
}

/// Probes about objects outside the model (roles, publications) cannot be
/// decided: a notice when every branch stays outside the model, a warning
/// naming the probe when a branch would change modeled objects. Probes
/// over policies, triggers, functions and views read the replayed Catalog.
#[test]
fn undecidable_probes_are_noted() {
    let r = one(&format!(
        "{SETUP}
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'core' AND tablename = 'shows' AND policyname = 'read') THEN
    CREATE POLICY read ON core.shows FOR SELECT USING (true);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporter') THEN
    CREATE ROLE reporter;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN
    CREATE ROLE auditor;
    GRANT SELECT ON core.shows TO auditor;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'shows_touch' AND tgrelid = 'core.shows'::regclass) THEN
    ALTER TABLE core.shows ADD COLUMN touched_at timestamptz;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'p') OR to_regclass('core.shows') IS NULL THEN
    ALTER TABLE core.shows DROP COLUMN title;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'p') AND to_regclass('core.nope') IS NOT NULL THEN
    ALTER TABLE core.shows DROP COLUMN title;
  END IF;
  IF to_regclass('core.shows') IS NOT NULL THEN
    CREATE POLICY write ON core.shows FOR UPDATE USING (true);
  END IF;
END $$;"
    ));
    insta::assert_snapshot!(notes(&r));
    assert_eq!(warnings(&r), 2);
    let policies: Vec<&str> = r
        .catalog
        .policies
        .values()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(policies, ["read", "write"]);
}

/// An IF the replay cannot decide is still followed when every way
/// through it leaves the same Catalog ("grant if the role exists, else
/// create it and grant"); when the ways differ, none is followed.
#[test]
fn undecided_branches_that_agree_are_followed() {
    let r = one(&format!(
        "{SETUP}
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN
    GRANT SELECT ON core.shows TO analyst;
  ELSE
    CREATE ROLE analyst NOLOGIN;
    GRANT SELECT ON core.shows TO analyst;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'auditor') THEN
    GRANT SELECT ON core.orgs TO auditor;
  ELSE
    GRANT SELECT ON core.shows TO auditor;
  END IF;
END $$;"
    ));
    let grantees: Vec<String> = r
        .catalog
        .grants
        .iter()
        .filter(|g| g.on.schema().as_str() == "core")
        .map(|g| format!("{} {}", g.on, g.grantee))
        .collect();
    assert_eq!(grantees, ["TABLE core.shows analyst"]);
    assert_eq!(warnings(&r), 1, "{}", notes(&r));
    assert!(notes(&r).contains("auditor"), "{}", notes(&r));
}

/// A FOR loop over a catalog query the replay reads runs once per object
/// it lists, so EXECUTE built from the loop variable is followed; a loop
/// whose query it cannot read is noted with the tables it names.
#[test]
fn dynamic_execute_is_noted_and_constant_execute_followed() {
    let r = one(&format!(
        "{SETUP}
alter table core.shows add constraint shows_org_fk foreign key (org_id) references core.orgs;
DO $$
DECLARE
  r record;
  tbl text := 'core.orgs';
BEGIN
  FOR r IN
    SELECT conname FROM pg_constraint
    WHERE conrelid = 'core.shows'::regclass AND contype = 'f'
  LOOP
    EXECUTE format('alter table %s drop constraint %I', 'core.shows', r.conname);
  END LOOP;
  EXECUTE 'ALTER TABLE core.shows ADD COLUMN x int';
  EXECUTE format('ALTER TABLE %s ADD COLUMN %I text', tbl, 'Label');
  EXECUTE 'CREATE TABLE core.backup_' || to_char(now(), 'YYYYMMDD') || ' (LIKE core.shows)';
  EXECUTE format('GRANT SELECT ON %s TO anon', tbl);
  FOR r IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE contype = 'f' AND confrelid = 'core.orgs'::regclass LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
END $$;
create table core.seasons (id int, show_id int references core.shows, org_id int references core.orgs);
DO $$
DECLARE c text;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'core.seasons'::regclass AND contype = 'f' LOOP
    EXECUTE 'ALTER TABLE core.seasons DROP CONSTRAINT ' || quote_ident(c);
  END LOOP;
  FOR r IN SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'core' AND c.relkind = 'r' LOOP
    EXECUTE format('ALTER TABLE %I.%I ADD COLUMN IF NOT EXISTS note text', r.nspname, r.relname);
  END LOOP;
END $$;"
    ));
    insta::assert_snapshot!(render(&r));
}

/// Blocks that only validate or move data have no schema effect, even when
/// their probe reads user tables.
#[test]
fn data_only_blocks_are_info() {
    let r = one(&format!(
        "{SETUP}
DO $$ BEGIN
  IF EXISTS (SELECT org_id, title FROM core.shows GROUP BY org_id, title HAVING count(*) > 1) THEN
    RAISE EXCEPTION 'duplicate titles';
  END IF;
END $$;
DO $$
DECLARE n int; r record;
BEGIN
  SELECT count(*) INTO n FROM core.shows;
  RAISE NOTICE 'shows: %', n;
  PERFORM pg_sleep(0);
  FOR r IN SELECT id FROM core.orgs LOOP
    UPDATE core.shows SET title = 'x' WHERE org_id = r.id;
    INSERT INTO core.orgs (id) VALUES (r.id + 1000);
    DELETE FROM core.orgs WHERE id = r.id;
  END LOOP;
  IF n > 10 THEN
    UPDATE core.shows SET title = upper(title);
  END IF;
END $$;"
    ));
    assert!(r.notes.iter().all(|n| n.severity == Severity::Info));
    insta::assert_snapshot!(notes(&r));
}

#[test]
fn perform_then_if_found() {
    let r = one(&format!(
        "{SETUP}
DO $$ BEGIN
  PERFORM 1 FROM information_schema.columns WHERE table_schema = 'core' AND table_name = 'shows' AND column_name = 'slug';
  IF NOT FOUND THEN
    ALTER TABLE core.shows ADD COLUMN slug text;
  END IF;
  PERFORM 1 FROM pg_constraint WHERE conname = 'shows_pkey';
  IF FOUND THEN
    ALTER TABLE core.shows ADD COLUMN has_pk boolean;
  END IF;
END $$;
DO $$
DECLARE has_slug boolean; has_org boolean;
BEGIN
  SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'shows' AND column_name = 'slug') INTO has_slug;
  has_org := EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'core.shows'::regclass AND attname = 'org_id');
  IF has_slug AND NOT has_org THEN
    ALTER TABLE core.shows ADD COLUMN never int;
  ELSIF has_slug THEN
    ALTER TABLE core.shows ADD COLUMN from_vars int;
  END IF;
  IF (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'core' AND table_name = 'shows') >= 6 THEN
    ALTER TABLE core.shows ADD COLUMN from_count int;
  END IF;
END $$;"
    ));
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    insta::assert_snapshot!(summary(&r.catalog));
}

/// EXECUTE of a constant DO block runs it too (nesting is bounded).
#[test]
fn execute_of_a_constant_do_block_is_followed() {
    let r = one(
        "DO $a$ BEGIN EXECUTE $b$ DO $c$ BEGIN CREATE TABLE made (id int); END $c$ $b$; END $a$;",
    );
    assert!(
        r.catalog
            .tables
            .contains_key(&schema::QualName::from("public.made"))
    );
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    // Twelve DO blocks, each EXECUTE-ing the next: beyond eight the
    // replay stops following and says so.
    let mut sql = "CREATE TABLE deep (id int)".to_string();
    for k in 0..12 {
        sql = format!("DO $t{k}$ BEGIN EXECUTE $e{k}$ {sql} $e{k}$; END $t{k}$");
    }
    let r = one(&sql);
    assert!(r.catalog.tables.is_empty());
    assert_eq!(warnings(&r), 1, "{}", notes(&r));
    assert!(notes(&r).contains("nested too deeply"), "{}", notes(&r));
}

/// `RETURN` ends the body: the idempotency idiom "return when done".
#[test]
fn return_ends_the_body() {
    let block = "DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'shows' AND column_name = 'slug') THEN
    RETURN;
  END IF;
  ALTER TABLE core.shows ADD COLUMN slug text;
END $$;";
    let r = one(&format!("{SETUP}\n{block}\n{block}"));
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    insta::assert_snapshot!(render(&r));

    // A RETURN under a guard the replay cannot decide: what follows may
    // not run, so it is noted, not followed.
    let r = one(&format!(
        "{SETUP}
DO $$ BEGIN
  IF (SELECT count(*) FROM core.shows) > 0 THEN
    RETURN;
  END IF;
  ALTER TABLE core.shows ADD COLUMN slug text;
  CREATE POLICY p ON core.shows USING (true);
END $$;"
    ));
    let shows = &r.catalog.tables[&schema::QualName::from("core.shows")];
    assert!(shows.column(&"slug".into()).is_none());
    insta::assert_snapshot!("return_under_an_undecided_guard", notes(&r));
}

/// Notes about a statement inside a DO body point at that statement.
#[test]
fn inner_notes_point_at_the_inner_statement() {
    let r = one(
        "create table t (id int);\n\nDO $$\nBEGIN\n  IF to_regclass('t') IS NOT NULL THEN\n      CREATE SEQUENCE s;\n      ALTER TABLE t ADD COLUMN x int nut null;\n  END IF;\nEND $$;\n",
    );
    let at: Vec<(usize, usize, Severity)> = r
        .notes
        .iter()
        .map(|n| (n.line, n.column, n.severity))
        .collect();
    assert_eq!(
        at,
        [(6, 7, Severity::Notice), (7, 38, Severity::Warning)],
        "{}",
        notes(&r)
    );
    assert_eq!(r.notes[0].statement, "CREATE SEQUENCE s");
    insta::assert_snapshot!(notes(&r));
}

#[test]
fn unreadable_bodies_and_other_languages_are_warnings() {
    let r = one(
        "DO $$ BEGIN IF to_regclass('core.t') IS NULL THEN CREATE TABLE core.t (id int); END $$;\n\
         DO LANGUAGE plpython3u $$ plpy.execute('alter table t add x int') $$;\n\
         DO 'BEGIN NULL; END';\n",
    );
    insta::assert_snapshot!(notes(&r));
}

const DO_HEAVY: &str = "create schema core;
create table core.t (id int primary key, a text);
DO $x$
DECLARE r record; n int := 0;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_a_check' AND conrelid = 'core.t'::regclass) THEN
    ALTER TABLE core.t ADD CONSTRAINT t_a_check CHECK (a <> ';');
  ELSIF to_regclass('core.u') IS NULL THEN
    CREATE TABLE core.u (id int);
  ELSE
    NULL;
  END IF;
  BEGIN
    CREATE TYPE core.k AS ENUM ('a', 'b');
  EXCEPTION WHEN duplicate_object THEN NULL;
  END;
  FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = 'core.t'::regclass LOOP
    EXECUTE format('alter table core.t drop constraint %I', r.conname);
  END LOOP;
  CASE n WHEN 0 THEN PERFORM 1; ELSE RAISE NOTICE 'x'; END CASE;
  EXECUTE 'ALTER TABLE core.t ADD COLUMN b int';
  EXECUTE format('ALTER TABLE core.t ADD COLUMN c_%s int', to_char(now(), 'YYYY'));
END $x$;
";

/// Every prefix of a DO-heavy file replays to a result or an error, never a
/// panic.
#[test]
fn prefixes_never_panic() {
    let mut checked = 0;
    for cut in (0..=DO_HEAVY.len()).filter(|c| DO_HEAVY.is_char_boundary(*c)) {
        let _ = replay_sources(&sources(&[("0001.sql", &DO_HEAVY[..cut])]));
        checked += 1;
    }
    assert!(checked > 500);
    // Damaged bodies: one byte replaced by something that unbalances.
    for at in (0..DO_HEAVY.len()).step_by(7) {
        for junk in ["(", ")", "'", "$", ";", "\"", "é", "END", "IF"] {
            let mut damaged = DO_HEAVY.to_string();
            damaged.replace_range(at..at + 1, junk);
            let _ = replay_sources(&sources(&[("0001.sql", &damaged)]));
        }
    }
    let r = replay_sources(&sources(&[("0001.sql", DO_HEAVY)])).unwrap();
    assert_eq!(warnings(&r), 1, "{}", notes(&r));
}

/// A rebuild moves the old index out of the way under a name computed at
/// run time, then re-creates the name. `now()` stands in as a fixed time,
/// so the rename is followed (with a warning naming the stand-in) and the
/// re-created index does not collide.
#[test]
fn run_time_names_get_a_deterministic_stand_in() {
    let r = replay(&[
        ("0001_setup.sql", SETUP),
        (
            "0002_index.sql",
            "create index shows_title_idx on core.shows (title);",
        ),
        (
            "0003_rebuild.sql",
            "do $$
declare
  new_name text;
begin
  new_name := 'shows_title_idx_old_' || to_char(now(), 'YYYYMMDDHH24MISS');
  execute format('alter index core.shows_title_idx rename to %I', new_name);
end $$;
create index shows_title_idx on core.shows (lower(title));",
        ),
    ]);
    assert!(r.approximate().is_empty(), "{:#?}", r.notes);
    let indexes: Vec<String> = r.catalog.indexes.keys().map(|i| i.to_string()).collect();
    assert_eq!(
        indexes,
        [
            "core.shows_title_idx",
            "core.shows_title_idx_old_20000101000000"
        ]
    );
    insta::assert_snapshot!(notes(&r));
}

/// Catalog-driven loops whose query lists tables with `IN (…::regclass)`
/// and `OR` run once per constraint of the replayed Catalog; a statement
/// built with `concat` from `information_schema.table_constraints` into a
/// variable, then executed, is followed too.
#[test]
fn catalog_loops_with_in_lists_and_statements_built_into_variables() {
    let r = replay(&[
        ("0001_setup.sql", SETUP),
        (
            "0002_links.sql",
            "create table core.seasons (id int primary key, show_id int references core.shows, org_id int references core.orgs);
create table core.notes (id int primary key, show_id int references core.shows, body text constraint notes_body_check check (body <> ''));",
        ),
        (
            "0003_drop_links.sql",
            "do $$
declare
  r record;
  v text;
begin
  for r in
    select conrelid::regclass as t, conname
      from pg_constraint
     where contype = 'f'
       and (confrelid in ('core.shows'::regclass, 'core.orgs'::regclass) or conname = 'nothing')
  loop
    execute format('alter table %s drop constraint %I', r.t, r.conname);
  end loop;
  select concat('ALTER TABLE core.notes DROP CONSTRAINT ', constraint_name) into v
    from information_schema.table_constraints
   where table_schema = 'core' and table_name = 'notes' and constraint_type = 'CHECK';
  execute v;
end $$;",
        ),
    ]);
    assert_eq!(warnings(&r), 0, "{}", notes(&r));
    let constraints: Vec<String> = r
        .catalog
        .tables
        .values()
        .flat_map(|t| {
            t.constraints
                .values()
                .map(move |c| format!("{}.{}", t.name, c.name))
        })
        .collect();
    assert!(constraints.is_empty(), "{constraints:#?}");
    insta::assert_snapshot!(render(&r));
}
