//! `trr-schema docs`: schema docs for the declared schema, or `--check`
//! that the committed ones are current.

use crate::args::DocsArgs;
use engine::config::Config;
use engine::docs::Stale;
use miette::miette;
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, args: &DocsArgs) -> miette::Result<ExitCode> {
    let config = Config::load(root)?;
    // The declared Catalog is what the migrations build once the plan is
    // applied: the docs describe the schema this change produces.
    let declared = crate::project::declared(&config)?;
    let files = engine::docs::generate(&declared.catalog, &config.schemas);
    let dir = config.root.join(&args.out);
    let shown = args.out.display();

    if args.check {
        let stale = engine::docs::check(&dir, &files)
            .map_err(|e| miette!("cannot read {}: {e}", dir.display()))?;
        if stale.is_empty() {
            println!("{shown} is up to date ({} files)", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        for s in &stale {
            match s {
                Stale::Missing { name } => println!("missing: {shown}/{name}"),
                Stale::Extra { name } => {
                    println!("no longer generated (its table is gone): {shown}/{name}")
                }
                Stale::Differs { diff, .. } => print!("{diff}"),
            }
        }
        eprintln!(
            "error: {shown} is out of date ({} of the schema files' docs missing, changed or no longer generated); run `trr-schema docs` and commit the result",
            if stale.len() == 1 {
                "1 file".to_string()
            } else {
                format!("{} files", stale.len())
            },
        );
        return Ok(ExitCode::FAILURE);
    }

    let (written, removed) = engine::docs::write(&dir, &files)
        .map_err(|e| miette!("cannot write the docs into {}: {e}", dir.display()))?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    for path in &removed {
        println!("removed {}", path.display());
    }
    if written.is_empty() && removed.is_empty() {
        println!("{shown} is up to date ({} files)", files.len());
    }
    Ok(ExitCode::SUCCESS)
}
