//! The round-trip harness: proves a plan right against real PostgreSQL.
//!
//! A scenario is a folder `scenarios/NN-name/` holding `before.sql` (the
//! migrations already applied; may be empty), `desired.kdl` (the
//! declaration) and optionally `trr-schema.toml` with `schemas = [...]`
//! (default: every schema the KDL declares or puts an object in, plus
//! `public`) and `expect_empty = true` (the declaration only re-spells what
//! `before.sql` did: the plan must be empty; without it an empty plan is a
//! failure, since the scenario then proves nothing), and optionally
//! `setup.sql`: objects outside the managed schemas
//! that the declaration refers to (say `other.orgs`, referenced by a foreign
//! key). `setup.sql` runs first on both databases below and heads every
//! replayed history; without it, database B (built from nothing) would lack
//! what the plan refers to. For each scenario:
//!
//! Both databases get the Supabase stand-in first (roles `anon`,
//! `authenticated`, `service_role`, `auth.uid()`, `storage.objects`, the
//! default privileges in `public`), as every Supabase project has before its
//! first migration.
//!
//! 0. The plan has no [`Plan::unsupported`] difference, unless
//!    `trr-schema.toml` lists the expected ones as `unsupported = ["…"]`
//!    (each a fragment of one reason, in order). Such a plan is incomplete by
//!    design (apply refuses it): its reasons and snapshot are checked, and
//!    the steps below are not.
//! 1. current = replay of `before.sql`, desired = the KDL, plan = all files
//!    from current to desired (destructive ones included); it is empty
//!    exactly when `expect_empty` says so. The plan's access labels, SQL and
//!    rollback are snapshotted next to the scenario (`plan.snap`) after the
//!    checks below pass, so a wrong plan fails with its reason.
//! 2. Offline: replaying `before.sql` and the plan files gives the desired
//!    Catalog (managed schemas, column order ignored), and planning again from
//!    there gives an empty plan; after each file, planning again gives
//!    exactly the files still to run (a rollout stopped between phases
//!    resumes where it stands). Policies the declaration puts on external
//!    tables (`storage.objects`) are compared too: every policy on such a
//!    table, nothing else of its schema.
//! 3. Database A runs `before.sql` and then the plan; database B runs the plan
//!    from an empty database (or `setup.sql`'s) to the desired Catalog. Both must introspect
//!    equal (column order ignored: an added column goes last in A).
//! 4. Each plan file's rollback, run on A right after the file, must bring
//!    A back exactly to its state before that file (the file then runs
//!    again); and the rollback files, run on A in reverse order after the
//!    whole plan, must bring it back to what `before.sql` alone
//!    introspected to.
//!
//! Without a PostgreSQL server, steps 3 and 4 are skipped with a message
//! (an error under CI, see [`engine::scratch`]).

use engine::introspect::introspect;
use engine::plan::{Plan, PlanOptions, plan_declared};
use engine::replay::replay_sources;
use engine::scratch::{ScratchDb, server_url};
use schema::{Catalog, Ident, Intents, QualName, Source};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// One scenario folder, read.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The folder name, `NN-name`.
    pub name: String,
    pub dir: PathBuf,
    pub before: Source,
    /// `setup.sql`, when the scenario has one.
    pub setup: Option<Source>,
    pub desired: Source,
    /// From `trr-schema.toml`, when it names them.
    pub schemas: Option<Vec<Ident>>,
    /// From `trr-schema.toml`: a fragment of each expected unsupported
    /// reason, in order. Empty: the plan must be complete.
    pub unsupported: Vec<String>,
    /// From `trr-schema.toml`: the plan must be empty (a re-spelling).
    pub expect_empty: bool,
}

/// What a passing scenario did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every check ran, including those against PostgreSQL.
    Verified,
    /// The offline checks passed; there was no server for the others.
    OfflineOnly { reason: String },
}

/// The folder holding every scenario.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

/// The names of every scenario folder, in number order (`99-…` before
/// `100-…`).
pub fn scenario_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(scenarios_dir())
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort_by_key(|name| (number(name), name.clone()));
    names
}

