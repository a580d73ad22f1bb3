//! Scratch databases for tests and shadow replays: created with a unique
//! name, dropped when done.
//!
//! For tests the server comes from `TRR_DATABASE_URL` (a libpq URL or
//! `key=value` string), else `host=127.0.0.1 port=5432 user=postgres`. When
//! it cannot be reached, [`ScratchDb::create`] returns `Ok(None)` so that
//! tests can skip — except under CI (`CI=true` or `CI=1`), where a missing
//! server is an error: a green CI run must mean the database tests really
//! ran. Shadow replays name their server ([`ScratchDb::create_on`]), and an
//! unreachable one is always an error.

use crate::replay::split::split_statements;
use postgres::{Client, NoTls};
use schema::Source;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The server used when `TRR_DATABASE_URL` is not set.
pub const DEFAULT_SERVER: &str = "host=127.0.0.1 port=5432 user=postgres";

/// The environment variable naming the server scratch databases live on.
pub const SERVER_ENV: &str = "TRR_DATABASE_URL";

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ScratchError {
    #[error("no PostgreSQL at {server}: {}", describe(source))]
    #[diagnostic(help(
        "check that PostgreSQL runs there and accepts connections (tests use {SERVER_ENV} and skip outside CI when no server answers)"
    ))]
    Unreachable {
        server: String,
        #[source]
        source: postgres::Error,
    },
    #[error("`{server}` is not a valid connection string: {}", describe(source))]
    BadServer {
        server: String,
        #[source]
        source: postgres::Error,
    },
    #[error("could not {action} scratch database `{name}`: {}", describe(source))]
    Database {
        action: &'static str,
        name: String,
        #[source]
        source: postgres::Error,
    },
    #[error(transparent)]
    #[diagnostic(transparent)]
    Statement(#[from] StatementError),
}

/// One statement of a SQL file that the server rejected.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{file}:{line}:{column}: {message}\n  statement: {statement}")]
pub struct StatementError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// The server's message, with DETAIL and HINT when it sent them.
    pub message: String,
    pub statement: String,
}

/// A database of its own on the scratch server, dropped (with `FORCE`, so
/// leftover sessions do not keep it alive) when this value is dropped.
pub struct ScratchDb {
    name: String,
    url: String,
    server: postgres::Config,
    client: Option<Client>,
}

impl std::fmt::Debug for ScratchDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScratchDb")
            .field("name", &self.name)
            .field("url", &self.url)
            .finish()
    }
}

/// The server connection string in use (for messages such as "skipped: no
/// PostgreSQL at …").
pub fn server_url() -> String {
    std::env::var(SERVER_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_SERVER.to_string())
}

/// Whether we run under CI, where skipping database tests is not allowed.
pub fn in_ci() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1"))
}

impl ScratchDb {
    /// For tests: a fresh database, or `None` after printing why the test
    /// skips (no server, outside CI). Any other failure — including no server
    /// under `CI=true` — panics, so CI never passes by skipping.
    pub fn for_test(prefix: &str) -> Option<ScratchDb> {
        match ScratchDb::create(prefix) {
            Ok(Some(db)) => Some(db),
            Ok(None) => {
                eprintln!(
                    "skipped: no PostgreSQL at {} (set CI=true to make this a failure)",
                    server_url()
                );
                None
            }
            Err(e) => panic!("{e}"),
        }
    }

