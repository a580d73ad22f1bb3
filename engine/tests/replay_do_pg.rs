//! A history that uses every DO pattern the replay follows, run on
//! PostgreSQL (with the Supabase stand-in) and replayed offline: both must
//! give the same Catalog. Each guarded file runs twice, so the second run
//! takes the other branch of every guard.

mod common;

use common::ScratchDb;
use engine::introspect::{introspect, readable};
use engine::replay::{Severity, replay_sources};
use engine::scratch::run_statements;
use schema::{Ident, Source};

const SETUP: &str = r#"
create schema if not exists core;
create table core.orgs (id int primary key, name text not null);
create table core.shows (id int primary key, org_id int, title text not null);
create table core.legacy_tags (id int primary key, label text);
create or replace function core.touch() returns trigger language plpgsql as $$
begin new.title := trim(new.title); return new; end $$;
alter table core.shows enable row level security;
"#;

const GUARDS: &str = r#"
-- constraints, columns, indexes and enum labels added once
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint
    WHERE conname = 'shows_org_fk' AND conrelid = 'core.shows'::regclass
  ) THEN
    ALTER TABLE core.shows
      ADD CONSTRAINT shows_org_fk FOREIGN KEY (org_id) REFERENCES core.orgs (id) ON DELETE CASCADE;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = 'core' AND table_name = 'shows' AND column_name = 'slug') THEN
    ALTER TABLE core.shows ADD COLUMN slug text;
    UPDATE core.shows SET slug = lower(title);
    ALTER TABLE core.shows ALTER COLUMN slug SET NOT NULL;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_indexes
                 WHERE schemaname = 'core' AND tablename = 'shows' AND indexname = 'shows_org_slug_idx') THEN
    CREATE UNIQUE INDEX shows_org_slug_idx ON core.shows (org_id, slug);
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                 WHERE n.nspname = 'core' AND t.typname = 'show_status') THEN
    CREATE TYPE core.show_status AS ENUM ('active', 'paused');
  END IF;
END $$;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_enum WHERE enumlabel = 'ended' AND enumtypid = 'core.show_status'::regtype) THEN
    ALTER TYPE core.show_status ADD VALUE 'ended';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = 'core' AND table_name = 'shows' AND column_name = 'status') THEN
    ALTER TABLE core.shows ADD COLUMN status core.show_status;
  END IF;
END $$;
"#;

const REBUILD: &str = r#"
-- rename out of the way, then create, with ELSIF/ELSE and handlers
DO $migration$
DECLARE
  msg text := 'legacy; renamed';
BEGIN
  IF to_regclass('core.legacy_tags') IS NOT NULL AND to_regclass('core.legacy_tags_old') IS NULL THEN
    ALTER TABLE core.legacy_tags RENAME TO legacy_tags_old;
    RAISE NOTICE '%', msg;
  ELSIF to_regclass('core.tags') IS NULL THEN
    RAISE EXCEPTION 'neither legacy_tags nor tags exists';
  ELSE
    NULL;
  END IF;

  IF to_regclass('core.tags') IS NULL THEN
    CREATE TABLE core.tags (id int PRIMARY KEY, label text NOT NULL);
    INSERT INTO core.tags (id, label) SELECT id, coalesce(label, '') FROM core.legacy_tags_old;
  END IF;

  IF to_regnamespace('billing') IS NULL THEN
    CREATE SCHEMA billing;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'invoices' AND relnamespace = 'billing'::regnamespace) THEN
    CREATE TABLE billing.invoices (id int PRIMARY KEY, org_id int NOT NULL REFERENCES core.orgs (id));
  END IF;

  BEGIN
    ALTER TABLE core.tags ADD CONSTRAINT tags_label_check CHECK (length(label) > 0);
  EXCEPTION WHEN duplicate_object THEN NULL;
  END;
  BEGIN
    CREATE TABLE billing.payments (id int PRIMARY KEY);
  EXCEPTION WHEN duplicate_table THEN NULL;
  END;
  BEGIN
    CREATE TYPE billing.currency AS ENUM ('usd', 'eur');
  EXCEPTION WHEN duplicate_object THEN NULL;
  END;
  BEGIN
    ALTER TABLE billing.invoices ADD COLUMN currency billing.currency;
  EXCEPTION WHEN duplicate_column THEN NULL;
  END;
END
$migration$ LANGUAGE plpgsql;
"#;

const OUTSIDE: &str = r#"
-- probes over policies and triggers (decided), and over roles (not
-- decided), guarding objects outside the model
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE schemaname = 'core' AND tablename = 'shows' AND policyname = 'shows read') THEN
    CREATE POLICY "shows read" ON core.shows FOR SELECT TO authenticated USING (true);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'shows_touch' AND tgrelid = 'core.shows'::regclass) THEN
    CREATE TRIGGER shows_touch BEFORE INSERT OR UPDATE ON core.shows FOR EACH ROW EXECUTE FUNCTION core.touch();
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN
    CREATE SEQUENCE IF NOT EXISTS core.report_seq;
  END IF;
END $$;

DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT policyname FROM pg_policies WHERE schemaname = 'core' AND tablename = 'tags' LOOP
    EXECUTE format('DROP POLICY %I ON core.tags', r.policyname);
  END LOOP;
END $$;
"#;

const DATA: &str = r#"
-- validations, backfills, constant EXECUTE, PERFORM … FOUND
DO $$ BEGIN
  IF EXISTS (SELECT org_id, slug FROM core.shows GROUP BY org_id, slug HAVING count(*) > 1) THEN
    RAISE EXCEPTION 'duplicate slugs';
  END IF;
