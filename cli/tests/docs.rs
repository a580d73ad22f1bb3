//! `trr-schema docs` and `trr-schema erd` on temporary copies of `examples/`.

mod support;

use support::*;

#[test]
fn docs_check_passes_on_the_committed_docs_and_fails_after_an_edit() {
    let project = project();
    let out = run(project.path(), &["docs", "--check"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("is up to date"), "{}", stdout(&out));

    // A KDL edit the docs do not have yet.
    let kdl = project.path().join("schema/shows.kdl");
    let text = std::fs::read_to_string(&kdl).unwrap();
    let edited = text.replacen(
        "column summary text",
        "column tagline text nullable=#true\n    column summary text",
        1,
    );
    assert_ne!(edited, text, "schema/shows.kdl declares core.shows.summary");
    std::fs::write(&kdl, edited).unwrap();

    let before = tree(&project.path().join("supabase/schema_docs"));
    let out = run(project.path(), &["docs", "--check"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let diff = stdout(&out);
    assert!(
        diff.contains("--- a/core.shows.json")
            && diff.contains("+++ b/core.shows.json (generated)"),
        "{diff}"
    );
    assert!(diff.contains("+| tagline | text | YES |"), "{diff}");
    assert!(
        stderr(&out).contains("run `trr-schema docs`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        tree(&project.path().join("supabase/schema_docs")),
        before,
        "--check writes nothing"
    );

    let out = run(project.path(), &["docs"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).contains("core.shows.md"), "{}", stdout(&out));
    let out = run(project.path(), &["docs", "--check"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

/// Separate processes get separate hash seeds: hash order reaching the
/// files would show here.
#[test]
fn docs_are_byte_identical_across_runs() {
    let project = project();
    let out = run(project.path(), &["docs", "--out", "fresh"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let first = tree(&project.path().join("fresh"));
    assert_eq!(
        first.len(),
        17,
        "INDEX.md and two files for each of 8 tables"
    );
    std::fs::remove_dir_all(project.path().join("fresh")).unwrap();
    run(project.path(), &["docs", "--out", "fresh"]);
    assert_eq!(tree(&project.path().join("fresh")), first);
}

#[test]
fn erd_prints_mermaid_and_dot() {
    let project = project();
    let out = run(project.path(), &["erd"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("erDiagram\n"), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("core_orgs ||--o{ core_shows : \"org_id\""),
        "{}",
        stdout(&out)
    );

    let out = run(
        project.path(),
        &["erd", "--format", "dot", "--schema", "core"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("digraph erd {"),
        "{}",
        stdout(&out)
    );

    let out = run(project.path(), &["erd", "--schema", "nope"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`nope` is not a managed schema"),
        "{}",
        stderr(&out)
    );

    let out = run(project.path(), &["erd", "--out", "erd.mmd"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written = std::fs::read_to_string(project.path().join("erd.mmd")).unwrap();
    assert!(written.starts_with("erDiagram\n"));
}

/// An image needs Graphviz: rendered when `dot` is installed, a clear
/// error when it is not.
#[test]
fn erd_image_needs_graphviz() {
    let project = project();
    let out = run(
        project.path(),
        &["erd", "--format", "dot", "--out", "erd.svg"],
    );
    let has_dot = std::process::Command::new("dot").arg("-V").output().is_ok();
    if has_dot {
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let svg = std::fs::read_to_string(project.path().join("erd.svg")).unwrap();
        assert!(svg.contains("<svg"), "{svg}");
    } else {
        assert_eq!(code(&out), 1);
        assert!(
            stderr(&out).contains("Graphviz `dot` is not installed"),
            "{}",
            stderr(&out)
        );
        assert!(!project.path().join("erd.svg").exists());
    }

    let out = run(project.path(), &["erd", "--out", "erd.png"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("add `--format dot`"),
        "{}",
        stderr(&out)
    );
}

/// The pull-request comment: a row per phase and a diagram of the changed
/// tables, drawn from the declared schema.
#[test]
fn plan_markdown_has_phase_rows_and_a_diagram_of_the_changed_tables() {
    let project = project();
    let out = run(project.path(), &["plan", "--format", "markdown"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    for phase in ["expand", "backfill", "dual_write", "cutover", "contract"] {
        assert!(md.contains(&format!("\n| {phase} | ")), "{phase}: {md}");
    }
    assert!(md.contains("#### Tables changed"), "{md}");
    assert!(md.contains("```mermaid\nerDiagram\n"), "{md}");
    assert!(md.contains("core_ratings[\"core.ratings\"]"), "{md}");
}