    /// Creates a fresh, empty database named `<prefix>_<pid>_<counter>_<nanos>`
    /// on the server of [`server_url`]. `Ok(None)` when the server is
    /// unreachable outside CI.
    pub fn create(prefix: &str) -> Result<Option<ScratchDb>, ScratchError> {
        match ScratchDb::create_on(&server_url(), prefix) {
            Ok(db) => Ok(Some(db)),
            Err(ScratchError::Unreachable { .. }) if !in_ci() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates a fresh, empty database on the server `server` names (a libpq
    /// URL or `key=value` string; its own database name is only used to
    /// connect for `CREATE DATABASE`). An unreachable server is an error.
    pub fn create_on(server: &str, prefix: &str) -> Result<ScratchDb, ScratchError> {
        let mut config: postgres::Config =
            server.parse().map_err(|source| ScratchError::BadServer {
                server: redact(server),
                source,
            })?;
        // A host that drops packets would otherwise hang the command.
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(15));
        }
        let mut admin = config
            .connect(NoTls)
            .map_err(|source| ScratchError::Unreachable {
                server: redact(server),
                source,
            })?;
        let name = unique_name(prefix);
        admin
            .batch_execute(&format!(
                "CREATE DATABASE {}",
                schema::ident::quote_ident(&name)
            ))
            .map_err(|source| ScratchError::Database {
                action: "create",
                name: name.clone(),
                source,
            })?;
        drop(admin);
        // From here on, dropping `db` (also on the error path below) drops the database.
        let mut db = ScratchDb {
            url: with_dbname(server, &name),
            name,
            server: config,
            client: None,
        };
        let mut own = db.server.clone();
        own.dbname(&db.name);
        db.client = Some(
            own.connect(NoTls)
                .map_err(|source| ScratchError::Database {
                    action: "connect to",
                    name: db.name.clone(),
                    source,
                })?,
        );
        Ok(db)
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// A connection string for this database, in the same form as the server's.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn client(&mut self) -> &mut Client {
        self.client.as_mut().expect("the client lives until drop")
    }

    /// Installs the Supabase stand-in ([`crate::standin`]) into this database.
    pub fn install_standin(&mut self) -> Result<(), StatementError> {
        crate::standin::install_if_absent(self.client())
            .map(|_| ())
            .map_err(|e| StatementError {
                file: "engine/sql/supabase_standin.sql".into(),
                line: 1,
                column: 1,
                message: describe(&e),
                statement: String::new(),
            })
    }

    /// Runs a SQL file statement by statement (see [`run_statements`]).
    pub fn run_source(&mut self, source: &Source) -> Result<(), StatementError> {
        run_statements(self.client(), source)
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        // Our own session must end before the database can go; FORCE ends any other.
        drop(self.client.take());
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            schema::ident::quote_ident(&self.name)
        );
        match self
            .server
            .connect(NoTls)
            .and_then(|mut admin| admin.batch_execute(&sql))
        {
            Ok(()) => {}
            Err(e) => eprintln!(
                "warning: could not drop scratch database `{}`: {}",
                self.name,
                describe(&e)
            ),
        }
    }
}

/// Runs the statements of a SQL file one at a time, in order, on `client`.
///
/// One at a time because `CREATE INDEX CONCURRENTLY` (and `ALTER TYPE … ADD
/// VALUE` before its value is used) cannot run inside the implicit
/// transaction PostgreSQL wraps around a multi-statement query string.
/// Explicit `BEGIN;` … `COMMIT;` in the file still work: they are ordinary
/// statements on the same session. A failure names the file, line and
/// column of the statement and leaves any open transaction rolled back.
pub fn run_statements(client: &mut Client, source: &Source) -> Result<(), StatementError> {
    for statement in split_statements(&source.text) {
        if let Err(e) = client.batch_execute(&statement.text) {
            let (line, column) = source.line_col(statement.offset);
            // Leave the session usable for the caller (e.g. for introspection).
            let _ = client.batch_execute("ROLLBACK");
            return Err(StatementError {
                file: source.path.display().to_string(),
                line,
                column,
                message: describe(&e),
                statement: statement.text.trim().to_string(),
            });
        }
    }
    Ok(())
}

/// The server's own words for an error: message, DETAIL and HINT; for a
/// client-side error, its message and causes ("error connecting to server:
/// Connection refused").
pub fn describe(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {}", db.severity(), db.message());
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" (DETAIL: {detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!(" (HINT: {hint})"));
            }
            text
        }
        None => {
            let mut text = error.to_string();
            let mut cause = std::error::Error::source(error);
            while let Some(c) = cause {
                text.push_str(&format!(": {c}"));
                cause = c.source();
            }
            text
        }
    }
}

/// A connection string with its password masked, for messages.
pub fn redact(server: &str) -> String {
    let server = server.trim();
    for scheme in ["postgres://", "postgresql://"] {
        if let Some(rest) = server.strip_prefix(scheme)
            && let Some((userinfo, host)) = rest.split_once('@')
            && let Some((user, _password)) = userinfo.split_once(':')
        {
            return format!("{scheme}{user}:***@{host}");
        }
    }
    server
        .split_whitespace()
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `<prefix>_<pid>_<counter>_<nanos>`, lower case and at most 63 bytes: the
/// pid separates test processes, the counter threads of one process, and the
/// clock separates runs that reuse a pid.
fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let prefix: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(24)
        .collect();
    let prefix = if prefix.is_empty() {
        "trr".to_string()
    } else {
        prefix
    };
    format!(
        "{prefix}_{}_{n}_{}",
        std::process::id(),
        nanos % 1_000_000_000_000
    )
}

