//! Rendered plans must be accepted by a real PostgreSQL: each scenario's
//! current Catalog is built from an empty database with our own plan, then
//! the scenario's plan runs, then its rollback files in reverse order, then
//! (when nothing is irreversible) the plan again.

#[path = "plan_catalogs.rs"]
mod catalogs;

use catalogs::*;
use engine::plan::{Plan, PlanOptions, Rollback, plan};
use postgres::{Client, NoTls};
use schema::{Catalog, Ident};

const ADMIN: &str = "host=127.0.0.1 user=postgres dbname=postgres connect_timeout=5";

fn admin() -> Option<Client> {
    match Client::connect(ADMIN, NoTls) {
        Ok(c) => Some(c),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but PostgreSQL is not reachable at 127.0.0.1:5432: {e}")
        }
        Err(e) => {
            eprintln!("skipping: PostgreSQL is not reachable at 127.0.0.1:5432 ({e})");
            None
        }
    }
}

/// A scratch database dropped when the test ends, even on failure.
struct Scratch {
    admin: Client,
    name: String,
    client: Client,
}

impl Scratch {
    fn new(mut admin: Client, label: &str) -> Scratch {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        let name = format!("trr_plan_{label}_{}_{nanos}", std::process::id());
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create scratch database");
        let client = Client::connect(
            &format!("host=127.0.0.1 user=postgres dbname={name}"),
            NoTls,
        )
        .expect("connect");
        Scratch {
            admin,
            name,
            client,
        }
    }

    /// Runs a plan file as psql would: transactional files in one go, the
    /// others statement by statement (CONCURRENTLY refuses a transaction,
    /// including the implicit one of a multi-statement query).
    fn run(&mut self, what: &str, sql: &str, transactional: bool) {
        let result = if transactional {
            self.client.batch_execute(sql)
        } else {
            let mut statement = String::new();
            let mut result = Ok(());
            for line in sql.lines().filter(|l| !l.starts_with("--")) {
                statement.push_str(line);
                statement.push('\n');
                if line.trim_end().ends_with(';') {
                    result = self.client.batch_execute(&statement);
                    if result.is_err() {
                        break;
                    }
                    statement.clear();
                }
            }
            result
        };
        if let Err(e) = result {
            let detail = e
                .as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_default();
            panic!("PostgreSQL rejected {what}: {e} {detail}\n{sql}");
        }
    }

    fn apply(&mut self, label: &str, plan: &Plan) {
        for file in &plan.files {
            self.run(
                &format!("{label} {}", file.slug),
                &file.sql,
                file.transactional,
            );
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self.admin.batch_execute(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ));
    }
}

fn check(label: &str, current: Catalog, desired: Catalog, managed: Vec<Ident>) {
    let Some(admin) = admin() else { return };
    let mut db = Scratch::new(admin, label);
    let options = PlanOptions {
        managed_schemas: managed,
        ..options()
    };
    let setup = plan(&Catalog::default(), &current, &options);
    assert!(setup.unsupported.is_empty());
    db.apply("setup", &setup);
    let forward = plan(&current, &desired, &options);
    db.apply("plan", &forward);
    // Rollback files always run (irreversible steps are left out of them);
    // a plan whose every step has rollback SQL (lossy ones included: the
    // scratch tables hold no rows) can be applied again afterwards.
    for file in forward.files.iter().rev() {
        db.run(
            &format!("rollback of {}", file.slug),
            &file.rollback_sql,
            file.transactional,
        );
    }
    if forward
        .steps()
        .all(|s| !matches!(s.rollback, Rollback::Irreversible { .. }))
    {
        db.apply("plan after rollback", &forward);
    }
}

#[test]
fn postgres_accepts_new_tables() {
    let (c, d) = new_tables();
    check("new", c, d, managed());
}

#[test]
fn postgres_accepts_fk_cycle_and_self_reference() {
    let (c, d) = fk_cycle();
    check("cycle", c, d, managed());
    let (c, d) = self_reference();
    check("selfref", c, d, managed());
}

#[test]
fn postgres_accepts_changes_to_existing_tables() {
    let (c, d) = add_to_existing();
    check("existing", c, d, managed());
}

#[test]
fn postgres_accepts_drops() {
    let (c, d) = drops();
    check("drops", c, d, drops_managed());
}

#[test]
fn postgres_accepts_type_changes() {
    let (c, d) = type_change();
    check("types", c, d, managed());
}

#[test]
fn postgres_accepts_enum_changes() {
    let (c, d) = enum_value_added();
    check("enum_add", c, d, managed());
    let (c, d) = enum_removal();
    check("enum_remove", c, d, managed());
}

#[test]
fn postgres_accepts_quoted_identifiers_and_comments() {
    let (c, d) = quoted();
    check("quoted", c, d, managed());
    let (c, d) = comments();
    check("comments", c, d, managed());
}

#[test]
fn postgres_accepts_replacements() {
    let (c, d) = replacements();
    let mut managed = managed();
    managed.push(schema::Ident::new("extensions"));
    check("replace", c, d, managed);
}

#[test]
fn postgres_accepts_fk_waiting_for_concurrent_index() {
    let (c, d) = fk_to_new_unique_index();
    check("fk_index", c, d, managed());
}
