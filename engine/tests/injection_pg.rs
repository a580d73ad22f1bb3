//! Hostile KDL values cannot reach PostgreSQL as SQL.
//!
//! Written from the attacker's side of the security review: every value a
//! schema file can carry into a migration is tried with text built to end
//! its statement and run another (quotes, semicolons, dollar quotes,
//! backslashes, comment starts, line breaks, NUL). Each value is either
//! refused at load with `file:line:column`, or the plan's files, run by
//! `psql` exactly as a deployment pipeline runs them, store it verbatim and
//! create nothing that was not declared — and `core.shows`, which every
//! payload tries to drop, is still there.

use engine::plan::{Plan, PlanOptions, plan_declared};
use engine::replay::replay_sources;
use engine::scratch::{ScratchDb, in_ci};
use schema::lang::LoadError;
use schema::{Catalog, ConstraintKind, Ident, Source};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The project's history before the schema files: one table every payload
/// tries to drop.
const BEFORE: &str = "create schema core;\n\
    create table core.shows (id bigint primary key, title text not null);\n\
    insert into core.shows values (1, 'first');\n";

const SHOWS: &str = "schema core\ntable core.shows {\n    column id bigint\n    column title text\n    primary-key id\n}\n";

const FILE: &str = "schema/app.kdl";

/// What the files of a hostile case must do on PostgreSQL.
struct Stored {
    /// A query returning one text value…
    query: String,
    /// …that must equal this.
    expected: String,
}

fn stored(query: impl Into<String>, expected: impl Into<String>) -> Stored {
    Stored {
        query: query.into(),
        expected: expected.into(),
    }
}

/// A KDL string literal holding exactly `text`: every character that could
/// end the string, or that KDL forbids in a document, is escaped.
fn kdl_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || matches!(c as u32, 0x200E..=0x200F | 0x202A..=0x202E | 0x2066..=0x2069 | 0xFEFF | 0x2028 | 0x2029 | 0x85) =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `text` as a SQL string literal (what a user writes inside an expression).
fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `name` as a SQL quoted identifier (what a user writes to keep a name as is).
fn sql_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Loads `kdl` after the declaration of `core.shows` as the history has it.
fn load(kdl: &str) -> Result<schema::Declared, LoadError> {
    load_whole(&format!("{SHOWS}{kdl}"))
}

fn load_whole(kdl: &str) -> Result<schema::Declared, LoadError> {
    let core = [Ident::new("core")];
    schema::lang::load_sources_declared(&[Source::new(FILE, kdl)], Some(&core))
}

fn plan_of(declared: &schema::Declared) -> Plan {
    let current = replay_sources(&[Source::new("supabase/migrations/0001_init.sql", BEFORE)])
        .expect("the history replays")
        .catalog;
    let plan = plan_declared(
        &current,
        &declared.catalog,
        &declared.intents,
        &PlanOptions::new(vec![Ident::new("core")]),
    );
    assert!(
        plan.unsupported.is_empty(),
        "unexpected unsupported steps: {:?}",
        plan.unsupported
    );
    plan
}

/// The load must fail with an error that points into the file and says
/// `message`.
fn assert_refused(kdl: &str, message: &str) {
    let err = match load(kdl) {
        Ok(_) => panic!("loaded, but should have been refused:\n{kdl}"),
        Err(e) => e,
    };
    let problem = err
        .problems
        .iter()
        .find(|p| p.message.contains(message))
        .unwrap_or_else(|| panic!("no problem says `{message}`: {err}"));
    let location = problem
        .location
        .strip_prefix(&format!("{FILE}:"))
        .unwrap_or_else(|| panic!("`{}` does not point into {FILE}", problem.location));
    let mut parts = location.split(':');
    for what in ["line", "column"] {
        let n: usize = parts
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no {what} in `{}`", problem.location));
        assert!(n >= 1);
    }
}

fn psql() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("psql"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            !in_ci(),
            "psql is needed under CI=true to run plans as a pipeline would"
        );
        eprintln!("skipped: no psql on PATH");
    }
    found
}

