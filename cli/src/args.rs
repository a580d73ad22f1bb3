//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "trr-schema",
    version,
    about = "Declarative schema-as-code for Supabase/PostgreSQL: plan and write migrations from schema/*.kdl"
)]
pub struct Cli {
    /// Project root (the directory holding trr-schema.toml). Without it,
    /// trr-schema.toml is searched for upward from the current directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// List every statement the replay kept as a note (file:line:column and
    /// why), not just their count.
    #[arg(long, short, global = true)]
    pub verbose: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show what it takes to bring the migrations up to the KDL schema.
    Plan(PlanArgs),
    /// Write the plan as new migration and rollback files.
    Apply(ApplyArgs),
    /// Write KDL files declaring what the migrations build (to adopt an
    /// existing project): afterwards `plan` has nothing to do.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Exit with 0 when there are no changes, 2 when there are (1 on errors).
    #[arg(long)]
    pub exit_code: bool,
}

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Print the files that would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// A slug for the new file names: `--name add_ratings` gives
    /// `…_add_ratings_expand.sql`.
    #[arg(long, value_name = "SLUG")]
    pub name: Option<String>,

    /// Also write destructive (contract) files, which drop objects or data.
    #[arg(long)]
    pub allow_destructive: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Where to write the `<schema>.kdl` files (default: the configured
    /// `schema_dir`). Created if missing.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite files that already exist (other files are never touched).
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Sql,
    Json,
    Markdown,
}

impl From<Format> for engine::report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Text => engine::report::Format::Text,
            Format::Sql => engine::report::Format::Sql,
            Format::Json => engine::report::Format::Json,
            Format::Markdown => engine::report::Format::Markdown,
        }
    }
}
