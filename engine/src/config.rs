//! `trr-schema.toml`: which schemas the project manages, where its files
//! live, and the timeouts every generated migration sets.
//!
//! ```toml
//! schemas = ["core"]                       # required, non-empty
//! schema_dir = "schema"                    # KDL files
//! migrations_dir = "supabase/migrations"
//! rollbacks_dir = "supabase/rollbacks"
//! lock_timeout = "5s"
//! statement_timeout = "15min"
//! backfill_batch_size = 5000               # rows per backfill transaction
//! backfill_pause_ms = 100                  # pause between two batches
//! checkpoint_dir = "supabase/trr-schema/checkpoints"
//! shadow_database_url = "postgres://postgres@127.0.0.1:5432/postgres"   # optional
//! ```
//!
//! Directories are relative to the file's own directory (the project root).

use crate::plan::PlanOptions;
use miette::{NamedSource, SourceSpan};
use schema::{Ident, Source};
use serde::Deserialize;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The file name looked for in the project root.
pub const FILE_NAME: &str = "trr-schema.toml";

/// A loaded and validated `trr-schema.toml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The directory holding `trr-schema.toml`; every other path starts here.
    pub root: PathBuf,
    /// Managed schemas, folded, in the order written (duplicates removed).
    pub schemas: Vec<Ident>,
    pub schema_dir: PathBuf,
    pub migrations_dir: PathBuf,
    pub rollbacks_dir: PathBuf,
    pub lock_timeout: String,
    pub statement_timeout: String,
    pub backfill_batch_size: u32,
    pub backfill_pause_ms: u32,
    /// Where `trr-schema replay --shadow-database-url` writes checkpoints.
    pub checkpoint_dir: PathBuf,
    /// The server shadow replays create their scratch database on.
    pub shadow_database_url: Option<String>,
}

/// The environment variable that names the shadow server, between the
/// `--shadow-database-url` flag and `shadow_database_url` in the file.
pub const SHADOW_URL_ENV: &str = "TRR_SHADOW_DATABASE_URL";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    schemas: Spanned<Vec<Spanned<String>>>,
    schema_dir: Option<PathBuf>,
    migrations_dir: Option<PathBuf>,
    rollbacks_dir: Option<PathBuf>,
    lock_timeout: Option<Spanned<String>>,
    statement_timeout: Option<Spanned<String>>,
    backfill_batch_size: Option<Spanned<i64>>,
    backfill_pause_ms: Option<Spanned<i64>>,
    checkpoint_dir: Option<PathBuf>,
    shadow_database_url: Option<Spanned<String>>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ConfigError {
    #[error("no {FILE_NAME} found in {} or any parent directory", start.display())]
    #[diagnostic(
        code(trr_schema::config::not_found),
        help(
            "run trr-schema inside a project, pass --dir DIR, or create {FILE_NAME} in the project root with `schemas = [\"core\"]`"
        )
    )]
    NotFound { start: PathBuf },

    #[error("cannot read {}: {source}", path.display())]
    #[diagnostic(code(trr_schema::config::io))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error(transparent)]
    #[diagnostic(transparent)]
    Invalid(Box<InvalidConfig>),
}

/// A mistake inside `trr-schema.toml`, with where it is and how to fix it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{}:{line}:{column}: {message}", path.display())]
#[diagnostic(code(trr_schema::config::invalid))]
pub struct InvalidConfig {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl Config {
    /// Reads `root/trr-schema.toml`.
    pub fn load(root: &Path) -> Result<Config, ConfigError> {
        let path = root.join(FILE_NAME);
        let text = std::fs::read_to_string(&path).map_err(|source| ConfigError::Io {
            path: path.clone(),
            source,
        })?;
        Config::parse(root, &Source::new(path, text))
    }

    /// Parses and validates the text of a `trr-schema.toml` whose directory
    /// is `root`.
    pub fn parse(root: &Path, source: &Source) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(&source.text).map_err(|e| {
            let message = e.message().trim().to_string();
            let (label, help) = toml_help(&message);
            invalid(source, e.span().unwrap_or(0..0), message, label, help)
        })?;