/// Runs one SQL file through psql, stopping at the first error, as
/// `psql -f` in a deployment pipeline would. `Err` holds psql's output.
fn run_file(psql: &Path, db: &ScratchDb, dir: &Path, name: &str, sql: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, sql).expect("write the file");
    let out = Command::new(psql)
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db.url(), "-f"])
        .arg(&path)
        .output()
        .expect("run psql");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn query_texts(db: &mut ScratchDb, sql: &str) -> BTreeSet<String> {
    db.client()
        .query(sql, &[])
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect()
}

const NOT_SYSTEM: &str = "n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')";

/// Relations, functions and schemas the database holds, outside the system.
fn objects(db: &mut ScratchDb) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let relations = query_texts(
        db,
        &format!(
            "select n.nspname || '.' || c.relname from pg_class c \
             join pg_namespace n on n.oid = c.relnamespace where {NOT_SYSTEM} and c.relkind <> 't'"
        ),
    );
    let functions = query_texts(
        db,
        &format!(
            "select n.nspname || '.' || p.proname from pg_proc p \
             join pg_namespace n on n.oid = p.pronamespace where {NOT_SYSTEM}"
        ),
    );
    let schemas = query_texts(
        db,
        &format!(
            "select n.nspname from pg_namespace n where {NOT_SYSTEM} and n.nspname not like 'pg_temp%' and n.nspname not like 'pg_toast_temp%'"
        ),
    );
    (relations, functions, schemas)
}

/// What the desired Catalog declares, named as the queries in [`objects`]
/// name them.
fn declared_objects(c: &Catalog) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let qual = |schema: &Ident, name: &Ident| format!("{}.{}", schema.as_str(), name.as_str());
    let mut relations = BTreeSet::new();
    for t in c.tables.values() {
        relations.insert(qual(&t.name.schema, &t.name.name));
        if let Some(pk) = &t.primary_key {
            relations.insert(qual(&t.name.schema, &pk.name));
        }
        for con in t.constraints.values() {
            if matches!(con.kind, ConstraintKind::Unique { .. }) {
                relations.insert(qual(&t.name.schema, &con.name));
            }
        }
    }
    for i in c.indexes.values() {
        relations.insert(qual(&i.name.schema, &i.name.name));
    }
    for v in c.views.values() {
        relations.insert(qual(&v.name.schema, &v.name.name));
    }
    let functions = c
        .functions
        .values()
        .map(|f| qual(&f.name.schema, &f.name.name))
        .collect();
    let mut schemas: BTreeSet<String> = c.schemas.keys().map(|s| s.as_str().to_string()).collect();
    schemas.insert("public".into());
    schemas.insert("core".into());
    (relations, functions, schemas)
}

/// Applies `declared`'s plan with psql on a fresh database holding the
/// history, then checks `core.shows` survived, nothing undeclared exists,
/// and every `stored` value reads back exactly; then runs the rollbacks in
/// reverse and checks `core.shows` once more.
fn apply_and_check(label: &str, declared: &schema::Declared, stored: &[Stored]) {
    let Some(psql) = psql() else { return };
    let Some(mut db) = ScratchDb::for_test(&format!("inject_{label}")) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = plan_of(declared);
    run_file(&psql, &db, dir.path(), "0001_init.sql", BEFORE).expect("the history runs");
    for (i, file) in plan.files.iter().enumerate() {
        if let Err(e) = run_file(
            &psql,
            &db,
            dir.path(),
            &format!("{i}_{}.sql", file.slug),
            &file.sql,
        ) {
            panic!(
                "[{label}] PostgreSQL stopped the {} file: {e}\n{}",
                file.slug, file.sql
            );
        }
    }
    let (relations, functions, schemas) = objects(&mut db);
    assert!(
        relations.contains("core.shows"),
        "[{label}] core.shows is gone"
    );
    let (want_relations, want_functions, want_schemas) = declared_objects(&declared.catalog);
    assert_eq!(relations, want_relations, "[{label}] relations");
    assert_eq!(functions, want_functions, "[{label}] functions");
    assert!(
        schemas.is_subset(&want_schemas),
        "[{label}] schemas: {schemas:?}"
    );
    for s in stored {
        let row = db
            .client()
            .query_one(&s.query, &[])
            .unwrap_or_else(|e| panic!("[{label}] {}: {e}", s.query));
        let got: Option<String> = row.get(0);
        assert_eq!(
            got.as_deref(),
            Some(s.expected.as_str()),
            "[{label}] {}",
            s.query
        );
    }
    for (i, file) in plan.files.iter().enumerate().rev() {
        if let Err(e) = run_file(
            &psql,
            &db,
            dir.path(),
            &format!("{i}_{}.rollback.sql", file.slug),
            &file.rollback_sql,
        ) {
            panic!(
                "[{label}] the {} rollback failed: {e}\n{}",
                file.slug, file.rollback_sql
            );
        }
    }
    let (relations, _, _) = objects(&mut db);
    assert!(
        relations.contains("core.shows"),
        "[{label}] core.shows is gone after the rollbacks"
    );
}

