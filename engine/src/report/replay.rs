//! The report of `trr-schema replay`: what the migrations add up to (a
//! summary of the replayed Catalog), where the replay started, every
//! statement it did not follow, and — with a shadow database — where it
//! disagrees with PostgreSQL. Text for people, JSON for tools (documented
//! in `docs/replay-json.md`).

use crate::checkpoint::Ignored;
use crate::replay::UsedCheckpoint;
use crate::replay::{Note, ProjectReplay, Severity};
use crate::shadow::ShadowCheck;
use schema::Catalog;
use serde::Serialize;
use std::fmt::Write;

/// The JSON format version; changes only with an incompatible change.
pub const VERSION: u32 = 1;

/// Said when the shadow comparison finds nothing.
pub const AGREE: &str = "offline replay and PostgreSQL agree";

/// Everything the report shows.
pub struct ReplayReport<'a> {
    pub project: &'a ProjectReplay,
    pub shadow: Option<&'a ShadowCheck>,
    /// List Info notes too (text only; JSON always lists every note).
    pub verbose: bool,
}

/// "replay started from checkpoint X (N files)".
pub fn started_from(used: &UsedCheckpoint) -> String {
    format!(
        "replay started from checkpoint {} ({} file{})",
        used.path.display(),
        used.files,
        plural(used.files)
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Notes counted by severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NoteCounts {
    pub error: usize,
    pub warning: usize,
    pub notice: usize,
    pub info: usize,
}

impl NoteCounts {
    pub fn of(notes: &[Note]) -> NoteCounts {
        let mut counts = NoteCounts::default();
        for note in notes {
            match note.severity {
                Severity::Error => counts.error += 1,
                Severity::Warning => counts.warning += 1,
                Severity::Notice => counts.notice += 1,
                Severity::Info => counts.info += 1,
            }
        }
        counts
    }
}

#[derive(Serialize)]
struct Summary {
    /// Migration files in the history.
    files: usize,
    /// Files replayed offline (after the checkpoint, if one was used).
    replayed_files: usize,
    schemas: Vec<String>,
    extensions: Vec<ExtensionSummary>,
    enums: Vec<EnumSummary>,
    tables: Vec<TableSummary>,
    /// Views and materialized views.
    views: Vec<ViewSummary>,
    /// Signatures: `core.is_member(uuid, text)`.
    functions: Vec<String>,
}

#[derive(Serialize)]
struct ViewSummary {
    name: String,
    materialized: bool,
}

#[derive(Serialize)]
struct ExtensionSummary {
    name: String,
    /// `null`: the default schema.
    schema: Option<String>,
}

#[derive(Serialize)]
struct EnumSummary {
    name: String,
    values: Vec<String>,
}

#[derive(Serialize)]
struct TableSummary {
    name: String,
    columns: usize,
    /// Primary key, unique, check and foreign-key constraints.
    constraints: usize,
    /// Indexes other than those behind a constraint.
    indexes: usize,
    /// Row-level security: `off`, `on` or `forced`.
    rls: &'static str,
    policies: usize,
    triggers: usize,
}

fn summary(report: &ReplayReport) -> Summary {
    let catalog: &Catalog = &report.project.replayed.catalog;
    let files = report.project.migrations.len();
    let skipped = report.project.checkpoint.as_ref().map_or(0, |c| c.files);
    Summary {
        files,
        replayed_files: files - skipped.min(files),
        schemas: catalog.schemas.keys().map(ToString::to_string).collect(),
        extensions: catalog
            .extensions
            .values()
            .map(|e| ExtensionSummary {
                name: e.name.to_string(),
                schema: e.schema.as_ref().map(ToString::to_string),
            })
            .collect(),
        enums: catalog
            .enums
            .values()
            .map(|e| EnumSummary {
                name: e.name.to_string(),
                values: e.values.clone(),
            })
            .collect(),
        tables: catalog
            .tables
            .values()
            .map(|t| TableSummary {
                name: t.name.to_string(),
                columns: t.columns.len(),
                constraints: t.constraints.len() + usize::from(t.primary_key.is_some()),
                indexes: catalog.indexes_on(&t.name).count(),
                rls: match (t.rls_enabled, t.rls_forced) {
                    (false, _) => "off",
                    (true, false) => "on",
                    (true, true) => "forced",
                },
                policies: catalog.policies_on(&t.name).count(),
                triggers: catalog.triggers_on(&t.name).count(),
            })
            .collect(),
        views: catalog
            .views
            .values()
            .map(|v| ViewSummary {
                name: v.name.to_string(),
                materialized: v.materialized,
            })
            .collect(),
        functions: catalog.functions.keys().map(ToString::to_string).collect(),
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    checkpoint: JsonCheckpoint<'a>,
    summary: Summary,
    notes: &'a [Note],
    counts: NoteCounts,
    shadow: Option<crate::shadow::ShadowSummary<'a>>,
}

#[derive(Serialize)]
struct JsonCheckpoint<'a> {
    /// The checkpoint the offline replay started from, or `null`.
    used: Option<&'a UsedCheckpoint>,
    /// Checkpoints found but stale or unreadable, and why.
    ignored: &'a [Ignored],
}

/// The report as pretty JSON, ending with a newline.
pub fn json(report: &ReplayReport) -> String {
    let project = report.project;
    let out = JsonReport {
        version: VERSION,
        checkpoint: JsonCheckpoint {
            used: project.checkpoint.as_ref(),
            ignored: &project.ignored,
        },
        summary: summary(report),
        notes: &project.replayed.notes,
        counts: NoteCounts::of(&project.replayed.notes),
        shadow: report.shadow.map(ShadowCheck::summary),
    };
    let mut text = serde_json::to_string_pretty(&out).expect("the report always serializes");
    text.push('\n');
    text
}

/// The report for a terminal.
pub fn text(report: &ReplayReport) -> String {
    let project = report.project;
    let s = summary(report);
    let mut out = String::new();

    let _ = write!(out, "Replay: {} migration file{}", s.files, plural(s.files));
    let _ = match &project.checkpoint {
        Some(used) if s.replayed_files == 0 => {
            writeln!(out, ", all from checkpoint {}", used.path.display())
        }
        Some(used) => writeln!(
            out,
            "; 1-{} from checkpoint {}, {} replayed offline",
            used.files,
            used.path.display(),
            if used.files + 1 == s.files {
                s.files.to_string()
            } else {
                format!("{}-{}", used.files + 1, s.files)
            }
        ),
        None => writeln!(out, ", all replayed offline (no checkpoint used)"),
    };
    for ignored in &project.ignored {
        let _ = writeln!(out, "warning: {ignored}");
    }

    let _ = writeln!(out, "\nSchemas ({})", s.schemas.len());
    for name in &s.schemas {
        let _ = writeln!(out, "  {name}");
    }
    let _ = writeln!(out, "\nExtensions ({})", s.extensions.len());
    for e in &s.extensions {
        match &e.schema {
            Some(schema) => writeln!(out, "  {} (in {schema})", e.name),
            None => writeln!(out, "  {}", e.name),
        }
        .ok();
    }
    let _ = writeln!(out, "\nEnums ({})", s.enums.len());
    for e in &s.enums {
        let _ = writeln!(out, "  {} ({})", e.name, e.values.join(", "));
    }
    let _ = writeln!(out, "\nTables ({})", s.tables.len());
    let width = s.tables.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in &s.tables {
        let _ = write!(
            out,
            "  {:width$}  {} column{}, {} constraint{}, {} index{}, RLS {}",
            t.name,
            t.columns,
            plural(t.columns),
            t.constraints,
            plural(t.constraints),
            t.indexes,
            if t.indexes == 1 { "" } else { "es" },
            t.rls,
        );
        if t.policies > 0 {
            let _ = write!(
                out,
                ", {} polic{}",
                t.policies,
                if t.policies == 1 { "y" } else { "ies" }
            );
        }
        if t.triggers > 0 {
            let _ = write!(out, ", {} trigger{}", t.triggers, plural(t.triggers));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "\nViews ({})", s.views.len());
    for v in &s.views {
        let kind = if v.materialized {
            " (materialized)"
        } else {
            ""
        };
        let _ = writeln!(out, "  {}{kind}", v.name);
    }
    let _ = writeln!(out, "\nFunctions ({})", s.functions.len());
    for f in &s.functions {
        let _ = writeln!(out, "  {f}");
    }

    notes_text(&mut out, &project.replayed.notes, report.verbose);

    if let Some(shadow) = report.shadow {
        out.push_str("\nShadow replay on PostgreSQL\n");
        match &shadow.checkpoint_written {
            Some(path) => {
                let _ = writeln!(out, "  checkpoint written: {}", path.display());
            }
            None => out.push_str("  no migrations, so no checkpoint written\n"),
        }
        if let Some(e) = &shadow.offline_error {
            let _ = writeln!(
                out,
                "  the offline replay stops where PostgreSQL does not: {e}\n  (replays now start from the checkpoint; the summary above is PostgreSQL's)"
            );
        }
        if shadow.agree() {
            let _ = writeln!(out, "  {AGREE}");
        } else if !shadow.differences.is_empty() {
            let n = shadow.differences.len();
            let _ = writeln!(
                out,
                "  {n} difference{} between the offline replay and PostgreSQL (the checkpoint holds PostgreSQL's answer):",
                plural(n)
            );
            for d in &shadow.differences {
                let _ = writeln!(out, "    {d}");
            }
        }
    }
    out
}

/// The objects the replay marked approximate, and what `apply` does
/// about them; nothing when there are none.
pub fn approximate_text(out: &mut String, notes: &[Note]) {
    let mut objects: Vec<&str> = notes
        .iter()
        .filter(|n| n.severity == Severity::Error)
        .flat_map(|n| n.objects.iter().map(String::as_str))
        .collect();
    objects.sort();
    objects.dedup();
    if objects.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nApproximate objects ({}): {}\n  apply refuses steps on them unless a shadow checkpoint covers the statements involved (`replay --shadow-database-url`) or --allow-approximate is given",
        objects.len(),
        objects.join(", ")
    );
}

fn notes_text(out: &mut String, notes: &[Note], verbose: bool) {
    let counts = NoteCounts::of(notes);
    let errors = match counts.error {
        0 => String::new(),
        n => format!("{n} error{}, ", plural(n)),
    };
    let _ = writeln!(
        out,
        "\nStatements kept as notes: {errors}{} warning{}, {} notice{}, {} info",
        counts.warning,
        plural(counts.warning),
        counts.notice,
        plural(counts.notice),
        counts.info
    );
    if counts.error > 0 {
        out.push_str(
            "  error: failed only because an earlier statement was not followed; the replay repaired the state and went on, and the objects involved are approximate\n",
        );
    }
    if counts.warning > 0 {
        out.push_str(
            "  warning: may change tables, columns or indexes and was not followed; the replayed schema may be approximate\n",
        );
    }
    if counts.notice > 0 {
        out.push_str("  notice: only touches objects trr-schema does not model yet\n");
    }
    for note in notes {
        let label = match note.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
            Severity::Info if verbose => "info",
            Severity::Info => continue,
        };
        let _ = writeln!(
            out,
            "  {}:{}:{}: {label}: {}",
            note.file.display(),
            note.line,
            note.column,
            note.reason
        );
        if note.severity == Severity::Error {
            let _ = writeln!(out, "      approximate: {}", note.objects.join(", "));
        } else if !note.objects.is_empty() {
            let _ = writeln!(out, "      may touch: {}", note.objects.join(", "));
        }
    }
    if counts.info > 0 && !verbose {
        let _ = writeln!(
            out,
            "  ({} info note{} without schema effect; --verbose lists them)",
            counts.info,
            plural(counts.info)
        );
    }
    approximate_text(out, notes);
}