        let mut schemas: Vec<Ident> = Vec::new();
        for written in raw.schemas.get_ref() {
            let name = written.get_ref().trim();
            if name.is_empty() {
                return Err(invalid(
                    source,
                    written.span(),
                    "a schema name is empty".into(),
                    "empty name",
                    Some("write schema names as they appear in SQL, e.g. \"core\"".into()),
                ));
            }
            let ident = Ident::from_sql(name);
            if let Some(provider) = schema::provided::provider(ident.as_str()) {
                return Err(invalid(
                    source,
                    written.span(),
                    format!(
                        "`{ident}` is provided by {provider}: trr-schema references its objects but never creates or drops them"
                    ),
                    "provided schema",
                    Some(format!(
                        "remove it from `schemas`; declare your own objects in a schema of your own, and reference `{}` from them",
                        schema::provided::example_table(ident.as_str())
                    )),
                ));
            }
            if !schemas.contains(&ident) {
                schemas.push(ident);
            }
        }
        if schemas.is_empty() {
            return Err(invalid(
                source,
                raw.schemas.span(),
                "`schemas` must list at least one schema".into(),
                "no schemas",
                Some("list the schemas trr-schema manages, e.g. `schemas = [\"core\"]`".into()),
            ));
        }

        let lock_timeout = timeout(source, raw.lock_timeout, "5s")?;
        let statement_timeout = timeout(source, raw.statement_timeout, "15min")?;
        let backfill_batch_size = count(
            source,
            raw.backfill_batch_size,
            "backfill_batch_size",
            1,
            PlanOptions::DEFAULT_BACKFILL_BATCH_SIZE,
        )?;
        let backfill_pause_ms = count(
            source,
            raw.backfill_pause_ms,
            "backfill_pause_ms",
            0,
            PlanOptions::DEFAULT_BACKFILL_PAUSE_MS,
        )?;
        let shadow_database_url = match raw.shadow_database_url {
            Some(url) if url.get_ref().trim().is_empty() => {
                return Err(invalid(
                    source,
                    url.span(),
                    "`shadow_database_url` is empty".into(),
                    "empty URL",
                    Some(
                        "write a connection string such as \"postgres://postgres@127.0.0.1:5432/postgres\", or remove the key"
                            .into(),
                    ),
                ));
            }
            Some(url) => Some(url.get_ref().trim().to_string()),
            None => None,
        };
        let dir =
            |d: Option<PathBuf>, default: &str| root.join(d.unwrap_or_else(|| default.into()));
        Ok(Config {
            root: root.to_path_buf(),
            schemas,
            schema_dir: dir(raw.schema_dir, "schema"),
            migrations_dir: dir(raw.migrations_dir, "supabase/migrations"),
            rollbacks_dir: dir(raw.rollbacks_dir, "supabase/rollbacks"),
            lock_timeout,
            statement_timeout,
            backfill_batch_size,
            backfill_pause_ms,
            checkpoint_dir: dir(raw.checkpoint_dir, "supabase/trr-schema/checkpoints"),
            shadow_database_url,
        })
    }

    /// The shadow server to use: `flag` (`--shadow-database-url`), else
    /// [`SHADOW_URL_ENV`] when set and non-empty, else the file's
    /// `shadow_database_url`.
    pub fn shadow_url(&self, flag: Option<&str>) -> Option<String> {
        let env = std::env::var(SHADOW_URL_ENV).ok();
        pick_shadow_url(flag, env.as_deref(), self.shadow_database_url.as_deref())
    }

    /// What the planner needs from the configuration.
    pub fn plan_options(&self) -> PlanOptions {
        PlanOptions {
            managed_schemas: self.schemas.clone(),
            lock_timeout: self.lock_timeout.clone(),
            statement_timeout: self.statement_timeout.clone(),
            backfill_batch_size: self.backfill_batch_size,
            backfill_pause_ms: self.backfill_pause_ms,
        }
    }
}