/// The server's connection string pointed at database `name`.
fn with_dbname(server: &str, name: &str) -> String {
    let server = server.trim();
    for scheme in ["postgres://", "postgresql://"] {
        if let Some(rest) = server.strip_prefix(scheme) {
            let (main, query) = match rest.split_once('?') {
                Some((main, query)) => (main, Some(query)),
                None => (rest, None),
            };
            let authority = main.split_once('/').map_or(main, |(a, _)| a);
            let mut url = format!("{scheme}{authority}/{name}");
            if let Some(query) = query {
                url.push('?');
                url.push_str(query);
            }
            return url;
        }
    }
    // key=value form: a later key overrides an earlier one.
    format!("{server} dbname={name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_valid() {
        let a = unique_name("Round Trip!");
        let b = unique_name("Round Trip!");
        assert_ne!(a, b);
        assert!(a.starts_with("round_trip__"), "{a}");
        assert!(a.len() <= 63, "{a}");
        assert_eq!(schema::ident::quote_ident(&a), a);
    }

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgresql://u@h/db"), "postgresql://u@h/db");
        assert_eq!(
            redact("host=h password=secret user=u"),
            "host=h password=*** user=u"
        );
        assert_eq!(redact(DEFAULT_SERVER), DEFAULT_SERVER);
    }

    #[test]
    fn urls_point_at_the_new_database() {
        assert_eq!(
            with_dbname("postgres://u:p@h:5432/postgres?sslmode=disable", "x"),
            "postgres://u:p@h:5432/x?sslmode=disable"
        );
        assert_eq!(with_dbname("postgresql://h", "x"), "postgresql://h/x");
        assert_eq!(
            with_dbname(DEFAULT_SERVER, "x"),
            format!("{DEFAULT_SERVER} dbname=x")
        );
        let config: postgres::Config = with_dbname(DEFAULT_SERVER, "x").parse().unwrap();
        assert_eq!(config.get_dbname(), Some("x"));
    }

    #[test]
    fn standin_provides_what_policies_call() {
        let Some(mut db) = ScratchDb::for_test("trr_standin_test") else {
            return;
        };
        db.install_standin().unwrap();
        // Installing again leaves the database as it is (a real `auth` schema is never replaced).
        assert!(!crate::standin::install_if_absent(db.client()).unwrap());
        let row = db
            .client()
            .query_one(
                "SELECT set_config('request.jwt.claims', \
                 '{\"sub\":\"00000000-0000-0000-0000-00000000000a\",\"role\":\"authenticated\"}', false), \
                 auth.uid()::text, auth.role(), auth.jwt() ->> 'role', \
                 storage.foldername('org/show/poster.png')::text",
                &[],
            )
            .unwrap();
        assert_eq!(
            row.get::<_, String>(1),
            "00000000-0000-0000-0000-00000000000a"
        );
        assert_eq!(row.get::<_, String>(2), "authenticated");
        assert_eq!(row.get::<_, String>(3), "authenticated");
        assert_eq!(row.get::<_, String>(4), "{org,show}");
        let roles: i64 = db
            .client()
            .query_one(
                "SELECT count(*) FROM pg_roles WHERE rolname IN \
                 ('anon', 'authenticated', 'service_role', 'authenticator')",
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(roles, 4);
    }

    #[test]
    fn runs_files_statement_by_statement() {
        let Some(mut db) = ScratchDb::create("trr_scratch_test").unwrap() else {
            eprintln!("skipped: no PostgreSQL at {}", server_url());
            return;
        };
        let file = Source::new(
            "m.sql",
            "CREATE TABLE t (a int);\nBEGIN;\nINSERT INTO t VALUES (1);\nCOMMIT;\n\
             CREATE INDEX CONCURRENTLY t_a ON t (a);\n",
        );
        db.run_source(&file).unwrap();
        let row = db
            .client()
            .query_one("SELECT count(*) FROM t", &[])
            .unwrap();
        assert_eq!(row.get::<_, i64>(0), 1);

        let bad = Source::new(
            "bad.sql",
            "SELECT 1;\n\nBEGIN;\n  CREATE TABLE u (a nosuchtype);\nCOMMIT;\n",
        );
        let err = db.run_source(&bad).unwrap_err();
        assert_eq!((err.file.as_str(), err.line, err.column), ("bad.sql", 4, 3));
        assert!(
            err.message.contains("\"nosuchtype\" does not exist"),
            "{err}"
        );
        assert_eq!(err.statement, "CREATE TABLE u (a nosuchtype)");
        // The failed transaction was rolled back; the session goes on.
        db.client().batch_execute("CREATE TABLE u (a int)").unwrap();
    }

    #[test]
    fn scratch_database_lives_until_drop() {
        let Some(mut db) = ScratchDb::create("trr_scratch_test").unwrap() else {
            eprintln!("skipped: no PostgreSQL at {}", server_url());
            return;
        };
        let name = db.name().to_string();
        let row = db
            .client()
            .query_one("SELECT current_database()", &[])
            .unwrap();
        assert_eq!(row.get::<_, String>(0), name);
        // A second session (as a test might leave behind) must not block the drop.
        let mut other: postgres::Config = db.url().parse().unwrap();
        let _other = other
            .connect_timeout(std::time::Duration::from_secs(5))
            .connect(NoTls)
            .unwrap();
        drop(db);
        let mut admin: postgres::Config = server_url().parse().unwrap();
        let mut admin = admin.dbname("postgres").connect(NoTls).unwrap();
        let left = admin
            .query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
            .unwrap();
        assert!(left.is_empty(), "scratch database {name} was not dropped");
    }
}