const DROP: &str = "drop table core.shows cascade";

// ---- the four paths the review found ----

#[test]
fn storage_parameter_values_and_names_are_refused() {
    assert_refused(
        &format!(
            "table core.v {{\n    column v int\n    index i1_v v {{ with fillfactor=\"70); {DROP}; --\" }}\n}}\n"
        ),
        "is not a value for storage parameter `fillfactor`",
    );
    assert_refused(
        &format!(
            "table core.v {{\n    column v int\n    index i1_v v {{ with #\"fillfactor=70); {DROP}; --\"#=1 }}\n}}\n"
        ),
        "is not a storage parameter name",
    );
    // What is accepted reaches PostgreSQL as the storage parameter it is.
    let ok = load("table core.v {\n    column v int\n    index i1_v v { with fillfactor=70 deduplicate_items=\"off\" }\n}\n")
        .expect("plain storage parameters load");
    apply_and_check(
        "with",
        &ok,
        &[stored(
            "select array_to_string(reloptions, ',') from pg_class where oid = 'core.i1_v'::regclass",
            "deduplicate_items=off,fillfactor=70",
        )],
    );
}

#[test]
fn function_language_is_refused() {
    assert_refused(
        "function core.f returns=text language=#\"sql as $$ select 1::text $$; create table public.pwned(x int); create function core.zz() returns text language sql\"# {\n    body \"select 'a'\"\n}\n",
        "is not a language name",
    );
}

#[test]
fn function_setting_names_are_refused() {
    assert_refused(
        "function core.f returns=text language=sql {\n    body \"select 'a'\"\n    set #\"search_path = public as $$ select 1 $$; create table public.pwned(x int); create function core.zz() returns text language sql set search_path\"#=x\n}\n",
        "is not a setting name",
    );
}

#[test]
fn nul_is_refused_in_every_kind_of_string() {
    for kdl in [
        "table core.v {\n    column v int\n    comment \"a\\u{0}b\"\n}\n".to_string(),
        "table core.v {\n    column v int { comment \"x\\u{0}'); drop table core.shows; --\" }\n}\n".to_string(),
        "enum core.mood \"happy\\u{0}\"\n".to_string(),
        "table \"core.v\\u{0}\" {\n    column v int\n}\n".to_string(),
        "function core.f returns=text language=sql {\n    body \"select 1\\u{0}\"\n}\n".to_string(),
        format!("table core.v {{\n    column v text default={}\n}}\n", kdl_string("'a\0b'")),
        // Raw NUL in the file, outside any string.
        "table core.v {\n    column v int\n}\n\0".to_string(),
    ] {
        match load(&kdl) {
            Ok(_) => panic!("loaded a NUL:\n{kdl:?}"),
            Err(e) => assert!(
                e.problems.iter().any(|p| p.location.starts_with(&format!("{FILE}:"))),
                "{e}"
            ),
        }
    }
    assert_refused(
        "table core.v {\n    comment \"a\\u{0}b\"\n    column v int\n}\n",
        "NUL",
    );
}

#[test]
fn nul_in_a_migration_file_is_refused() {
    let err = replay_sources(&[Source::new(
        "supabase/migrations/0002_x.sql",
        "select 1;\ncomment on table core.shows is 'a\0'; drop table core.shows; --';\n",
    )])
    .expect_err("a NUL is refused");
    assert_eq!((err.line, err.column), (2, 34), "{err}");
    assert!(err.message.contains("NUL"), "{err}");
}

// ---- every other value kind, with payloads that must be stored verbatim ----

