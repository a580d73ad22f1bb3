//! A realistic set of files loads into the expected Catalog.

use schema::Source;
use schema::lang::{load_dir, load_sources};
use std::path::Path;

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realistic")
}

/// The Catalog as JSON, maps flattened to their values (JSON keys must be
/// strings; every value carries its own name).
fn pretty(catalog: &schema::Catalog) -> String {
    let view = serde_json::json!({
        "schemas": catalog.schemas.values().collect::<Vec<_>>(),
        "extensions": catalog.extensions.values().collect::<Vec<_>>(),
        "enums": catalog.enums.values().collect::<Vec<_>>(),
        "tables": catalog.tables.values().map(|t| serde_json::json!({
            "name": t.name.to_string(),
            "comment": t.comment,
            "columns": t.columns,
            "primary_key": t.primary_key,
            "constraints": t.constraints.values().collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "indexes": catalog.indexes.values().collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&view).unwrap()
}

#[test]
fn realistic_files_load() {
    let catalog = load_dir(&fixture_dir()).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!(pretty(&catalog));
}

#[test]
fn file_order_does_not_matter() {
    let mut sources = Source::read_dir(&fixture_dir(), "kdl").unwrap();
    let forward = load_sources(&sources).unwrap();
    sources.reverse();
    assert_eq!(load_sources(&sources).unwrap(), forward);
}

#[test]
fn missing_directory_is_an_error() {
    let err = load_dir(Path::new("/nonexistent/trr/schema")).unwrap_err();
    assert!(
        err.to_string().contains("cannot read the schema directory"),
        "{err}"
    );
}

/// The security surface as loaded: functions, policies, triggers, views,
/// RLS flags and every privilege, as JSON.
#[test]
fn security_files_load() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/security");
    let c = load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let view = serde_json::json!({
        "rls": c.tables.values().map(|t| (t.name.to_string(), t.rls_enabled, t.rls_forced)).collect::<Vec<_>>(),
        "columns": c.tables.values().map(|t| (t.name.to_string(), t.columns.iter().map(|c| c.name.to_string()).collect::<Vec<_>>())).collect::<Vec<_>>(),
        "functions": c.functions.values().collect::<Vec<_>>(),
        "policies": c.policies.values().collect::<Vec<_>>(),
        "triggers": c.triggers.values().collect::<Vec<_>>(),
        "views": c.views.values().collect::<Vec<_>>(),
        "grants": c.grants.iter().map(|g| format!("{} {} TO {}{}", g.privilege.sql(), g.on, g.grantee, if g.grantable { " WITH GRANT OPTION" } else { "" })).collect::<Vec<_>>(),
        "default_privileges": c.default_privileges,
    });
    insta::assert_snapshot!(serde_json::to_string_pretty(&view).unwrap());
}