/// The number a scenario folder's name starts with (`u32::MAX` when none).
fn number(name: &str) -> u32 {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or(u32::MAX)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioConfig {
    schemas: Option<Vec<String>>,
    #[serde(default)]
    unsupported: Vec<String>,
    #[serde(default)]
    expect_empty: bool,
}

impl Scenario {
    /// Reads `scenarios/<name>/`.
    pub fn load(name: &str) -> Result<Scenario, String> {
        let dir = scenarios_dir().join(name);
        let read = |file: &str| {
            let path = dir.join(file);
            std::fs::read_to_string(&path)
                .map(|text| Source::new(Path::new(name).join(file), text))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))
        };
        let before = read("before.sql")?;
        let setup = match dir.join("setup.sql").exists() {
            true => Some(read("setup.sql")?),
            false => None,
        };
        let desired = read("desired.kdl")?;
        let config = match std::fs::read_to_string(dir.join("trr-schema.toml")) {
            Ok(text) => {
                toml::from_str(&text).map_err(|e| format!("{name}/trr-schema.toml: {e}"))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => ScenarioConfig {
                schemas: None,
                unsupported: Vec::new(),
                expect_empty: false,
            },
            Err(e) => return Err(format!("cannot read {name}/trr-schema.toml: {e}")),
        };
        Ok(Scenario {
            name: name.to_string(),
            dir,
            before,
            setup,
            desired,
            schemas: config
                .schemas
                .map(|list| list.iter().map(|s| Ident::from_sql(s)).collect()),
            unsupported: config.unsupported,
            expect_empty: config.expect_empty,
        })
    }

    /// `setup.sql` (if any) and `before.sql`: what database A starts from.
    pub fn history(&self) -> Vec<Source> {
        self.setup.iter().chain([&self.before]).cloned().collect()
    }

    /// Replays, loads and plans: everything the checks start from.
    pub fn prepare(&self) -> Result<Prepared, String> {
        let current = replay_sources(&self.history())
            .map_err(|e| format!("replaying {}:\n{}", self.before.path.display(), report(e)))?
            .catalog;
        // With a trr-schema.toml, loaded as `plan` loads: declarations outside
        // its schemas are errors.
        let desired_files = std::slice::from_ref(&self.desired);
        let declared = schema::lang::load_sources_declared(desired_files, self.schemas.as_deref())
            .map_err(|e| format!("loading {}:\n{}", self.desired.path.display(), report(e)))?;
        let (desired, intents) = (declared.catalog, declared.intents);
        let managed = match &self.schemas {
            Some(list) => list.clone(),
            None => default_schemas(&desired),
        };
        let options = PlanOptions::new(managed.clone());
        let plan = plan_declared(&current, &desired, &intents, &options);
        let external = external_policy_tables(&desired, &managed);
        Ok(Prepared {
            scenario: self.clone(),
            current,
            desired,
            intents,
            managed,
            external,
            options,
            plan,
        })
    }
}

/// Every schema the declaration declares or puts an object in, plus `public`.
/// A policy or trigger counts by its table's schema, unless that schema is
/// external: a policy on `storage.objects` does not make `storage` managed
/// (see [`external_policy_tables`]).
pub fn default_schemas(desired: &Catalog) -> Vec<Ident> {
    let mut schemas: BTreeSet<Ident> = desired.schemas.keys().cloned().collect();
    schemas.extend(desired.enums.keys().map(|n| n.schema.clone()));
    schemas.extend(desired.tables.keys().map(|n| n.schema.clone()));
    schemas.extend(desired.indexes.keys().map(|n| n.schema.clone()));
    schemas.extend(desired.views.keys().map(|n| n.schema.clone()));
    schemas.extend(desired.functions.keys().map(|f| f.name.schema.clone()));
    schemas.extend(desired.triggers.keys().map(|(t, _)| t.schema.clone()));
    schemas.extend(
        desired
            .policies
            .keys()
            .map(|(t, _)| t.schema.clone())
            .filter(|s| !schema::provided::is_external_schema(s.as_str())),
    );
    schemas.insert(Ident::new(schema::ident::DEFAULT_SCHEMA));
    schemas.into_iter().collect()
}

/// Tables outside `managed` that the declaration puts policies on
/// (`storage.objects`): their policies are managed, the rest of them is not.
pub fn external_policy_tables(desired: &Catalog, managed: &[Ident]) -> Vec<QualName> {
    let tables: BTreeSet<QualName> = desired
        .policies
        .keys()
        .filter(|(t, _)| !managed.contains(&t.schema))
        .map(|(t, _)| t.clone())
        .collect();
    tables.into_iter().collect()
}

/// What the checks compare of a Catalog: the managed schemas, plus the
/// policies on `external` tables (and nothing else of those).
pub fn compared(catalog: &Catalog, managed: &[Ident], external: &[QualName]) -> Catalog {
    let mut out = catalog.restricted_to(managed);
    out.policies.extend(
        catalog
            .policies
            .iter()
            .filter(|((t, _), _)| external.contains(t))
            .map(|(k, p)| (k.clone(), p.clone())),
    );
    comparable(&out)
}

/// A scenario with its Catalogs and plan.
#[derive(Debug)]
pub struct Prepared {
    pub scenario: Scenario,
    pub current: Catalog,
    pub desired: Catalog,
    /// Renames, backfills, conversions the declaration asks for.
    pub intents: Intents,
    pub managed: Vec<Ident>,
    /// [`external_policy_tables`] of the declaration.
    pub external: Vec<QualName>,
    pub options: PlanOptions,
    pub plan: Plan,
}

impl Prepared {
    /// The plan's files as a reviewer reads them: each file's SQL, then its
    /// rollback, under a header.
    pub fn plan_text(&self) -> String {
        plan_text(&self.plan)
    }