/// Text built to break out of each kind of quoting a renderer might use.
const PAYLOADS: &[&str] = &[
    "'); drop table core.shows cascade; --",
    "it''s'; drop table core.shows; --",
    "x\ndrop table core.shows;\n-- ",
    "x\r\ndrop table core.shows; --",
    "back\\'slash'; drop table core.shows; --",
    "$$; drop table core.shows; --$$",
    "$function$; drop table core.shows; $function$",
    "$trr_backfill$; drop table core.shows; --",
    "\"; drop table core.shows; --",
    "*/ drop table core.shows; /*",
    "é\u{2028}ü 💥 ; drop table core.shows",
];

fn payload_kdl(p: &str, n: usize) -> (String, Vec<Stored>) {
    let mut kdl = String::new();
    let mut checks = Vec::new();
    let short: String = p.chars().take(40).collect();
    let table = format!("t{n}");
    let col = sql_ident(&short);
    kdl.push_str(&format!(
        "table core.{table} {{\n    comment {c}\n    column id bigint\n    column {name} text default={def} {{ comment {c} }}\n    column mood core.mood{n} nullable=#true\n    primary-key id\n    check {chk}\n    index {table}_note_idx {quoted_col} where={pred}\n    trigger {table}_t before insert execute=core.f{n} args={args}\n}}\n",
        c = kdl_string(p),
        name = kdl_string(&col),
        def = kdl_string(&sql_string(p)),
        chk = kdl_string(&format!("{col} <> {}", sql_string(p))),
        quoted_col = kdl_string(&col),
        pred = kdl_string(&format!("{col} <> {}", sql_string(p))),
        args = kdl_string(&sql_string(p)),
    ));
    kdl.push_str(&format!(
        "enum core.mood{n} {} \"plain\"\n",
        kdl_string(&short)
    ));
    kdl.push_str(&format!(
        "function core.f{n} returns=trigger language=plpgsql {{\n    body {}\n    set app.note={}\n    comment {}\n}}\n",
        kdl_string(&format!("begin\n  perform {};\n  return new;\nend;", sql_string(p))),
        kdl_string(p),
        kdl_string(p),
    ));
    kdl.push_str(&format!(
        "function core.g{n} returns=text language=sql {{\n    body {}\n}}\n",
        kdl_string(&format!("select {}::text", sql_string(p))),
    ));
    kdl.push_str(&format!(
        "view core.v{n} {{\n    query {}\n    comment {}\n}}\n",
        kdl_string(&format!("select {}::text as v", sql_string(p))),
        kdl_string(p),
    ));
    let rel = |name: &str| format!("'core.{name}'::regclass");
    checks.push(stored(
        format!("select obj_description({}, 'pg_class')", rel(&table)),
        p,
    ));
    checks.push(stored(
        format!(
            "select attname::text from pg_attribute where attrelid = {} and attnum = 2",
            rel(&table)
        ),
        &short,
    ));
    checks.push(stored(
        format!("select col_description({}, 2)", rel(&table)),
        p,
    ));
    checks.push(stored(
        format!(
            "select convert_from(substring(tgargs from 1 for length(tgargs) - 1), 'UTF8') \
             from pg_trigger where tgrelid = {}",
            rel(&table)
        ),
        p,
    ));
    checks.push(stored(
        format!("select enumlabel::text from pg_enum where enumtypid = 'core.mood{n}'::regtype order by enumsortorder limit 1"),
        &short,
    ));
    checks.push(stored(
        format!(
            "select array_to_string(proconfig, '|') from pg_proc where oid = 'core.f{n}'::regproc"
        ),
        format!("app.note={p}"),
    ));
    checks.push(stored(
        format!("select obj_description('core.f{n}'::regproc, 'pg_proc')"),
        p,
    ));
    // Bodies are compared and written normalized (line ends `\n`, no
    // trailing blanks: docs/kdl.md), inside their string literals too.
    let body = schema::normalize_body(&format!("select {}::text", sql_string(p)));
    let returned = body
        .strip_prefix("select '")
        .and_then(|b| b.strip_suffix("'::text"))
        .expect("the body keeps its shape")
        .replace("''", "'");
    checks.push(stored(format!("select core.g{n}()"), returned));
    checks.push(stored(format!("select v from core.v{n}"), p));
    checks.push(stored(
        format!(
            "select obj_description({}, 'pg_class')",
            rel(&format!("v{n}"))
        ),
        p,
    ));
    (kdl, checks)
}