END $$;

DO $$
DECLARE r record; n int;
BEGIN
  SELECT count(*) INTO n FROM core.shows;
  FOR r IN SELECT id FROM core.orgs LOOP
    UPDATE core.shows SET title = trim(title) WHERE org_id = r.id;
  END LOOP;
  RAISE NOTICE 'checked % shows', n;
END $$;

DO $$ BEGIN
  PERFORM 1 FROM information_schema.columns
  WHERE table_schema = 'core' AND table_name = 'orgs' AND column_name = 'archived_at';
  IF NOT FOUND THEN
    EXECUTE 'ALTER TABLE core.orgs ADD COLUMN archived_at timestamptz';
    EXECUTE format('CREATE INDEX %I ON core.orgs (%I)', 'orgs_archived_idx', 'archived_at');
  END IF;
END $$;

DO $$
DECLARE has_region boolean;
BEGIN
  SELECT EXISTS (SELECT 1 FROM information_schema.columns
                 WHERE table_schema = 'core' AND table_name = 'orgs' AND column_name = 'region') INTO has_region;
  IF NOT has_region AND (SELECT count(*) FROM pg_indexes WHERE schemaname = 'core' AND tablename = 'orgs') < 3 THEN
    ALTER TABLE core.orgs ADD COLUMN region text;
  END IF;
END $$;
"#;

const DYNAMIC: &str = r#"
-- the foreign keys of a table dropped by a loop over pg_constraint, then
-- one added back under a name built by the loop's own query
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
           WHERE conrelid = 'core.shows'::regclass AND contype = 'f'
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
  FOR r IN SELECT c.relname, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'billing' AND c.relkind = 'r'
  LOOP
    EXECUTE format('ALTER TABLE %I.%I ADD COLUMN IF NOT EXISTS note text', r.nspname, r.relname);
  END LOOP;
  -- every foreign key pointing at either table, listed with IN and OR
  FOR r IN SELECT conrelid::regclass AS t, conname FROM pg_constraint
           WHERE contype = 'f'
             AND (confrelid IN ('core.orgs'::regclass, 'core.shows'::regclass) OR conname = 'no_such_fk')
  LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.t, r.conname);
  END LOOP;
  EXECUTE 'ALTER TABLE core.shows ADD CONSTRAINT shows_org_fk FOREIGN KEY (org_id) REFERENCES core.orgs (id)';
END $$;

-- a statement built into a variable from information_schema, then run
DO $$
DECLARE
  v text;
BEGIN
  ALTER TABLE core.orgs ADD CONSTRAINT orgs_name_check CHECK (name <> '');
  SELECT concat('ALTER TABLE core.orgs DROP CONSTRAINT ', constraint_name) INTO v
    FROM information_schema.table_constraints
   WHERE table_schema = 'core' AND table_name = 'orgs' AND constraint_type = 'CHECK'
     AND constraint_name = 'orgs_name_check';
  EXECUTE v;
END $$;
"#;

fn history() -> Vec<Source> {
    [
        ("0001_setup.sql", SETUP),
        ("0002_guards.sql", GUARDS),
        ("0003_rebuild.sql", REBUILD),
        ("0004_outside.sql", OUTSIDE),
        ("0005_data.sql", DATA),
        ("0006_dynamic.sql", DYNAMIC),
        // The same files again: every guard now takes its other branch.
        ("0007_guards_again.sql", GUARDS),
        ("0008_rebuild_again.sql", REBUILD),
        ("0009_outside_again.sql", OUTSIDE),
        ("0010_data_again.sql", DATA),
        ("0011_dynamic_again.sql", DYNAMIC),
    ]
    .into_iter()
    .map(|(p, t)| Source::new(format!("supabase/migrations/{p}"), t))
    .collect()
}

#[test]
fn offline_replay_of_do_blocks_equals_postgres() {
    let history = history();
    let replayed = match replay_sources(&history) {
        Ok(r) => r,
        Err(e) => panic!("offline replay failed:\n{}", e.render()),
    };
    // Everything in this history is followed or outside the model.
    let warnings: Vec<_> = replayed
        .notes
        .iter()
        .filter(|n| n.severity == Severity::Warning)
        .collect();
    assert!(warnings.is_empty(), "{warnings:#?}");
    // The second run of each file skips what the first one did.
    let summaries: Vec<String> = replayed
        .notes
        .iter()
        .filter(|n| n.reason.starts_with("DO ("))
        .map(|n| format!("{}:{} {}", n.file.display(), n.line, n.reason))
        .collect();
    insta::assert_snapshot!(summaries.join("\n"));

    let Some(mut db) = ScratchDb::for_test("trr_do") else {
        return;
    };
    db.install_standin().expect("stand-in installs");
    for source in &history {
        if let Err(e) = run_statements(db.client(), source) {
            panic!("PostgreSQL refused the history: {e}");
        }
    }
    let schemas = [Ident::new("core"), Ident::new("billing")];
    let live = introspect(db.client(), &schemas).expect("introspect");
    let offline = replayed.catalog.restricted_to(&schemas);
    similar_asserts(&readable(&live), &readable(&offline));
}

fn similar_asserts(live: &str, offline: &str) {
    if live != offline {
        let diff = similar::TextDiff::from_lines(live, offline)
            .unified_diff()
            .context_radius(4)
            .header("postgres", "offline replay")
            .to_string();
        panic!("offline replay differs from PostgreSQL:\n{diff}");
    }
}
