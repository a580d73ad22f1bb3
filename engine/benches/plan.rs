//! Benchmark of the `plan` pipeline on a generated large repository.
//!
//! Run: `cargo bench -p trr-engine --bench plan` (sizes and iterations can be
//! changed with `PLAN_BENCH_SIZES=50,200,800` and `PLAN_BENCH_ITERS=7`).
//!
//! For each N (tables) it generates, in memory, a migration history of about
//! N/4 SQL files (creates, then ALTERs: rename, drop and add columns, add
//! indexes) and the matching KDL declaration with ~5% edits, then times each
//! stage. Times are reported as ratios against the baseline of the same N
//! (`split_statements` over all the migration text, the tokenizing floor),
//! because the machine is shared and absolute times are noisy.
//!
//! Peak memory is measured with a counting global allocator: the highest live
//! heap during one run of the whole pipeline, above the heap already live
//! when it starts (the generated inputs). It counts heap only, not stack or
//! code, and is exact and repeatable, unlike RSS on a shared machine.

use engine::plan::{Plan, PlanOptions};
use engine::replay::split::split_statements;
use engine::report::{Format, render};
use schema::{Ident, Source};
use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Counting allocator

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak heap above the heap live at the start, while `f` runs.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed) - start)
}

// ---------------------------------------------------------------------------
// Generated repository

const SCHEMAS: [&str; 4] = ["core", "billing", "media", "audit"];

struct Repo {
    migrations: Vec<Source>,
    kdl: Vec<Source>,
    managed: Vec<Ident>,
    /// Expected edits: (new columns, new indexes, changed checks, new tables).
    edits: (usize, usize, usize, usize),
}

struct Table {
    qual: String,
    name: String,
    uuid_pk: bool,
}

impl Table {
    fn new(i: usize) -> Table {
        let name = format!("items_{i:04}");
        Table {
            qual: format!("{}.{name}", SCHEMAS[i % SCHEMAS.len()]),
            name,
            uuid_pk: i % 2 == 1,
        }
    }
    fn pk_type(&self) -> &'static str {
        if self.uuid_pk { "uuid" } else { "bigint" }
    }
}

