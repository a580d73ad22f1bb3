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
    /// Show what the migrations add up to and every statement the replay
    /// did not follow; with a shadow database, check it against PostgreSQL
    /// and write a checkpoint.
    Replay(ReplayArgs),
    /// Run the backfills of the migration files against a database, in
    /// batches with a progress bar; Ctrl-C stops, a rerun continues.
    Backfill(BackfillArgs),
    /// Write schema docs (INDEX.md, <schema>.<table>.json and .md) for the
    /// declared schema; with --check, only report whether they are current.
    Docs(DocsArgs),
    /// Draw the tables and their foreign keys (Mermaid or Graphviz dot).
    Erd(ErdArgs),
}

#[derive(Debug, Args)]
pub struct BackfillArgs {
    /// The database to fill (a libpq URL or key=value string).
    #[arg(long, value_name = "URL")]
    pub database_url: String,

    /// Rows per batch (one transaction each), instead of the spec's.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: Option<u32>,

    /// Milliseconds to wait between two batches, instead of the spec's.
    #[arg(long, value_name = "M")]
    pub pause_ms: Option<u32>,

    /// Only the backfills of this migration file (its name, with or
    /// without `.sql`).
    #[arg(long, value_name = "NAME")]
    pub file: Option<String>,
}

#[derive(Debug, Args)]
pub struct DocsArgs {
    /// The docs directory, relative to the project root.
    #[arg(long, value_name = "DIR", default_value = "supabase/schema_docs")]
    pub out: PathBuf,

    /// Write nothing: exit with 1 and print a diff when the files on disk
    /// differ from what would be generated (for CI).
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ErdArgs {
    /// Only the tables of this schema (tables they reference elsewhere are
    /// drawn by name). Default: every managed schema.
    #[arg(long, value_name = "SCHEMA")]
    pub schema: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ErdFormat::Mermaid)]
    pub format: ErdFormat,

    /// Write to this file instead of standard output. With `--format dot`,
    /// a `.svg` or `.png` file is rendered by Graphviz `dot` (which must be
    /// installed).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ErdFormat {
    Mermaid,
    Dot,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReplayFormat::Text)]
    pub format: ReplayFormat,

    /// Also run the migrations on a scratch database created on this
    /// PostgreSQL server, write a checkpoint of the result, and report every
    /// difference from the offline replay (exit code 2 when there are).
    /// Defaults to $TRR_SHADOW_DATABASE_URL, then `shadow_database_url` in
    /// trr-schema.toml.
    #[arg(long, value_name = "URL")]
    pub shadow_database_url: Option<String>,

    /// Replay from the first migration, ignoring checkpoints.
    #[arg(long)]
    pub no_checkpoint: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReplayFormat {
    Text,
    Json,
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
    /// Without it, a contract file is written only when `approve` nodes in
    /// the KDL cover every one of its steps.
    #[arg(long)]
    pub allow_destructive: bool,

    /// Hazards accepted for the files written, as `plan` lists them:
    /// access_exclusive_lock, rewrites_table, scans_table, deletes_data,
    /// builds_index, changes_access. Comma-separated or repeated. Any other
    /// hazard in a file to write makes `apply` write nothing.
    #[arg(long, value_name = "HAZARDS", value_delimiter = ',')]
    pub allow_hazards: Vec<String>,

    /// Also write steps on objects the replay could only approximate (a
    /// statement on them was not followed; `replay` lists them). Without
    /// it, such a step makes `apply` write nothing, unless a shadow
    /// checkpoint covers the statements involved.
    #[arg(long)]
    pub allow_approximate: bool,
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