    /// The plan's unsupported differences are exactly the expected ones (by
    /// default none). `Ok(true)`: some were expected, and the plan is
    /// incomplete by design.
    pub fn check_unsupported(&self) -> Result<bool, String> {
        let expected = &self.scenario.unsupported;
        let got = &self.plan.unsupported;
        let listed = || {
            got.iter()
                .map(|u| format!("  {}: {}", u.object.name, u.reason))
                .collect::<Vec<_>>()
                .join("\n")
        };
        if got.len() != expected.len() {
            return Err(format!(
                "the plan has {} unsupported difference(s), {} expected (trr-schema.toml `unsupported`):\n{}",
                got.len(),
                expected.len(),
                listed()
            ));
        }
        for (u, fragment) in got.iter().zip(expected) {
            if !u.reason.contains(fragment.as_str()) {
                return Err(format!(
                    "unsupported reason for {} does not contain {fragment:?}:\n{}",
                    u.object.name,
                    listed()
                ));
            }
        }
        Ok(!expected.is_empty())
    }

    /// The plan is empty exactly when `trr-schema.toml` says `expect_empty`:
    /// a re-spelled declaration must plan nothing, and any other scenario
    /// that plans nothing proves nothing.
    pub fn check_emptiness(&self) -> Result<(), String> {
        match (self.scenario.expect_empty, self.plan.is_empty()) {
            (true, false) => Err(format!(
                "the declaration only re-spells before.sql (expect_empty), but the plan is not empty:\n{}",
                self.plan_text()
            )),
            (false, true) => Err(
                "the plan is empty: the scenario proves nothing (set `expect_empty = true` in trr-schema.toml if that is the point)"
                    .into(),
            ),
            _ => Ok(()),
        }
    }

    /// Replay of `before.sql` plus the plan equals the declaration, and a
    /// second plan from there is empty.
    pub fn check_offline(&self) -> Result<(), String> {
        let mut history = self.scenario.history();
        history.extend(plan_sources(&self.plan, false));
        let replayed = replay_sources(&history)
            .map_err(|e| format!("replaying before.sql + the plan:\n{}", report(e)))?
            .catalog;
        let got = compared(&replayed, &self.managed, &self.external);
        let want = compared(&self.desired, &self.managed, &self.external);
        if got != want {
            return Err(format!(
                "replaying before.sql + the plan does not give desired.kdl (managed schemas {}):\n{}",
                names(&self.managed),
                diff("desired.kdl", &want, "replay of before.sql + plan", &got)
            ));
        }
        let again = plan_declared(&replayed, &self.desired, &self.intents, &self.options);
        if !again.is_empty() {
            return Err(format!(
                "planning again after the plan is not empty:\n{}",
                plan_text(&again)
            ));
        }
        Ok(())
    }

    /// The checks against PostgreSQL (steps 3 and 4 of the module docs).
    pub fn check_database(&self) -> Result<Outcome, String> {
        // A fresh database as replay models one: an empty history, or setup.sql.
        let setup: Vec<Source> = self.scenario.setup.iter().cloned().collect();
        let fresh = replay_sources(&setup)
            .map_err(|e| format!("replaying setup.sql (or nothing):\n{}", report(e)))?
            .catalog;
        let from_scratch = plan_declared(&fresh, &self.desired, &self.intents, &self.options);
        verify_on_databases(
            &setup,
            &self.scenario.before,
            &self.plan,
            &from_scratch,
            &self.managed,
            &self.external,
        )
    }
}

impl Prepared {
    /// Phased scenarios, offline: after replaying `before.sql` and the
    /// plan's files up to each one, planning again gives exactly the files
    /// still to run (same slugs, same SQL, same rollbacks). This is what
    /// lets a rollout stop after any `apply` and resume with the next `plan`.
    pub fn check_phases_offline(&self) -> Result<(), String> {
        let files = plan_sources(&self.plan, false);
        for done in 1..=files.len() {
            let mut history = self.scenario.history();
            history.extend(files[..done].iter().cloned());
            let replayed = replay_sources(&history).map_err(|e| {
                format!("replaying before.sql + {done} plan file(s):\n{}", report(e))
            })?;
            // The generated files are followed exactly: the backfill's DO
            // loop changes data only, so every note about them is Info.
            let plan_dir = Path::new("plan");
            if let Some(note) = replayed.notes.iter().find(|n| {
                n.file.starts_with(plan_dir) && n.severity != engine::replay::Severity::Info
            }) {
                return Err(format!(
                    "replay cannot follow {}:{}:{}: {}\n{}",
                    note.file.display(),
                    note.line,
                    note.column,
                    note.reason,
                    note.statement
                ));
            }
            let replayed = replayed.catalog;
            let again = plan_declared(&replayed, &self.desired, &self.intents, &self.options);
            let got: Vec<(&str, &str, &str)> = again
                .files
                .iter()
                .map(|f| (f.slug.as_str(), f.sql.as_str(), f.rollback_sql.as_str()))
                .collect();
            let want: Vec<(&str, &str, &str)> = self.plan.files[done..]
                .iter()
                .map(|f| (f.slug.as_str(), f.sql.as_str(), f.rollback_sql.as_str()))
                .collect();
            if got != want || !again.unsupported.is_empty() {
                let (expected, planned) =
                    (plan_text(&remaining(&self.plan, done)), plan_text(&again));
                return Err(format!(
                    "after applying {} (file {done} of {}), planning again does not give the remaining files:\n{}",
                    files[done - 1].path.display(),
                    files.len(),
                    similar::TextDiff::from_lines(&expected, &planned)
                        .unified_diff()
                        .context_radius(4)
                        .header("remaining files of the plan", "plan after replaying them")
                ));
            }
        }
        Ok(())
    }
}

