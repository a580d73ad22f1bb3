//! Schema docs, ERD and the pull-request markdown for `examples/`
//! (snapshots, read them as a user would), and the proof that the docs'
//! JSON agrees with PostgreSQL.
//!
//! The agreement test: for every complete round-trip scenario, a scratch
//! database runs the Supabase stand-in, `setup.sql`, `before.sql` and the
//! plan; for every table the declaration has, the JSON generated offline
//! from the declaration must equal the same keys read back from
//! `information_schema` / `pg_catalog` (`data_type`, `column_default` as
//! PostgreSQL deparses it, `pg_get_indexdef`, …). Columns are compared by
//! name, not position: a column the plan adds goes last in the database,
//! while the docs list the declared order (what a fresh database has).

use engine::config::Config;
use engine::scratch::ScratchDb;
use schema::{Catalog, Ident, QualName, Source};
use serde_json::{Value, json};
use std::path::Path;
use trr_snapshots::roundtrip::{Scenario, scenario_names};

fn examples() -> Config {
    Config::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples"))
        .expect("examples/trr-schema.toml")
}

/// The declared Catalog of `examples/`, as `docs` loads it.
fn declared() -> Catalog {
    let config = examples();
    schema::lang::load_dir_managed(&config.schema_dir, &config.schemas)
        .unwrap_or_else(|e| panic!("examples/schema loads: {e}"))
}

