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
}

pub fn plan(root: &Path) -> miette::Result<Planned> {
    let config = Config::load(root)?;
    if !config.schema_dir.is_dir() {
        return Err(MissingSchemaDir {
            dir: config.schema_dir.clone(),
        }
        .into());
    }
    let desired = schema::lang::load_dir(&config.schema_dir)?;
    let replayed = engine::replay::replay_dir(&config.migrations_dir)?;
    let notes = replayed.notes.len();
    if notes > 0 {
        let unfollowed = replayed
            .notes
            .iter()
            .filter(|n| n.may_change_schema())
            .count();
        let plural = if notes == 1 {
            "statement"
        } else {
            "statements"
        };
        match unfollowed {
            0 => eprintln!("replay kept {notes} {plural} as notes, none with a schema effect"),
            n => eprintln!(
                "warning: replay kept {notes} {plural} as notes; {n} may change the schema in ways the replay does not follow, so the plan may be approximate"
            ),
        }
    }
    let plan = engine::plan::plan(&replayed.catalog, &desired, &config.plan_options());
    Ok(Planned { config, plan })
}