/// The plan without its first `done` files.
fn remaining(plan: &Plan, done: usize) -> Plan {
    let mut rest = plan.clone();
    rest.files.drain(..done.min(rest.files.len()));
    rest
}

/// Steps 3 and 4 of the module docs for any plan: `setup` + `before` +
/// `plan` on database A must introspect like `setup` + `from_scratch` on
/// database B, and the rollback of `plan` must bring A back to `before`.
/// Both databases get the Supabase stand-in first. `external`: tables outside
/// `managed` whose policies are compared too.
pub fn verify_on_databases(
    setup: &[Source],
    before: &Source,
    plan: &Plan,
    from_scratch: &Plan,
    managed: &[Ident],
    external: &[QualName],
) -> Result<Outcome, String> {
    let skipped = || Outcome::OfflineOnly {
        reason: format!("skipped: no PostgreSQL at {}", server_url()),
    };
    let create = |role: &str| ScratchDb::create(&format!("trr_rt_{role}")).map_err(report);
    let Some(mut a) = create("a")? else {
        return Ok(skipped());
    };
    let Some(mut b) = create("b")? else {
        return Ok(skipped());
    };
    for (db, what) in [(&mut a, "database A"), (&mut b, "database B")] {
        db.install_standin()
            .map_err(|e| format!("{what}: installing the Supabase stand-in: {e}"))?;
    }
    // The external tables' schemas are read too, and all but their policies
    // dropped by `compared`.
    let mut read_schemas: Vec<Ident> = managed.to_vec();
    for table in external {
        if !read_schemas.contains(&table.schema) {
            read_schemas.push(table.schema.clone());
        }
    }
    let read = |db: &mut ScratchDb, what: &str| {
        introspect(db.client(), &read_schemas)
            .map(|catalog| compared(&catalog, managed, external))
            .map_err(|e| format!("introspecting {what}:\n{}", report(e)))
    };

    run(&mut a, setup, "database A")?;
    run(&mut a, std::slice::from_ref(before), "database A")?;
    let before_live = read(&mut a, "database A after before.sql")?;
    // File by file, each one's rollback right after it must bring A back
    // exactly to the state before that file (then the file runs again):
    // a rollout can be stopped and undone after any phase.
    let files = plan_sources(plan, false);
    let undos = plan_sources(plan, true);
    let mut state = before_live.clone();
    for (file, undo) in files.iter().zip(&undos) {
        run(&mut a, std::slice::from_ref(file), "database A")?;
        let after = read(&mut a, "database A")?;
        run(&mut a, std::slice::from_ref(undo), "database A (rollback)")?;
        let undone = read(&mut a, "database A after a rollback")?;
        if undone != state {
            return Err(format!(
                "{} does not bring database A back to its state before {}:\n{}",
                undo.path.display(),
                file.path.display(),
                diff(
                    "A before the file",
                    &state,
                    "A after file + its rollback",
                    &undone
                )
            ));
        }
        run(&mut a, std::slice::from_ref(file), "database A (again)")?;
        state = after;
    }
    let a_live = read(&mut a, "database A after the plan")?;
    if a_live != state {
        return Err(format!(
            "running the last file again after its rollback gives another state:\n{}",
            diff(
                "A after the plan",
                &state,
                "A after rollback + again",
                &a_live
            )
        ));
    }

    run(&mut b, setup, "database B")?;
    run(&mut b, &plan_sources(from_scratch, false), "database B")?;
    let b_live = read(&mut b, "database B")?;
    if a_live != b_live {
        return Err(format!(
            "before.sql + plan (A) and the plan from an empty database (B) introspect differently:\n{}\nplan for B:\n{}",
            diff(
                "B: desired from scratch",
                &b_live,
                "A: before.sql + plan",
                &a_live
            ),
            plan_text(from_scratch)
        ));
    }

    let mut rollbacks = plan_sources(plan, true);
    rollbacks.reverse();
    run(&mut a, &rollbacks, "database A (rollback)")?;
    let rolled_back = read(&mut a, "database A after the rollback")?;
    if before_live != rolled_back {
        return Err(format!(
            "the rollback files do not bring database A back to before.sql:\n{}",
            diff(
                "A after before.sql",
                &before_live,
                "A after plan + rollback",
                &rolled_back
            )
        ));
    }
    Ok(Outcome::Verified)
}

