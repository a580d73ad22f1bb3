//! `trr-schema plan`.

use crate::args::PlanArgs;
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, args: &PlanArgs) -> miette::Result<ExitCode> {
    let planned = crate::project::plan(root)?;
    print!(
        "{}",
        engine::report::render(&planned.plan, args.format.into())
    );
    Ok(if args.exit_code && !planned.plan.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