fn pick_shadow_url(flag: Option<&str>, env: Option<&str>, file: Option<&str>) -> Option<String> {
    [flag, env, file]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|url| !url.is_empty())
        .map(str::to_string)
}

/// The nearest directory at or above `start` that holds `trr-schema.toml`.
pub fn find_root(start: &Path) -> Result<PathBuf, ConfigError> {
    start
        .ancestors()
        .find(|dir| dir.join(FILE_NAME).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| ConfigError::NotFound {
            start: start.to_path_buf(),
        })
}

/// A PostgreSQL duration such as `5s`, `250ms` or `15min`. Checked because the
/// value is written verbatim into every migration file.
fn timeout(
    source: &Source,
    value: Option<Spanned<String>>,
    default: &str,
) -> Result<String, ConfigError> {
    let Some(value) = value else {
        return Ok(default.to_string());
    };
    let text = value.get_ref().trim();
    if is_duration(text) {
        return Ok(text.to_string());
    }
    Err(invalid(
        source,
        value.span(),
        format!("`{}` is not a PostgreSQL duration", value.get_ref()),
        "expected a number with an optional unit",
        Some(
            "write a number and one of the units us, ms, s, min, h, d, e.g. \"5s\" or \"15min\""
                .into(),
        ),
    ))
}

/// A whole number in `min..=u32::MAX` (a batch size, a pause).
fn count(
    source: &Source,
    value: Option<Spanned<i64>>,
    key: &str,
    min: i64,
    default: u32,
) -> Result<u32, ConfigError> {
    let Some(value) = value else {
        return Ok(default);
    };
    let n = *value.get_ref();
    u32::try_from(n).ok().filter(|_| n >= min).ok_or_else(|| {
        invalid(
            source,
            value.span(),
            format!(
                "`{key}` is {n}: it must be a whole number from {min} to {}",
                u32::MAX
            ),
            "out of range",
            Some(format!("the default is {default}")),
        )
    })
}

fn is_duration(text: &str) -> bool {
    let number_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(number_end);
    let number_ok = !number.is_empty()
        && number.chars().filter(|&c| c == '.').count() <= 1
        && number.chars().any(|c| c.is_ascii_digit());
    number_ok && ["", "us", "ms", "s", "min", "h", "d"].contains(&unit.trim())
}

/// A label and a hint for serde's messages.
fn toml_help(message: &str) -> (&'static str, Option<String>) {
    if message.contains("unknown field") {
        (
            "unknown key",
            Some("remove the key or fix its spelling".into()),
        )
    } else if message.contains("missing field `schemas`") {
        (
            "`schemas` is missing",
            Some("add the schemas trr-schema manages, e.g. `schemas = [\"core\"]`".into()),
        )
    } else if message.contains("invalid type") {
        (
            "wrong type",
            Some("`schemas` is a list of strings; directories and timeouts are strings; backfill_batch_size and backfill_pause_ms are whole numbers".into()),
        )
    } else {
        ("here", None)
    }
}