/// The plan files as migration sources, named like the files `apply` would
/// write (`0001_expand.sql`), or their rollbacks.
fn plan_sources(plan: &Plan, rollback: bool) -> Vec<Source> {
    plan.files
        .iter()
        .enumerate()
        .map(|(i, file)| {
            let (suffix, text) = match rollback {
                false => ("", &file.sql),
                true => (".rollback", &file.rollback_sql),
            };
            Source::new(
                format!("plan/{:04}_{}{suffix}.sql", i + 1, file.slug),
                text.clone(),
            )
        })
        .collect()
}

/// Runs one scenario end to end, then snapshots its plan; panics with a
/// readable message (and the plan) on the first failed check.
pub fn run_scenario(name: &str) {
    let fail = |message: String| -> ! { panic!("scenario {name}: {message}") };
    let scenario = Scenario::load(name).unwrap_or_else(|m| fail(m));
    let prepared = scenario.prepare().unwrap_or_else(|m| fail(m));
    // The proof first, the snapshot last: a wrong plan fails with its reason
    // (and the plan), not as an unreviewed snapshot.
    let with_plan = |message: String| -> ! {
        fail(format!("{message}\n\nthe plan:\n{}", prepared.plan_text()))
    };
    let complete = !prepared.check_unsupported().unwrap_or_else(|m| fail(m));
    if complete {
        prepared.check_emptiness().unwrap_or_else(|m| fail(m));
        prepared.check_offline().unwrap_or_else(|m| with_plan(m));
        // Every plan, phased or not, must resume after any file: plain
        // changes on existing tables run in phases too (NOT VALID then
        // VALIDATE, indexes built beside and swapped in).
        prepared
            .check_phases_offline()
            .unwrap_or_else(|m| with_plan(m));
        match prepared.check_database().unwrap_or_else(|m| with_plan(m)) {
            Outcome::Verified => {}
            Outcome::OfflineOnly { reason } => {
                eprintln!("scenario {name}: database checks {reason}")
            }
        }
    } else {
        eprintln!("scenario {name}: plan incomplete as expected; round-trip checks not run");
    }

    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&scenario.dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_input_file(scenario.dir.join("desired.kdl"));
    settings.set_description(format!(
        "plan for scenario {name}: before.sql -> desired.kdl"
    ));
    settings.bind(|| insta::assert_snapshot!("plan", prepared.plan_text()));
}

