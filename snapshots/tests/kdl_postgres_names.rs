//! Derived names and serial defaults checked against a real PostgreSQL: the
//! same schema is created with SQL in a scratch database and the names
//! PostgreSQL chose must be the names the loader derived.

use engine::scratch::ScratchDb;
use schema::lang::load_sources;
use schema::{Catalog, Source};

/// Runs `commands` in order on `db` and returns the rows of the last one,
/// each row's single text column on its own line.
fn run(db: &mut ScratchDb, commands: &[&str]) -> String {
    let (last, before) = commands.split_last().expect("at least one command");
    for c in before {
        db.client()
            .batch_execute(c)
            .unwrap_or_else(|e| panic!("{c}: {e}"));
    }
    let rows = db
        .client()
        .simple_query(last)
        .unwrap_or_else(|e| panic!("{last}: {e}"));
    rows.iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn load(text: &str) -> Catalog {
    load_sources(&[Source::new("schema/core.kdl", text)]).unwrap_or_else(|e| panic!("{e}"))
}

/// `table|constraint` lines, sorted, for every table of the catalog.
fn loader_names(c: &Catalog) -> String {
    let mut lines: Vec<String> = Vec::new();
    for t in c.tables.values() {
        if let Some(pk) = &t.primary_key {
            lines.push(format!("{}|{}", t.name, pk.name));
        }
        for name in t.constraints.keys() {
            lines.push(format!("{}|{}", t.name, name));
        }
    }
    lines.sort();
    lines.join("\n")
}

fn postgres_names(db: &mut ScratchDb) -> String {
    let out = run(
        db,
        &[
            "SET search_path = ''",
            "SELECT conrelid::regclass::text || '|' || quote_ident(conname) FROM pg_constraint \
         WHERE connamespace = 'core'::regnamespace AND contype IN ('p', 'u', 'c', 'f') ORDER BY 1",
        ],
    );
    let mut lines: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    lines.sort();
    lines.join("\n")
}

#[test]
fn derived_constraint_names_match_postgres() {
    let kdl = r#"
        schema core
        table core.orgs { column id uuid primary-key=#true }
        table core.shows {
            column id uuid primary-key=#true
            column org_id uuid { references core.orgs; }
            column slug text
            column title text { check "char_length(title) > 0"; check "title <> 'x'"; }
            column starts_at date
            column ends_at date
            unique org_id slug
            unique slug org_id
            check "ends_at > starts_at"
            check "now() > '2000-01-01'"
        }
        table core.a { column x int; check "x > 0" name=b_x_check }
        table core.b { column x int { check "x > 0"; } }
        table core.tttttttttttttttttttttttttttttttttttttttt {
            column cccccccccccccccccccccccccccccccccccccccc int unique=#true
        }
    "#;
    let sql = "CREATE SCHEMA core;\
        CREATE TABLE core.orgs (id uuid PRIMARY KEY);\
        CREATE TABLE core.shows (\
            id uuid PRIMARY KEY,\
            org_id uuid NOT NULL REFERENCES core.orgs,\
            slug text NOT NULL,\
            title text NOT NULL CHECK (char_length(title) > 0) CHECK (title <> 'x'),\
            starts_at date NOT NULL, ends_at date NOT NULL,\
            UNIQUE (org_id, slug), UNIQUE (slug, org_id),\
            CHECK (ends_at > starts_at), CHECK (now() > '2000-01-01'));\
        CREATE TABLE core.a (x int NOT NULL, CONSTRAINT b_x_check CHECK (x > 0));\
        CREATE TABLE core.b (x int NOT NULL CHECK (x > 0));\
        CREATE TABLE core.tttttttttttttttttttttttttttttttttttttttt (cccccccccccccccccccccccccccccccccccccccc int UNIQUE);";
    let Some(mut db) = ScratchDb::for_test("kdl_names") else {
        return;
    };
    run(&mut db, &[sql]);
    assert_eq!(loader_names(&load(kdl)), postgres_names(&mut db));
}

#[test]
fn serial_defaults_match_pg_get_expr() {
    let kdl = r##"
        table core.shows { column n serial; column b bigserial; column s smallserial }
        table #""Shows""# { column #""N""# serial }
    "##;
    let Some(mut db) = ScratchDb::for_test("kdl_serial") else {
        return;
    };
    run(
        &mut db,
        &[
            "CREATE SCHEMA core; CREATE TABLE core.shows (n serial, b bigserial, s smallserial); \
         CREATE TABLE \"Shows\" (\"N\" serial)",
        ],
    );
    let from_pg = run(
        &mut db,
        &[
            "SET search_path = ''",
            "SELECT a.attrelid::regclass::text || '|' || a.attname || '|' || format_type(a.atttypid, a.atttypmod) \
         || '|' || pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d \
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum ORDER BY 1",
        ],
    );
    let c = load(kdl);
    let mut from_kdl: Vec<String> = c
        .tables
        .values()
        .flat_map(|t| {
            t.columns.iter().map(move |col| {
                format!(
                    "{}|{}|{}|{}",
                    t.name,
                    col.name.as_str(),
                    col.ty,
                    col.default.as_ref().unwrap()
                )
            })
        })
        .collect();
    from_kdl.sort();
    let mut from_pg: Vec<&str> = from_pg.lines().filter(|l| !l.is_empty()).collect();
    from_pg.sort();
    assert_eq!(from_kdl.join("\n"), from_pg.join("\n"));
}