#[test]
fn every_value_kind_stores_hostile_text_verbatim() {
    let mut kdl = String::new();
    let mut checks = Vec::new();
    for (n, p) in PAYLOADS.iter().enumerate() {
        let (k, c) = payload_kdl(p, n);
        kdl.push_str(&k);
        checks.extend(c);
    }
    let declared = load(&kdl).unwrap_or_else(|e| panic!("{e}\n{kdl}"));
    apply_and_check("kinds", &declared, &checks);
}

/// Changes to the table the history already has go through other
/// statements: `COMMENT ON`, `ADD COLUMN`, a rollout's backfill `DO` block
/// (whose dollar quote the payload tries to close) and its helper trigger,
/// policies.
#[test]
fn changes_to_an_existing_table_store_hostile_text_verbatim() {
    for (n, p) in PAYLOADS.iter().enumerate() {
        let kdl = format!(
            "schema core\ntable core.shows {{\n    comment {c}\n    column id bigint\n    column title text {{ comment {c} }}\n    column note text backfill={lit}\n    column {name} text nullable=#true\n    primary-key id\n    rls\n    policy {c} for=select to=public using={pred}\n}}\n",
            c = kdl_string(p),
            lit = kdl_string(&sql_string(p)),
            name = kdl_string(&sql_ident(&p.chars().take(40).collect::<String>())),
            pred = kdl_string(&format!("title <> {}", sql_string(p))),
        );
        let declared = load_whole(&kdl).unwrap_or_else(|e| panic!("{e}\n{kdl}"));
        let short: String = p.chars().take(40).collect();
        apply_and_check(
            &format!("existing{n}"),
            &declared,
            &[
                stored(
                    "select obj_description('core.shows'::regclass, 'pg_class')",
                    *p,
                ),
                stored("select col_description('core.shows'::regclass, 2)", *p),
                stored("select note from core.shows where id = 1", *p),
                stored(
                    "select string_agg(attname::text, '|' order by attname) from pg_attribute \
                     where attrelid = 'core.shows'::regclass and attnum > 0 and not attisdropped",
                    {
                        let mut names = ["id".to_string(), "note".into(), "title".into(), short];
                        names.sort();
                        names.join("|")
                    },
                ),
                stored(
                    "select policyname::text from pg_policies where tablename = 'shows'",
                    *p,
                ),
            ],
        );
    }
}

/// A small deterministic generator (xorshift), so a failure names a seed
/// that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// Pieces of hostile text: every way out of a quote, a comment or a dollar
/// quote, plus text that only needs to survive.
const PIECES: &[&str] = &[
    "'",
    "''",
    "\"",
    "\"\"",
    ";",
    "$$",
    "$function$",
    "$trr_backfill$",
    "$a$",
    "\\",
    "\\'",
    "\\\"",
    "--",
    "/*",
    "*/",
    "\n",
    "\r",
    "\t",
    "\0",
    "é",
    "\u{2028}",
    "🦀",
    "E'",
    "U&'",
    "drop table core.shows cascade",
    ")",
    "(",
    "%s",
    "%",
    ":x",
    "\\\\",
    " ",
    "x",
    "select 1",
];

fn hostile(rng: &mut Rng) -> String {
    let n = 1 + rng.next() % 8;
    let mut out: String = (0..n).map(|_| rng.pick(PIECES)).collect();
    // Names and enum labels are at most 63 bytes.
    while out.len() > 60 {
        out.pop();
    }
    if out.trim().is_empty() {
        out.push('x');
    }
    out
}