/// The plan's access labels (one line per role and step, flagged ones
/// marked), then every file's SQL and rollback under a header, for
/// snapshots and messages.
pub fn plan_text(plan: &Plan) -> String {
    let mut out = String::new();
    for u in &plan.unsupported {
        let _ = writeln!(out, "-- UNSUPPORTED {}: {}", u.object.name, u.reason);
    }
    // Access labels first, where a reviewer looks: who gains or loses what.
    for step in plan.files.iter().flat_map(|f| &f.steps) {
        for change in &step.access {
            let _ = writeln!(
                out,
                "-- ACCESS {} {}: {} ({}){}",
                change.effect.word(),
                change.role,
                change.reason,
                step.summary,
                if change.flagged { " [FLAGGED]" } else { "" }
            );
        }
    }
    if plan.is_empty() {
        out.push_str("-- (empty plan: nothing to change)\n");
        return out;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let count = plan.files.len();
    for (i, file) in plan.files.iter().enumerate() {
        let kind = if file.transactional {
            "transactional"
        } else {
            "not transactional"
        };
        let _ = writeln!(
            out,
            "-- ===== file {}/{count}: {} ({:?}, {kind}) =====",
            i + 1,
            file.slug,
            file.phase
        );
        out.push_str(file.sql.trim_end());
        out.push_str("\n\n");
        let _ = writeln!(
            out,
            "-- ===== rollback of file {}/{count}: {} =====",
            i + 1,
            file.slug
        );
        out.push_str(file.rollback_sql.trim_end());
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The Catalog with each table's columns sorted by name: column order is
/// physical, and an added column lands last whatever the declaration says.
/// Nothing else of a Catalog depends on the order statements ran in: grants
/// and default privileges are sets, policy roles and trigger events are
/// sorted by the model, and function arguments, view columns and `UPDATE OF`
/// columns keep the order written, which both sides share.
pub fn comparable(catalog: &Catalog) -> Catalog {
    let mut catalog = catalog.clone();
    for table in catalog.tables.values_mut() {
        table.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    catalog
}

/// A unified diff of two Catalogs' JSON: every field, policies, grants and
/// default privileges included, so no difference goes unshown.
pub fn diff(left_name: &str, left: &Catalog, right_name: &str, right: &Catalog) -> String {
    let json = |c: &Catalog| serde_json::to_string_pretty(c).expect("a Catalog always serializes");
    let (left, right) = (json(left), json(right));
    similar::TextDiff::from_lines(&left, &right)
        .unified_diff()
        .context_radius(6)
        .header(left_name, right_name)
        .to_string()
}

fn run(db: &mut ScratchDb, sources: &[Source], what: &str) -> Result<(), String> {
    for source in sources {
        db.run_source(source).map_err(|e| format!("{what}: {e}"))?;
    }
    Ok(())
}

fn names(list: &[Ident]) -> String {
    list.iter()
        .map(Ident::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A diagnostic with its related errors, causes and help, as plain text
/// (miette's Debug form without the `fancy` feature is a struct dump).
fn report<E: miette::Diagnostic + Send + Sync + 'static>(error: E) -> String {
    fn add(out: &mut String, d: &dyn miette::Diagnostic, indent: &str) {
        let _ = write!(out, "{indent}{d}");
        let mut cause = d.source();
        while let Some(c) = cause {
            let _ = write!(out, "\n{indent}  caused by: {c}");
            cause = c.source();
        }
        if let Some(help) = d.help() {
            let _ = write!(out, "\n{indent}  help: {help}");
        }
        for related in d.related().into_iter().flatten() {
            out.push('\n');
            add(out, related, &format!("{indent}  "));
        }
    }
    let mut out = String::new();
    add(&mut out, &error, "");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::plan::{Phase, PlanFile};

    fn file(slug: &str, transactional: bool, sql: &str, rollback_sql: &str) -> PlanFile {
        PlanFile {
            slug: slug.into(),
            phase: Phase::Expand,
            transactional,
            sql: sql.into(),
            rollback_sql: rollback_sql.into(),
            steps: Vec::new(),
            backfills: Vec::new(),
        }
    }

    const BEFORE: &str = "CREATE SCHEMA core;\nCREATE TABLE core.t (id int PRIMARY KEY);\n";

    // Assigned rather than a struct literal: the plan model may grow fields.
    #[allow(clippy::field_reassign_with_default)]
    fn plan_of(files: Vec<PlanFile>) -> Plan {
        let mut plan = Plan::default();
        plan.files = files;
        plan
    }

    fn good_plan() -> Plan {
        plan_of(vec![
            file(
                "expand",
                true,
                "BEGIN;\nALTER TABLE core.t ADD COLUMN title text NOT NULL DEFAULT '';\nCOMMIT;\n",
                "ALTER TABLE core.t DROP COLUMN title;\n",
            ),
            file(
                "expand_indexes",
                false,
                "CREATE INDEX CONCURRENTLY t_title ON core.t (title);\n",
                "DROP INDEX CONCURRENTLY core.t_title;\n",
            ),
        ])
    }

    fn from_scratch(with_index: bool) -> Plan {
        let index = if with_index {
            "CREATE INDEX t_title ON core.t (title);"
        } else {
            ""
        };
        plan_of(vec![file(
            "expand",
            true,
            // Columns in another order than A ends up with: that must not matter.
            &format!(
                "CREATE SCHEMA core;\nCREATE TABLE core.t (title text NOT NULL DEFAULT '', id int PRIMARY KEY);\n{index}\n"
            ),
            "",
        )])
    }

    fn managed() -> Vec<Ident> {
        vec![Ident::new("core")]
    }

    fn before() -> Source {
        Source::new("before.sql", BEFORE)
    }

    #[test]
    fn a_correct_plan_verifies() {
        let setup = [Source::new(
            "setup.sql",
            "CREATE SCHEMA other;\nCREATE TABLE other.orgs (id int PRIMARY KEY);\n",
        )];
        let mut plan = good_plan();
        plan.files[0].sql = plan.files[0].sql.replace(
            "COMMIT;",
            "ALTER TABLE core.t ADD COLUMN org_id int REFERENCES other.orgs;\nCOMMIT;",
        );
        plan.files[0]
            .rollback_sql
            .push_str("ALTER TABLE core.t DROP COLUMN org_id;\n");
        let mut scratch = from_scratch(true);
        scratch.files[0].sql = scratch.files[0].sql.replace(
            "id int PRIMARY KEY",
            "id int PRIMARY KEY, org_id int REFERENCES other.orgs",
        );
        // Setup objects are there for both databases.
        let outcome =
            verify_on_databases(&setup, &before(), &plan, &scratch, &managed(), &[]).unwrap();
        if let Outcome::OfflineOnly { reason } = &outcome {
            eprintln!("{reason}");
        }
    }

    #[test]
    fn a_correct_plan_without_setup_verifies() {
        let outcome = verify_on_databases(
            &[],
            &before(),
            &good_plan(),
            &from_scratch(true),
            &managed(),
            &[],
        )
        .unwrap();
        if let Outcome::OfflineOnly { reason } = &outcome {
            eprintln!("{reason}");
        }
    }

    #[test]
    fn a_plan_that_misses_the_desired_state_fails_with_a_diff() {
        match verify_on_databases(
            &[],
            &before(),
            &good_plan(),
            &from_scratch(false),
            &managed(),
            &[],
        ) {
            Ok(Outcome::OfflineOnly { .. }) => {}
            Ok(Outcome::Verified) => panic!("a missing index went unnoticed"),
            Err(message) => {
                assert!(message.contains("introspect differently"), "{message}");
                assert!(
                    message.contains("+      \"name\": {") && message.contains("t_title"),
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn an_incomplete_rollback_fails() {
        let mut plan = good_plan();
        plan.files[0].rollback_sql = "SELECT 1;\n".into();
        match verify_on_databases(&[], &before(), &plan, &from_scratch(true), &managed(), &[]) {
            Ok(Outcome::OfflineOnly { .. }) => {}
            Ok(Outcome::Verified) => {
                panic!("a rollback that leaves a column behind went unnoticed")
            }
            Err(message) => {
                assert!(message.contains("bring database A back"), "{message}");
                assert!(message.contains("\"title\""), "{message}");
            }
        }
    }

    #[test]
    fn a_failing_statement_names_the_plan_file() {
        let mut plan = good_plan();
        plan.files[1].sql = "CREATE INDEX CONCURRENTLY t_x ON core.t (nope);\n".into();
        match verify_on_databases(&[], &before(), &plan, &from_scratch(true), &managed(), &[]) {
            Ok(Outcome::OfflineOnly { .. }) => {}
            Ok(Outcome::Verified) => panic!("a failing statement went unnoticed"),
            Err(message) => {
                assert!(
                    message.starts_with("database A: plan/0002_expand_indexes.sql:1:1:"),
                    "{message}"
                );
                assert!(
                    message.contains("column \"nope\" does not exist"),
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn plan_text_shows_each_file_and_its_rollback() {
        let mut plan = good_plan();
        plan.files[0].steps.push(engine::plan::Step {
            object: engine::plan::ObjectRef {
                kind: engine::plan::ObjectKind::Column,
                name: "core.t.title".into(),
            },
            action: engine::plan::Action::Create,
            summary: "add column core.t.title".into(),
            sql: String::new(),
            rollback: engine::plan::Rollback::Sql { sql: String::new() },
            hazards: Vec::new(),
            access: vec![engine::plan::AccessChange {
                role: "anon".into(),
                effect: engine::plan::AccessEffect::Widens,
                reason: "gains SELECT on TABLE core.t (title)".into(),
                flagged: true,
            }],
        });
        insta::assert_snapshot!(plan_text(&plan), @r"
        -- ACCESS widens anon: gains SELECT on TABLE core.t (title) (add column core.t.title) [FLAGGED]

        -- ===== file 1/2: expand (Expand, transactional) =====
        BEGIN;
        ALTER TABLE core.t ADD COLUMN title text NOT NULL DEFAULT '';
        COMMIT;

        -- ===== rollback of file 1/2: expand =====
        ALTER TABLE core.t DROP COLUMN title;

        -- ===== file 2/2: expand_indexes (Expand, not transactional) =====
        CREATE INDEX CONCURRENTLY t_title ON core.t (title);

        -- ===== rollback of file 2/2: expand_indexes =====
        DROP INDEX CONCURRENTLY core.t_title;
        ");
        assert_eq!(
            plan_text(&Plan::default()),
            "-- (empty plan: nothing to change)\n"
        );
    }

    fn policy(table: &str, name: &str) -> schema::Policy {
        schema::Policy {
            name: Ident::new(name),
            table: QualName::from(table),
            permissive: true,
            command: schema::PolicyCommand::Select,
            roles: vec![Ident::new("authenticated")],
            using: Some(schema::Expr::parse("true").unwrap()),
            check: None,
        }
    }

    fn with_policy(catalog: &mut Catalog, table: &str, name: &str) {
        let p = policy(table, name);
        catalog.policies.insert(p.key(), p);
    }

    #[test]
    fn default_schemas_are_declared_and_used_ones_plus_public() {
        let mut desired = Catalog::default();
        let media = QualName::from("media.images");
        desired
            .tables
            .insert(media.clone(), schema::Table::new(media));
        desired.schemas.insert(
            Ident::new("core"),
            schema::Schema {
                name: Ident::new("core"),
                comment: None,
            },
        );
        // A policy counts by its table's schema, but not an external one.
        with_policy(&mut desired, "audit.log", "reads");
        with_policy(&mut desired, "storage.objects", "media read");
        let function = schema::Function {
            name: QualName::from("api.touch"),
            args: Vec::new(),
            returns: schema::FunctionReturn::Type {
                ty: schema::SqlType::parse("trigger").unwrap(),
            },
            language: "plpgsql".into(),
            body: "begin return new; end;".into(),
            volatility: schema::Volatility::Volatile,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: schema::Parallel::Unsafe,
            config: Default::default(),
            comment: None,
        };
        desired.functions.insert(function.id(), function);
        let trigger = schema::Trigger {
            name: Ident::new("touch"),
            table: QualName::from("jobs.runs"),
            timing: schema::TriggerTiming::Before,
            events: vec![schema::TriggerEvent::Insert],
            for_each_row: true,
            when: None,
            function: QualName::from("api.touch"),
            args: Vec::new(),
            old_table: None,
            new_table: None,
            constraint: None,
        };
        desired.triggers.insert(trigger.key(), trigger);
        let view = schema::View {
            name: QualName::from("reports.active"),
            materialized: false,
            columns: Vec::new(),
            query: schema::Query::parse("select 1 as one").unwrap(),
            security_invoker: false,
            security_barrier: false,
            check_option: None,
            comment: None,
        };
        desired.views.insert(view.name.clone(), view);
        let managed = default_schemas(&desired);
        assert_eq!(
            managed,
            ["api", "audit", "core", "jobs", "media", "public", "reports"]
                .map(Ident::new)
                .to_vec()
        );
        assert_eq!(
            external_policy_tables(&desired, &managed),
            vec![QualName::from("storage.objects")]
        );
    }

    #[test]
    fn compared_keeps_managed_schemas_and_external_policies_only() {
        let mut catalog = Catalog::default();
        for table in ["core.shows", "storage.objects", "storage.buckets"] {
            let name = QualName::from(table);
            catalog
                .tables
                .insert(name.clone(), schema::Table::new(name));
        }
        with_policy(&mut catalog, "core.shows", "read");
        with_policy(&mut catalog, "storage.objects", "media read");
        with_policy(&mut catalog, "storage.buckets", "bucket read");
        let got = compared(
            &catalog,
            &[Ident::new("core")],
            &[QualName::from("storage.objects")],
        );
        assert_eq!(
            got.tables.keys().cloned().collect::<Vec<_>>(),
            vec![QualName::from("core.shows")]
        );
        assert_eq!(
            got.policies.keys().cloned().collect::<Vec<_>>(),
            vec![
                (QualName::from("core.shows"), Ident::new("read")),
                (QualName::from("storage.objects"), Ident::new("media read")),
            ]
        );
    }

    #[test]
    fn unsupported_differences_must_be_expected() {
        let mut scenario = Scenario::load("57-enum-remove-used-label").unwrap();
        assert_eq!(scenario.unsupported.len(), 1);
        assert_eq!(scenario.prepare().unwrap().check_unsupported(), Ok(true));

        let expected = scenario.unsupported.clone();
        scenario.unsupported.clear();
        let message = scenario.prepare().unwrap().check_unsupported().unwrap_err();
        assert!(
            message.contains("1 unsupported difference(s), 0 expected"),
            "{message}"
        );
        assert!(message.contains("core.show_status"), "{message}");

        scenario.unsupported = vec!["some other reason".into()];
        let message = scenario.prepare().unwrap().check_unsupported().unwrap_err();
        assert!(
            message.contains("does not contain \"some other reason\""),
            "{message}"
        );

        // A complete plan passes only when nothing was expected.
        let mut complete = Scenario::load("06-enum-add-value-end").unwrap();
        assert_eq!(complete.prepare().unwrap().check_unsupported(), Ok(false));
        complete.unsupported = expected;
        assert!(complete.prepare().unwrap().check_unsupported().is_err());
    }

    #[test]
    fn emptiness_must_match_expect_empty() {
        let mut same = Scenario::load("54-no-change").unwrap();
        assert!(same.expect_empty);
        assert_eq!(same.prepare().unwrap().check_emptiness(), Ok(()));
        same.expect_empty = false;
        let message = same.prepare().unwrap().check_emptiness().unwrap_err();
        assert!(message.contains("proves nothing"), "{message}");

        let mut changed = Scenario::load("61-rls-enable").unwrap();
        assert_eq!(changed.prepare().unwrap().check_emptiness(), Ok(()));
        changed.expect_empty = true;
        let message = changed.prepare().unwrap().check_emptiness().unwrap_err();
        assert!(message.contains("ENABLE ROW LEVEL SECURITY"), "{message}");
    }

    #[test]
    fn every_scenario_loads() {
        let names = scenario_names();
        assert!(names.len() >= 40, "{} scenarios", names.len());
        for name in names {
            let scenario = Scenario::load(&name).unwrap();
            assert!(
                !scenario.desired.text.trim().is_empty(),
                "{name}: empty desired.kdl"
            );
            // The declaration loads whatever the replay and the planner do.
            if let Err(e) = schema::lang::load_sources(std::slice::from_ref(&scenario.desired)) {
                panic!("{name}: {e}");
            }
        }
        let other = Scenario::load("31-foreign-key-other-schema").unwrap();
        assert_eq!(other.history().len(), 2);
        let drop = Scenario::load("02-drop-schema").unwrap();
        assert_eq!(
            drop.schemas.unwrap(),
            vec![
                Ident::new("core"),
                Ident::new("archive"),
                Ident::new("public")
            ]
        );
    }
}