fn invalid(
    source: &Source,
    span: Range<usize>,
    message: String,
    label: &str,
    help: Option<String>,
) -> ConfigError {
    let (line, column) = source.line_col(span.start);
    ConfigError::Invalid(Box::new(InvalidConfig {
        path: source.path.clone(),
        line,
        column,
        message,
        src: NamedSource::new(source.path.display().to_string(), source.text.clone()),
        span: (span.start, span.end.saturating_sub(span.start)).into(),
        label: label.to_string(),
        help,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(
            Path::new("proj"),
            &Source::new("proj/trr-schema.toml", text),
        )
    }

    fn error(text: &str) -> (usize, usize, String, Option<String>) {
        match parse(text).unwrap_err() {
            ConfigError::Invalid(e) => (e.line, e.column, e.message, e.help),
            other => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        let config =
            parse("schemas = [\"core\", \"Audit\", \"\\\"Media\\\"\", \"core\"]\n").unwrap();
        assert_eq!(
            config,
            Config {
                root: "proj".into(),
                schemas: vec![Ident::new("core"), Ident::new("audit"), Ident::new("Media")],
                schema_dir: "proj/schema".into(),
                migrations_dir: "proj/supabase/migrations".into(),
                rollbacks_dir: "proj/supabase/rollbacks".into(),
                lock_timeout: "5s".into(),
                statement_timeout: "15min".into(),
                backfill_batch_size: 5000,
                backfill_pause_ms: 100,
                checkpoint_dir: "proj/supabase/trr-schema/checkpoints".into(),
                shadow_database_url: None,
            }
        );
        let options = config.plan_options();
        assert_eq!(options.managed_schemas.len(), 3);
        assert_eq!(options.lock_timeout, "5s");
        assert_eq!(options.statement_timeout, "15min");
    }

    #[test]
    fn every_key() {
        let config = parse(
            "schemas = [\"core\"]\nschema_dir = \"kdl\"\nmigrations_dir = \"db/migrations\"\n\
             rollbacks_dir = \"db/down\"\nlock_timeout = \"250ms\"\nstatement_timeout = \"1h\"\n\
             checkpoint_dir = \"db/checkpoints\"\nshadow_database_url = \" postgres://h/db \"\n",
        )
        .unwrap();
        assert_eq!(config.checkpoint_dir, Path::new("proj/db/checkpoints"));
        assert_eq!(
            config.shadow_database_url.as_deref(),
            Some("postgres://h/db")
        );
        assert_eq!(config.schema_dir, Path::new("proj/kdl"));
        assert_eq!(config.migrations_dir, Path::new("proj/db/migrations"));
        assert_eq!(config.rollbacks_dir, Path::new("proj/db/down"));
        assert_eq!(config.lock_timeout, "250ms");
        assert_eq!(config.statement_timeout, "1h");
    }

    #[test]
    fn unknown_key_points_at_it() {
        let (line, column, message, help) = error("schemas = [\"core\"]\nmigration_dir = \"x\"\n");
        assert_eq!((line, column), (2, 1));
        assert!(
            message.contains("unknown field `migration_dir`"),
            "{message}"
        );
        assert!(message.contains("`migrations_dir`"), "{message}");
        assert!(help.is_some());
    }

    #[test]
    fn missing_and_empty_schemas() {
        let (_, _, message, help) = error("schema_dir = \"schema\"\n");
        assert!(message.contains("missing field `schemas`"), "{message}");
        assert!(help.unwrap().contains("schemas = [\"core\"]"));

        let (line, column, message, _) = error("\nschemas = []\n");
        assert_eq!((line, column), (2, 11));
        assert_eq!(message, "`schemas` must list at least one schema");

        let (line, column, message, _) = error("schemas = [\"core\", \" \"]\n");
        assert_eq!((line, column), (1, 20));
        assert_eq!(message, "a schema name is empty");
    }

    #[test]
    fn wrong_types_and_bad_timeouts() {
        let (line, _, message, help) = error("schemas = \"core\"\n");
        assert_eq!(line, 1);
        assert!(message.contains("invalid type"), "{message}");
        assert!(help.is_some());

        let (line, column, message, _) =
            error("schemas = [\"core\"]\nlock_timeout = \"5 seconds; drop table x\"\n");
        assert_eq!((line, column), (2, 16));
        assert!(
            message.contains("is not a PostgreSQL duration"),
            "{message}"
        );
    }

    #[test]
    fn backfill_batches_are_counted_from_their_minimum() {
        let config =
            parse("schemas = [\"core\"]\nbackfill_batch_size = 250\nbackfill_pause_ms = 0\n")
                .unwrap();
        assert_eq!(
            (config.backfill_batch_size, config.backfill_pause_ms),
            (250, 0)
        );
        let options = config.plan_options();
        assert_eq!(
            (options.backfill_batch_size, options.backfill_pause_ms),
            (250, 0)
        );

        for (text, at) in [
            ("schemas = [\"core\"]\nbackfill_batch_size = 0\n", (2, 23)),
            ("schemas = [\"core\"]\nbackfill_pause_ms = -5\n", (2, 21)),
            (
                "schemas = [\"core\"]\nbackfill_batch_size = 99999999999\n",
                (2, 23),
            ),
        ] {
            let (line, column, message, help) = error(text);
            assert_eq!((line, column), at, "{text}");
            assert!(message.contains("must be a whole number from"), "{message}");
            assert!(help.unwrap().starts_with("the default is"));
        }
    }

    #[test]
    fn provided_schemas_are_not_managed() {
        for (text, at) in [
            ("schemas = [\"core\", \"auth\"]\n", (1, 20)),
            ("schemas = [\n  \"core\",\n  \"Storage\",\n]\n", (3, 3)),
            ("schemas = [\"pg_catalog\"]\n", (1, 12)),
        ] {
            let (line, column, message, help) = error(text);
            assert_eq!((line, column), at, "{text}");
            assert!(message.contains("is provided by"), "{message}");
            assert!(help.unwrap().contains("remove it from `schemas`"));
        }
        // `public` is provided too, but projects keep tables there; a quoted
        // `"Auth"` is a different schema.
        assert!(parse("schemas = [\"core\", \"public\", \"\\\"Auth\\\"\"]\n").is_ok());
    }

    /// The whole diagnostic as the CLI prints it (fixed theme and width: the
    /// binary's depend on the terminal).
    #[test]
    fn provided_schema_report() {
        let ConfigError::Invalid(error) =
            parse("# managed schemas\nschemas = [\"core\", \"auth\"]\n").unwrap_err()
        else {
            panic!("expected an invalid config");
        };
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(100)
            .render_report(&mut out, error.as_ref())
            .unwrap();
        insta::assert_snapshot!(out);
    }

    #[test]
    fn shadow_url_flag_then_env_then_file() {
        let (line, column, message, _) =
            error("schemas = [\"core\"]\nshadow_database_url = \"\"\n");
        assert_eq!((line, column), (2, 23));
        assert_eq!(message, "`shadow_database_url` is empty");

        assert_eq!(
            pick_shadow_url(Some("f"), Some("e"), Some("c")).as_deref(),
            Some("f")
        );
        assert_eq!(
            pick_shadow_url(None, Some("e"), Some("c")).as_deref(),
            Some("e")
        );
        assert_eq!(
            pick_shadow_url(None, Some(" "), Some("c")).as_deref(),
            Some("c")
        );
        assert_eq!(pick_shadow_url(None, None, None), None);
    }

    #[test]
    fn durations() {
        for ok in ["5s", "250ms", "15min", "1h", "2d", "100", "1.5s", "10 s"] {
            assert!(is_duration(ok), "{ok}");
        }
        for bad in ["", "s", "5sec", "1..5s", "5s'", "-1s", ".s"] {
            assert!(!is_duration(bad), "{bad}");
        }
    }

    #[test]
    fn finds_the_root_upward() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b");
        std::fs::create_dir_all(&nested).unwrap();
        assert!(matches!(
            find_root(&nested),
            Err(ConfigError::NotFound { .. })
        ));
        std::fs::write(dir.path().join(FILE_NAME), "schemas = [\"core\"]\n").unwrap();
        assert_eq!(find_root(&nested).unwrap(), dir.path());
        assert_eq!(
            Config::load(dir.path()).unwrap().schemas,
            vec![Ident::new("core")]
        );
    }

    #[test]
    fn missing_file_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let error = Config::load(dir.path()).unwrap_err();
        assert!(matches!(error, ConfigError::Io { .. }));
        assert!(error.to_string().contains("trr-schema.toml"));
    }
}