#[test]
fn generated_hostile_text_is_refused_or_stored_verbatim() {
    let seed = 0x5eed_2026_1208;
    let mut rng = Rng(seed);
    let mut accepted = Vec::new();
    let mut refused = 0;
    for round in 0..120 {
        let p = hostile(&mut rng);
        let (kdl, checks) = payload_kdl(&p, round);
        match load(&kdl) {
            Ok(declared) => {
                assert!(
                    !p.contains('\0'),
                    "seed {seed:#x}, round {round}: a NUL loaded: {p:?}"
                );
                accepted.push((round, p, declared, checks));
            }
            Err(e) => {
                // Only a NUL may be refused: everything else is valid text.
                assert!(
                    p.contains('\0'),
                    "seed {seed:#x}, round {round}: {p:?} refused: {e}"
                );
                assert!(
                    e.problems
                        .iter()
                        .all(|p| p.location.starts_with(&format!("{FILE}:"))),
                    "{e}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        refused > 0 && accepted.len() > 20,
        "{refused} refused, {} accepted",
        accepted.len()
    );
    // Apply the accepted ones in groups of ten payloads per database.
    for group in accepted.chunks(10) {
        let mut kdl = String::new();
        let mut checks = Vec::new();
        for (round, p, _, _) in group {
            let (k, c) = payload_kdl(p, *round);
            kdl.push_str(&k);
            checks.extend(c);
        }
        let declared = load(&kdl).unwrap_or_else(|e| panic!("{e}"));
        apply_and_check(&format!("gen{}", group[0].0), &declared, &checks);
    }
}

/// Hostile text written where SQL goes (a default, a check, a policy, a
/// view query) is SQL by design, but only ever one expression or query:
/// either it does not load (with a place in the file), or what runs is
/// that one expression, and nothing else is created or dropped.
#[test]
fn generated_hostile_expressions_stay_one_expression() {
    let seed = 0x0dd_ba11;
    let mut rng = Rng(seed);
    let mut accepted = Vec::new();
    for round in 0..400 {
        // Start from something that parses, then append hostile pieces.
        let head = rng.pick(&["'a'", "$$a$$", "E'a'", "'b' || title", "lower('c')"]);
        let p = format!("{head}{}", hostile(&mut rng));
        let kdl = format!(
            "table core.r{round} {{\n    column title text nullable=#true default={e}\n    check {c}\n    rls\n    policy p for=select to=public using={c}\n}}\nview core.q{round} {{\n    query {q}\n}}\n",
            e = kdl_string(&p),
            c = kdl_string(&format!("title <> {p}")),
            q = kdl_string(&format!("select {p} as v")),
        );
        match load(&kdl) {
            Ok(_) => accepted.push(kdl),
            Err(e) => assert!(
                e.problems
                    .iter()
                    .all(|p| p.location.starts_with(&format!("{FILE}:"))),
                "seed {seed:#x}, round {round}: {e}"
            ),
        }
    }
    let count = accepted.len();
    eprintln!("{count} of 400 hostile expressions loaded");
    assert!(count > 5, "only {count} hostile expressions loaded");
    for (i, kdl) in accepted.iter().enumerate() {
        let declared = load(kdl).unwrap_or_else(|e| panic!("{e}"));
        apply_allowing_refusal(&format!("expr{i}"), &declared);
    }
}

/// Applies the plan with psql until PostgreSQL refuses a statement (a type
/// error in an expression that parses is the server's call), then checks
/// `core.shows` is there and nothing exists that was not declared.
fn apply_allowing_refusal(label: &str, declared: &schema::Declared) {
    let Some(psql) = psql() else { return };
    let Some(mut db) = ScratchDb::for_test(&format!("inject_{label}")) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    run_file(&psql, &db, dir.path(), "0001_init.sql", BEFORE).expect("the history runs");
    for (i, file) in plan_of(declared).files.iter().enumerate() {
        if run_file(
            &psql,
            &db,
            dir.path(),
            &format!("{i}_{}.sql", file.slug),
            &file.sql,
        )
        .is_err()
        {
            break;
        }
    }
    let (relations, functions, schemas) = objects(&mut db);
    let (want_relations, want_functions, want_schemas) = declared_objects(&declared.catalog);
    assert!(
        relations.contains("core.shows"),
        "[{label}] core.shows is gone"
    );
    assert!(
        relations.is_subset(&want_relations),
        "[{label}] {relations:?}"
    );
    assert!(
        functions.is_subset(&want_functions),
        "[{label}] {functions:?}"
    );
    assert!(schemas.is_subset(&want_schemas), "[{label}] {schemas:?}");
}
