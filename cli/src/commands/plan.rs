//! `trr-schema plan`.

use crate::args::PlanArgs;
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, args: &PlanArgs, verbose: bool) -> miette::Result<ExitCode> {
    let planned = crate::project::plan(root, verbose)?;
    let plan = &planned.plan;
    let report = match args.format {
        // The pull-request comment: with a diagram of the changed tables.
        crate::args::Format::Markdown => {
            engine::report::markdown::render_with_erd(plan, &planned.desired)
        }
        format => engine::report::render(plan, format.into()),
    };
    print!("{report}");
    if !plan.unsupported.is_empty() {
        let n = plan.unsupported.len();
        return Err(miette::miette!(
            code = "trr_schema::plan::incomplete",
            help = "change the schema files so PostgreSQL can get there (the report says how), or migrate by hand",
            "the plan is incomplete: {n} difference{} cannot be planned (listed in the report)",
            if n == 1 { "" } else { "s" }
        ));
    }
    Ok(if args.exit_code && !plan.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