/// The generated files as one text, each under a header.
fn all_files(files: &[engine::docs::DocFile]) -> String {
    files
        .iter()
        .map(|f| format!("==> {} <==\n{}", f.name, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn example_docs() {
    let config = examples();
    let files = engine::docs::generate(&declared(), &config.schemas);
    insta::assert_snapshot!(all_files(&files));
}

/// The docs committed under `examples/supabase/schema_docs` are current,
/// as `trr-schema docs --check` requires in the sample workflow.
#[test]
fn example_docs_on_disk_are_current() {
    let config = examples();
    let files = engine::docs::generate(&declared(), &config.schemas);
    let dir = config.root.join("supabase/schema_docs");
    let stale = engine::docs::check(&dir, &files).expect("reading examples/supabase/schema_docs");
    assert!(
        stale.is_empty(),
        "examples/supabase/schema_docs is stale (run `trr-schema --dir examples docs`): {stale:#?}"
    );
}

#[test]
fn example_erd_mermaid() {
    let erd = engine::erd::Erd::of(&declared(), |_| true);
    insta::assert_snapshot!(erd.mermaid());
}

#[test]
fn example_erd_dot() {
    let erd = engine::erd::Erd::of(&declared(), |t| t.schema.as_str() == "core");
    insta::assert_snapshot!(erd.dot());
}

#[test]
fn example_plan_markdown_for_a_pull_request() {
    let config = examples();
    let declared = schema::lang::load_dir_declared(&config.schema_dir, &config.schemas)
        .unwrap_or_else(|e| panic!("examples/schema loads: {e}"));
    let replayed =
        engine::replay::replay_dir(&config.migrations_dir).expect("examples migrations replay");
    let plan = engine::plan::plan_declared(
        &replayed.catalog,
        &declared.catalog,
        &declared.intents,
        &config.plan_options(),
    );
    insta::assert_snapshot!(engine::report::markdown::render_with_erd(
        &plan,
        &declared.catalog
    ));
}

/// The keys PostgreSQL can confirm, from a generated document.
fn comparable(doc: &Value) -> Value {
    let mut columns: Vec<Value> = doc["columns"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            json!({
                "name": c["name"],
                "data_type": c["data_type"],
                "is_nullable": c["is_nullable"],
                "default": c["default"],
                "is_identity": c["is_identity"],
                "is_generated": c["is_generated"],
            })
        })
        .collect();
    sort_by_name(&mut columns);
    json!({
        "schema": doc["schema"],
        "table": doc["table"],
        "columns": columns,
        "primary_key": doc["primary_key"],
        "foreign_keys": doc["foreign_keys"],
        "unique_constraints": doc["unique_constraints"],
        "indexes": doc["indexes"],
        "rls_enabled": doc["rls_enabled"],
    })
}

fn sort_by_name(list: &mut [Value]) {
    list.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
}

/// The same keys, read from the database with the queries a person would
/// run.
fn from_postgres(client: &mut postgres::Client, table: &QualName) -> Result<Value, String> {
    let (schema, name) = (table.schema.as_str(), table.name.as_str());
    let oid_row = client
        .query_one(
            "SELECT c.oid, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = $1 AND c.relname = $2",
            &[&schema, &name],
        )
        .map_err(|e| format!("{table} is not in the database: {e}"))?;
    let oid: u32 = oid_row.get(0);
    let rls: bool = oid_row.get(1);
    let q = |client: &mut postgres::Client, sql: &str| {
        client
            .query(sql, &[&oid])
            .map_err(|e| format!("{table}: {e}"))
    };

    let mut columns: Vec<Value> = client
        .query(
            "SELECT column_name::text, data_type::text, is_nullable::text, column_default::text,
                    is_identity::text, is_generated::text
               FROM information_schema.columns
              WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
            &[&schema, &name],
        )
        .map_err(|e| format!("{table}: {e}"))?
        .iter()
        .map(|r| {
            json!({
                "name": r.get::<_, String>(0),
                "data_type": r.get::<_, String>(1),
                "is_nullable": r.get::<_, String>(2),
                "default": r.get::<_, Option<String>>(3),
                "is_identity": r.get::<_, String>(4),
                "is_generated": r.get::<_, String>(5),
            })
        })
        .collect();
    sort_by_name(&mut columns);

    let primary_key: Vec<String> = q(
        client,
        "SELECT a.attname::text FROM pg_constraint c
           CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
          WHERE c.conrelid = $1 AND c.contype = 'p' ORDER BY k.ord",
    )?
    .iter()
    .map(|r| r.get(0))
    .collect();

    let foreign_keys: Vec<Value> = q(
        client,
        "SELECT c.conname::text, a.attname::text,
                rn.nspname || '.' || rc.relname || '.' || ra.attname
           FROM pg_constraint c
           CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY k(attnum, refnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
           JOIN pg_class rc ON rc.oid = c.confrelid
           JOIN pg_namespace rn ON rn.oid = rc.relnamespace
           JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refnum
          WHERE c.conrelid = $1 AND c.contype = 'f' ORDER BY c.conname, k.ord",
    )?
    .iter()
    .map(|r| {
        json!({
            "constraint": r.get::<_, String>(0),
            "column": r.get::<_, String>(1),
            "references": r.get::<_, String>(2),
        })
    })
    .collect();

    let unique_constraints: Vec<Vec<String>> = q(
        client,
        "SELECT array_agg(a.attname::text ORDER BY k.ord) FROM pg_constraint c
           CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
          WHERE c.conrelid = $1 AND c.contype = 'u' GROUP BY c.conname ORDER BY c.conname",
    )?
    .iter()
    .map(|r| r.get(0))
    .collect();

    let indexes: Vec<Value> = q(
        client,
        "SELECT ic.relname::text, i.indisunique, pg_get_indexdef(i.indexrelid),
                ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false)
                        FROM generate_series(1, i.indnkeyatts) k ORDER BY k)
           FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
          WHERE i.indrelid = $1 ORDER BY ic.relname",
    )?
    .iter()
    .map(|r| {
        json!({
            "name": r.get::<_, String>(0),
            "columns": r.get::<_, Vec<String>>(3),
            "unique": r.get::<_, bool>(1),
            "definition": r.get::<_, String>(2),
        })
    })
    .collect();

    Ok(json!({
        "schema": schema,
        "table": name,
        "columns": columns,
        "primary_key": primary_key,
        "foreign_keys": foreign_keys,
        "unique_constraints": unique_constraints,
        "indexes": indexes,
        "rls_enabled": rls,
    }))
}

/// The number of tables compared in one scenario (`usize::MAX` when its
/// plan is incomplete by design), and the differences as readable text
/// (`None` when it agrees).
fn check_scenario(name: &str) -> Result<(usize, Option<String>), String> {
    let scenario = Scenario::load(name)?;
    let prepared = scenario.prepare()?;
    if prepared.check_unsupported()? {
        // Incomplete by design: the plan cannot build the declaration.
        return Ok((usize::MAX, None));
    }
    let Some(mut db) = ScratchDb::create("trr_docs").map_err(|e| e.to_string())? else {
        return Err("no database".into());
    };
    db.install_standin().map_err(|e| e.to_string())?;
    let mut sources: Vec<Source> = scenario.history();
    for (i, file) in prepared.plan.files.iter().enumerate() {
        sources.push(Source::new(
            format!("plan/{:04}_{}.sql", i + 1, file.slug),
            file.sql.clone(),
        ));
    }
    for source in &sources {
        db.run_source(source).map_err(|e| e.to_string())?;
    }
    let managed: &[Ident] = &prepared.managed;
    let mut out = String::new();
    let docs = engine::docs::table_docs(&prepared.desired, managed);

    // Every table the database has in the managed schemas is documented.
    let schemas: Vec<&str> = managed.iter().map(|s| s.as_str()).collect();
    let live_tables: Vec<String> = db
        .client()
        .query(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
              ORDER BY 1",
            &[&schemas],
        )
        .map_err(|e| e.to_string())?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut documented: Vec<String> = docs
        .iter()
        .map(|d| format!("{}.{}", d.schema, d.table))
        .collect();
    documented.sort();
    if live_tables != documented {
        out.push_str(&format!(
            "{name}: the database has tables {live_tables:?}, the docs {documented:?}\n"
        ));
    }

    let tables = docs.len();
    for doc in docs {
        let generated = comparable(&serde_json::to_value(&doc).map_err(|e| e.to_string())?);
        let table = QualName::new(doc.schema.as_str(), doc.table.as_str());
        let live = from_postgres(db.client(), &table)?;
        if generated != live {
            let left = serde_json::to_string_pretty(&live).unwrap_or_default();
            let right = serde_json::to_string_pretty(&generated).unwrap_or_default();
            out.push_str(&format!(
                "{name} {table}:\n{}",
                similar::TextDiff::from_lines(&left, &right)
                    .unified_diff()
                    .context_radius(2)
                    .header("postgres", "generated")
            ));
        }
    }
    Ok((tables, (!out.is_empty()).then_some(out)))
}

#[test]
fn generated_json_agrees_with_postgres_for_every_scenario() {
    // One probe first: skip (outside CI) or fail (under CI) as the other
    // database tests do.
    if ScratchDb::for_test("trr_docs_probe").is_none() {
        return;
    }
    let mut failures = Vec::new();
    let (mut checked, mut tables, mut incomplete) = (0, 0, 0);
    for name in scenario_names() {
        match check_scenario(&name) {
            // Incomplete by design: nothing to compare.
            Ok((usize::MAX, None)) => incomplete += 1,
            Ok((n, None)) => {
                checked += 1;
                tables += n;
            }
            Ok((_, Some(diff))) => failures.push(diff),
            Err(e) => failures.push(format!("{name}: {e}\n")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios disagree with PostgreSQL:\n{}",
        failures.len(),
        checked + failures.len(),
        failures.join("\n")
    );
    assert!(checked > 100, "only {checked} scenarios checked");
    eprintln!(
        "the docs agree with PostgreSQL on {tables} tables in {checked} scenarios \
         ({incomplete} scenarios with a plan incomplete by design not compared)"
    );
}
