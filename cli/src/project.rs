//! Loads a project and plans it: the KDL schema against the replayed
//! migrations.

use engine::config::Config;
use engine::plan::Plan;
use miette::Diagnostic;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("the schema directory {} does not exist", dir.display())]
#[diagnostic(
    code(trr_schema::config::schema_dir),
    help("create it with your *.kdl files, or set `schema_dir` in trr-schema.toml")
)]
struct MissingSchemaDir {
    dir: PathBuf,
}

pub struct Planned {
    pub config: Config,
    pub plan: Plan,
    /// The declared Catalog: what the migrations build once the plan is
    /// applied (the markdown report draws its diagram from it).
    pub desired: schema::Catalog,
    /// The schema the migrations build, which the plan starts from.
    pub current: schema::Catalog,
    /// What the KDL says beside the shape: renames, approvals, …
    pub intents: schema::Intents,
    /// Objects the replay could only approximate.
    pub approximate: Vec<String>,
}

/// The KDL files, loaded as `plan` loads them.
pub fn declared(config: &Config) -> miette::Result<schema::Declared> {
    if !config.schema_dir.is_dir() {
        return Err(MissingSchemaDir {
            dir: config.schema_dir.clone(),
        }
        .into());
    }
    Ok(schema::lang::load_dir_declared(
        &config.schema_dir,
        &config.schemas,
    )?)
}

pub fn plan(root: &Path, verbose: bool) -> miette::Result<Planned> {
    let config = Config::load(root)?;
    let declared = declared(&config)?;
    let project = engine::replay::replay_project(&config)?;
    report_checkpoints(&project, verbose);
    let replayed = project.replayed;
    report_notes(&replayed.notes, verbose);
    let approximate = replayed.approximate();
    let plan = engine::plan::plan_declared(
        &replayed.catalog,
        &declared.catalog,
        &declared.intents,
        &config.plan_options(),
    );
    report_unmanaged(&declared.intents);
    Ok(Planned {
        config,
        plan,
        desired: declared.catalog,
        current: replayed.catalog,
        intents: declared.intents,
        approximate,
    })
}

/// The objects declared `unmanaged`, which the plan leaves as the
/// migrations made them: one line each on stderr, so nobody mistakes a
/// missing step for a missing object.
fn report_unmanaged(intents: &schema::Intents) {
    let n = intents.unmanaged.len();
    if n == 0 {
        return;
    }
    eprintln!(
        "note: {n} object{} declared `unmanaged`, left as the migrations made {}:",
        if n == 1 { " is" } else { "s are" },
        if n == 1 { "it" } else { "them" }
    );
    for (object, reason) in &intents.unmanaged {
        match reason {
            Some(r) => eprintln!("  {object} ({r})"),
            None => eprintln!("  {object}"),
        }
    }
}

/// Stale checkpoints, always (a stale one means the replay is slower or
/// approximate again); the one used, with `--verbose`.
pub fn report_checkpoints(project: &engine::replay::ProjectReplay, verbose: bool) {
    for ignored in &project.ignored {
        eprintln!("warning: {ignored}");
    }
    if verbose && let Some(used) = &project.checkpoint {
        eprintln!("{}", engine::report::replay::started_from(used));
    }
}

/// One line on stderr counting the replay's notes — a warning when some may
/// hide schema changes — and with `--verbose` every note, where it is and why.
pub fn report_notes(notes: &[engine::replay::Note], verbose: bool) {
    if notes.is_empty() {
        return;
    }
    let count = notes.len();
    let plural = if count == 1 {
        "statement"
    } else {
        "statements"
    };
    let hint = if verbose {
        ""
    } else {
        " (--verbose lists them)"
    };
    let warnings = notes.iter().filter(|n| n.may_change_schema()).count();
    let outside = notes
        .iter()
        .filter(|n| n.severity == engine::replay::Severity::Notice)
        .count();
    let outside = match outside {
        0 if warnings == 0 => ", none with a schema effect".to_string(),
        0 => String::new(),
        n => format!("; {n} only touch objects trr-schema does not model yet"),
    };
    match warnings {
        0 => eprintln!("replay kept {count} {plural} as notes{outside}{hint}"),
        n => eprintln!(
            "warning: replay kept {count} {plural} as notes; {n} may change the schema in ways the replay does not follow, so the plan may be approximate{outside}{hint}"
        ),
    }
    let approximate = approximate(notes);
    if !approximate.is_empty() {
        eprintln!(
            "warning: {} object{} could only be approximated, because statements on them failed after one that was not followed: {}; apply refuses steps on them unless a shadow checkpoint covers those statements or --allow-approximate is given (`trr-schema replay` says more)",
            approximate.len(),
            if approximate.len() == 1 { "" } else { "s" },
            approximate.join(", ")
        );
    }
    if verbose {
        for note in notes {
            eprintln!(
                "  {}:{}:{}: {}: {}",
                note.file.display(),
                note.line,
                note.column,
                match note.severity {
                    engine::replay::Severity::Info => "info",
                    engine::replay::Severity::Notice => "notice",
                    engine::replay::Severity::Warning => "warning",
                    engine::replay::Severity::Error => "error",
                },
                note.reason
            );
        }
    }
}

/// The objects of the error notes (as `Replayed::approximate`).
fn approximate(notes: &[engine::replay::Note]) -> Vec<String> {
    let mut out: Vec<String> = notes
        .iter()
        .filter(|n| n.severity == engine::replay::Severity::Error)
        .flat_map(|n| n.objects.iter().cloned())
        .collect();
    out.sort();
    out.dedup();
    out
}