/// Earlier tables `i` references: one FK always (but for the first table), a
/// second one on every third table.
fn parents(i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    if i > 0 {
        out.push((i * 7 + 3) % i);
    }
    if i > 1 && i.is_multiple_of(3) {
        let p = i / 2;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

fn generate(n: usize) -> Repo {
    let tables: Vec<Table> = (0..n).map(Table::new).collect();
    let files = (n / 4).max(2);
    let create_files = files / 2;
    let mut texts = vec![String::new(); files];

    for s in SCHEMAS {
        let _ = writeln!(texts[0], "CREATE SCHEMA {s};");
    }
    for (i, t) in tables.iter().enumerate() {
        let create = &mut texts[i * create_files / n];
        let _ = writeln!(create, "\nCREATE TABLE {} (", t.qual);
        if t.uuid_pk {
            let _ = writeln!(create, "    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),");
        } else {
            let _ = writeln!(
                create,
                "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            );
        }
        for (k, p) in parents(i).into_iter().enumerate() {
            let parent = &tables[p];
            if k == 0 {
                let _ = writeln!(
                    create,
                    "    parent_id {} NOT NULL REFERENCES {} (id) ON DELETE CASCADE,",
                    parent.pk_type(),
                    parent.qual
                );
            } else {
                let _ = writeln!(
                    create,
                    "    other_id {} REFERENCES {} ON DELETE SET NULL,",
                    parent.pk_type(),
                    parent.qual
                );
            }
        }
        let _ = writeln!(create, "    code varchar(64) NOT NULL,");
        if i % 2 == 0 {
            let _ = writeln!(create, "    old_name text NOT NULL,");
        } else {
            let _ = writeln!(create, "    label text NOT NULL,");
        }
        if i % 3 == 0 {
            let _ = writeln!(create, "    legacy integer,");
        }
        let _ = writeln!(create, "    qty integer NOT NULL DEFAULT 0,");
        let _ = writeln!(create, "    price numeric(12,2),");
        let _ = writeln!(create, "    active boolean NOT NULL DEFAULT true,");
        let _ = writeln!(create, "    created_at timestamptz NOT NULL DEFAULT now(),");
        let _ = writeln!(create, "    deleted_at timestamptz,");
        if i % 2 == 0 {
            let _ = writeln!(create, "    payload jsonb,");
        }
        if i % 3 == 1 {
            let _ = writeln!(create, "    tags text[],");
        }
        if i % 4 == 2 {
            let _ = writeln!(create, "    starts_on date,");
        }
        let _ = writeln!(create, "    UNIQUE (code),");
        let _ = writeln!(create, "    CHECK (qty >= 0)");
        let _ = writeln!(create, ");");
        let _ = writeln!(
            create,
            "CREATE INDEX {}_code_lower_idx ON {} (lower(code));",
            t.name, t.qual
        );
        let _ = writeln!(
            create,
            "COMMENT ON TABLE {} IS 'Generated table number {i}';",
            t.qual
        );
        let _ = writeln!(
            create,
            "COMMENT ON COLUMN {}.code IS 'Business code of item {i}';",
            t.qual
        );

        // Later history: the replay renames, drops and adds.
        let alter = &mut texts[create_files + i * (files - create_files) / n];
        if i % 2 == 0 {
            let _ = writeln!(
                alter,
                "ALTER TABLE {} RENAME COLUMN old_name TO label;",
                t.qual
            );
        }
        if i % 3 == 0 {
            let _ = writeln!(alter, "ALTER TABLE {} DROP COLUMN legacy;", t.qual);
        }
        if i % 2 == 1 {
            let _ = writeln!(alter, "ALTER TABLE {} ADD COLUMN notes text;", t.qual);
        }
        let _ = writeln!(
            alter,
            "CREATE INDEX {}_live_idx ON {} (created_at DESC) WHERE deleted_at IS NULL;",
            t.name, t.qual
        );
    }
    let migrations = texts
        .into_iter()
        .enumerate()
        .map(|(k, text)| {
            Source::new(
                format!("supabase/migrations/2024010100{k:04}_step_{k}.sql"),
                text,
            )
        })
        .collect();

    // The declaration: the replayed state plus ~5% edits.
    let mut kdl = vec![String::new(); SCHEMAS.len()];
    for (k, s) in SCHEMAS.iter().enumerate() {
        let _ = writeln!(kdl[k], "schema {s}");
    }
    let mut edits = (0, 0, 0, 1);
    for (i, t) in tables.iter().enumerate() {
        let out = &mut kdl[i % SCHEMAS.len()];
        let _ = writeln!(out, "table {} {{", t.qual);
        let _ = writeln!(out, "    comment \"Generated table number {i}\"");
        if t.uuid_pk {
            let _ = writeln!(
                out,
                "    column id uuid default=\"gen_random_uuid()\" primary-key=#true"
            );
        } else {
            let _ = writeln!(
                out,
                "    column id bigint identity=always primary-key=#true"
            );
        }
        for (k, p) in parents(i).into_iter().enumerate() {
            let parent = &tables[p];
            if k == 0 {
                let _ = writeln!(
                    out,
                    "    column parent_id {} {{ references {} id on-delete=cascade; }}",
                    parent.pk_type(),
                    parent.qual
                );
            } else {
                let _ = writeln!(
                    out,
                    "    column other_id {} nullable=#true {{ references {} on-delete=set-null; }}",
                    parent.pk_type(),
                    parent.qual
                );
            }
        }
        let _ = writeln!(
            out,
            "    column code \"varchar(64)\" {{ comment \"Business code of item {i}\"; }}"
        );
        let _ = writeln!(out, "    column label text");
        let _ = writeln!(out, "    column qty integer default=\"0\"");
        let _ = writeln!(out, "    column price \"numeric(12,2)\" nullable=#true");
        let _ = writeln!(out, "    column active boolean default=\"true\"");
        let _ = writeln!(out, "    column created_at timestamptz default=\"now()\"");
        let _ = writeln!(out, "    column deleted_at timestamptz nullable=#true");
        if i % 2 == 0 {
            let _ = writeln!(out, "    column payload jsonb nullable=#true");
        }
        if i % 3 == 1 {
            let _ = writeln!(out, "    column tags \"text[]\" nullable=#true");
        }
        if i % 4 == 2 {
            let _ = writeln!(out, "    column starts_on date nullable=#true");
        }
        if i % 2 == 1 {
            let _ = writeln!(out, "    column notes text nullable=#true");
        }
        if i % 20 == 3 {
            let _ = writeln!(out, "    column archived boolean default=\"false\"");
            edits.0 += 1;
        }
        let _ = writeln!(out, "    unique code");
        if i % 20 == 17 {
            let _ = writeln!(out, "    check \"qty >= 0 and qty < 1000000\"");
            edits.2 += 1;
        } else {
            let _ = writeln!(out, "    check \"qty >= 0\"");
        }
        let _ = writeln!(out, "    index {}_code_lower_idx \"lower(code)\"", t.name);
        let _ = writeln!(
            out,
            "    index {}_live_idx \"created_at desc\" where=\"deleted_at is null\"",
            t.name
        );
        if i % 20 == 10 {
            let _ = writeln!(out, "    index {}_price_idx price", t.name);
            edits.1 += 1;
        }
        let _ = writeln!(out, "}}");
    }
    let _ = writeln!(
        kdl[0],
        "table core.bench_new {{\n    column id bigint identity=always primary-key=#true\n    \
         column item_id bigint {{ references {} id; }}\n    column note text nullable=#true\n    \
         index bench_new_item_idx item_id\n}}",
        tables[0].qual
    );
    let kdl = kdl
        .into_iter()
        .zip(SCHEMAS)
        .map(|(text, s)| Source::new(format!("schema/{s}.kdl"), text))
        .collect();
    Repo {
        migrations,
        kdl,
        managed: SCHEMAS.iter().map(|s| Ident::from_sql(s)).collect(),
        edits,
    }
}

// ---------------------------------------------------------------------------
// Pipeline

fn options(repo: &Repo) -> PlanOptions {
    PlanOptions::new(repo.managed.clone())
}

/// The whole `plan` command without file I/O: load, replay, plan, render.
fn pipeline(repo: &Repo, options: &PlanOptions) -> (Plan, String) {
    let desired = schema::lang::load_sources(&repo.kdl).expect("generated KDL loads");
    let current = engine::replay::replay_sources(&repo.migrations).expect("generated SQL replays");
    let plan = engine::plan::plan(&current.catalog, &desired, options);
    let text = render(&plan, Format::Text);
    (plan, text)
}

// ---------------------------------------------------------------------------
// Harness

struct Timing {
    median: Duration,
    min: Duration,
}

/// Runs `f` `warmup` times untimed, then `iters` times timed. `check` sees
/// every timed result, so a stage cannot silently become a no-op.
fn measure<T>(
    warmup: usize,
    iters: usize,
    mut f: impl FnMut() -> T,
    mut check: impl FnMut(&T),
) -> Timing {
    for _ in 0..warmup {
        black_box(f());
    }
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let start = Instant::now();
        let out = black_box(f());
        times.push(start.elapsed());
        check(&out);
    }
    times.sort();
    Timing {
        median: times[times.len() / 2],
        min: times[0],
    }
}

const STAGES: [&str; 7] = [
    "split_statements (baseline)",
    "replay migrations",
    "replay from a checkpoint (last 10% of files)",
    "load KDL",
    "diff + plan",
    "render text report",
    "whole pipeline",
];

fn fmt_duration(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1e6 {
        format!("{:.2} s", us / 1e6)
    } else if us >= 1e3 {
        format!("{:.2} ms", us / 1e3)
    } else {
        format!("{us:.0} µs")
    }
}

fn fmt_bytes(b: usize) -> String {
    if b >= 1024 * 1024 {
        format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KiB", b as f64 / 1024.0)
    }
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    match std::env::var(name) {
        Ok(v) => v
            .split(',')
            .map(|s| {
                s.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{name}: not a number: {s}"))
            })
            .collect(),
        Err(_) => default.to_vec(),
    }
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then one tiny size is enough to prove the bench still runs.
    let smoke = !std::env::args().any(|a| a == "--bench");
    let sizes = if smoke {
        vec![20]
    } else {
        env_list("PLAN_BENCH_SIZES", &[50, 200, 800])
    };
    let iters = if smoke {
        1
    } else {
        env_list("PLAN_BENCH_ITERS", &[7])[0].max(1)
    };
    let warmup = if smoke { 0 } else { 2 };

    let mut results: Vec<(usize, Vec<Timing>)> = Vec::new();
    let mut memory = Vec::new();
    for &n in &sizes {
        let repo = generate(n);
        let options = options(&repo);
        let sql_bytes: usize = repo.migrations.iter().map(|s| s.text.len()).sum();
        let kdl_bytes: usize = repo.kdl.iter().map(|s| s.text.len()).sum();

        // Reference results; every timed iteration must reproduce them.
        let (reference, peak) = peak_heap(|| pipeline(&repo, &options));
        let (ref_plan, ref_text) = &reference;
        assert!(
            !ref_plan.is_empty(),
            "N={n}: the plan is empty: the bench would measure a no-op"
        );
        assert!(
            ref_plan.unsupported.is_empty(),
            "N={n}: unsupported changes in the plan"
        );
        let steps = ref_plan.steps().count();
        if std::env::var_os("PLAN_BENCH_SHOW").is_some() {
            println!("{ref_text}");
        }
        let (cols, idxs, checks, new_tables) = repo.edits;
        // The declaration matches the history but for the edits, so the plan
        // is exactly them: a changed check is dropped and re-added; the new
        // table comes with its foreign key and index.
        let expected = cols + idxs + 2 * checks + 3 * new_tables;
        assert_eq!(
            steps, expected,
            "N={n}: {steps} steps, expected {expected} for the edits (run with PLAN_BENCH_SHOW=1)"
        );
        let statements: usize = repo
            .migrations
            .iter()
            .map(|s| split_statements(&s.text).len())
            .sum();
        let desired = schema::lang::load_sources(&repo.kdl).unwrap();
        let current = engine::replay::replay_sources(&repo.migrations)
            .unwrap()
            .catalog;
        assert_eq!(current.tables.len(), n, "N={n}: replay lost tables");
        assert_eq!(desired.tables.len(), n + 1, "N={n}: KDL lost tables");

        let mut timings = Vec::new();
        timings.push(measure(
            warmup,
            iters,
            || {
                repo.migrations
                    .iter()
                    .map(|s| split_statements(&s.text).len())
                    .sum::<usize>()
            },
            |&count| assert_eq!(count, statements),
        ));
        timings.push(measure(
            warmup,
            iters,
            || engine::replay::replay_sources(&repo.migrations).unwrap(),
            |r| assert!(r.catalog == current, "replay differs between iterations"),
        ));
        // What `plan` does once a shadow replay wrote a checkpoint: find it,
        // read it, check its hash, replay only the files after it.
        let covered = repo.migrations.len() - (repo.migrations.len() / 10).max(1);
        let checkpoint_dir = tempfile::tempdir().expect("a temporary directory");
        let covered_catalog = engine::replay::replay_sources(&repo.migrations[..covered])
            .unwrap()
            .catalog;
        engine::checkpoint::Checkpoint::new(&repo.migrations[..covered], covered_catalog)
            .expect("at least one file is covered")
            .write(checkpoint_dir.path())
            .expect("the checkpoint is written");
        timings.push(measure(
            warmup,
            iters,
            || {
                let selection = engine::checkpoint::select(checkpoint_dir.path(), &repo.migrations);
                let (_, checkpoint) = selection.used.expect("the checkpoint is valid");
                engine::replay::replay_sources_from(
                    checkpoint.catalog,
                    &repo.migrations[checkpoint.files..],
                )
                .unwrap()
            },
            |r| assert!(r.catalog == current, "replay from the checkpoint differs"),
        ));
        timings.push(measure(
            warmup,
            iters,
            || schema::lang::load_sources(&repo.kdl).unwrap(),
            |c| assert!(*c == desired, "KDL load differs between iterations"),
        ));
        timings.push(measure(
            warmup,
            iters,
            || engine::plan::plan(&current, &desired, &options),
            |p| assert!(p == ref_plan, "plan differs between iterations"),
        ));
        timings.push(measure(
            warmup,
            iters,
            || render(ref_plan, Format::Text),
            |t| assert!(t == ref_text, "text report differs between iterations"),
        ));
        timings.push(measure(
            warmup,
            iters,
            || pipeline(&repo, &options),
            |out| assert!(out == &reference, "pipeline differs between iterations"),
        ));

        println!(
            "N={n}: {} migration files ({} KiB, {statements} statements), {} KDL files ({} KiB), \
             plan: {steps} steps in {} files; edits: {cols} new columns, {idxs} new indexes, \
             {checks} changed checks, {new_tables} new table",
            repo.migrations.len(),
            sql_bytes / 1024,
            repo.kdl.len(),
            kdl_bytes / 1024,
            ref_plan
                .files
                .iter()
                .filter(|f| !f.steps.is_empty())
                .count(),
        );
        memory.push((n, peak, sql_bytes + kdl_bytes));
        results.push((n, timings));
    }

    println!(
        "\nwarm-up {warmup}, {iters} timed iterations per stage; ratio = median / median of the baseline at the same N\n"
    );
    println!("| stage | N | median | min | × baseline |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for (s, stage) in STAGES.iter().enumerate() {
        for (n, timings) in &results {
            let base = timings[0].median.as_secs_f64();
            let t = &timings[s];
            println!(
                "| {stage} | {n} | {} | {} | {:.1} |",
                fmt_duration(t.median),
                fmt_duration(t.min),
                t.median.as_secs_f64() / base
            );
        }
    }

    if results.len() >= 2 {
        let (n0, first) = &results[0];
        let (n1, last) = &results[results.len() - 1];
        let quadruplings = (*n1 as f64 / *n0 as f64).log(4.0);
        println!(
            "\ngrowth from N={n0} to N={n1}, per 4× tables (4.0 = linear, 16.0 = quadratic)\n"
        );
        println!(
            "| stage | {} | per 4× |",
            results
                .windows(2)
                .map(|w| format!("N={}→{}", w[0].0, w[1].0))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        println!("| --- |{} ---: |", " ---: |".repeat(results.len() - 1));
        for (s, stage) in STAGES.iter().enumerate() {
            let steps: Vec<String> = results
                .windows(2)
                .map(|w| {
                    format!(
                        "{:.1}",
                        w[1].1[s].median.as_secs_f64() / w[0].1[s].median.as_secs_f64()
                    )
                })
                .collect();
            let total = last[s].median.as_secs_f64() / first[s].median.as_secs_f64();
            println!(
                "| {stage} | {} | {:.1} |",
                steps.join(" | "),
                total.powf(1.0 / quadruplings)
            );
        }
    }

    println!("\npeak heap of one whole-pipeline run, above the live inputs (counting allocator)\n");
    println!("| N | input text | peak heap | per table |");
    println!("| ---: | ---: | ---: | ---: |");
    for (n, peak, input) in memory {
        println!(
            "| {n} | {} | {} | {:.1} KiB |",
            fmt_bytes(input),
            fmt_bytes(peak),
            peak as f64 / 1024.0 / n as f64
        );
    }
}
