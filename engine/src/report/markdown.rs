//! A plan ready to paste into a pull request: a summary table (a row per
//! phase), access changes, a table of steps per phase, hazards, rollback
//! limits, with the declared Catalog a Mermaid diagram of the changed
//! tables, and each file's SQL in a collapsible block.

use super::rollback_limit;
use super::{
    Counts, INCOMPLETE, NO_CHANGES, access_lines, files, kind_name, no_changes, phase_name, plural,
    sign, transaction_note,
};
use crate::erd::Erd;
use crate::plan::AccessChange;
use crate::plan::{Action, ObjectKind, Phase, Plan};
use schema::{Catalog, QualName};
use std::collections::BTreeSet;
use std::fmt::Write;

pub fn render(plan: &Plan) -> String {
    render_parts(plan, None)
}

/// [`render`] plus a Mermaid diagram of the tables the plan touches and
/// their foreign-key neighbours, drawn from `desired` (the declared Catalog,
/// which the plan builds): the comment `plan --format markdown` prints.
pub fn render_with_erd(plan: &Plan, desired: &Catalog) -> String {
    let touched = touched_tables(plan, desired);
    let erd = (!touched.is_empty()).then(|| {
        let names: Vec<String> = touched.iter().map(|t| format!("`{t}`")).collect();
        format!(
            "{} ({}) and the tables one foreign key away, as declared after the plan.\n\n```mermaid\n{}```\n",
            plural(touched.len(), "table changed", "tables changed"),
            names.join(", "),
            Erd::around(desired, &touched).mermaid()
        )
    });
    render_parts(plan, erd)
}

fn render_parts(plan: &Plan, erd: Option<String>) -> String {
    let mut out = String::from("### trr-schema plan\n\n");
    if no_changes(plan) {
        let _ = writeln!(out, "{NO_CHANGES}");
        return out;
    }
    let _ = writeln!(out, "{}.", Counts::of(plan).sentence());
    summary(&mut out, plan);

    if !plan.unsupported.is_empty() {
        out.push_str("\n#### Cannot be planned\n\n");
        for u in &plan.unsupported {
            let _ = writeln!(
                out,
                "- {} `{}`: {}",
                kind_name(&u.object),
                u.object.name,
                inline(&u.reason)
            );
        }
        let _ = writeln!(out, "\n> [!WARNING]\n> {INCOMPLETE}");
    }

    let access = access_lines(plan);
    // The Access column only for plans that change access.
    let with_access = !access.is_empty();
    if !access.is_empty() {
        let flagged = access.iter().filter(|l| l.change.flagged).count();
        out.push_str("\n#### Access\n\n");
        if flagged > 0 {
            let _ = writeln!(
                out,
                "> [!CAUTION]\n> {} flagged for review (listed first).\n",
                plural(flagged, "access change", "access changes")
            );
        }
        out.push_str("| | Role | Effect | Why | Step |\n| --- | --- | --- | --- | --- |\n");
        for line in access {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                if line.change.flagged { "⚠️" } else { "" },
                cell(&line.change.role),
                line.change.effect.word(),
                cell(&line.change.reason),
                cell(&line.step.summary)
            );
        }
    }

    for phase in Phase::ALL {
        let in_phase: Vec<_> = files(plan).filter(|f| f.phase == phase).collect();
        if in_phase.is_empty() {
            continue;
        }
        let title = match phase {
            Phase::Expand => "Expand",
            Phase::Backfill => "Backfill",
            Phase::DualWrite => "Dual-write",
            Phase::Cutover => "Cutover",
            Phase::Contract => "Contract (destructive: held back unless `--allow-destructive`)",
        };
        let _ = writeln!(out, "\n#### {title}\n");
        out.push_str(if with_access {
            "| | Object | Change | Hazards | Access |\n| --- | --- | --- | --- | --- |\n"
        } else {
            "| | Object | Change | Hazards |\n| --- | --- | --- | --- |\n"
        });
        for file in in_phase {
            for step in &file.steps {
                let hazards: Vec<&str> = step.hazards.iter().map(|h| h.describe()).collect();
                let _ = write!(
                    out,
                    "| {} | {} `{}` | {} | {} |",
                    sign(step.action),
                    kind_name(&step.object),
                    cell(&step.object.name),
                    cell(&step.summary),
                    cell(&hazards.join(", ")),
                );
                if with_access {
                    let _ = write!(out, " {} |", cell(&access_cell(&step.access)));
                }
                out.push('\n');
            }
        }
    }

    let hazardous: Vec<_> = plan.steps().filter(|s| !s.hazards.is_empty()).collect();
    if !hazardous.is_empty() {
        out.push_str("\n#### Hazards\n\n");
        for step in hazardous {
            let hazards: Vec<&str> = step.hazards.iter().map(|h| h.describe()).collect();
            let _ = writeln!(
                out,
                "- **{}**: {}",
                inline(&step.summary),
                hazards.join(", ")
            );
        }
    }

    let limits: Vec<_> = plan
        .steps()
        .filter_map(|s| rollback_limit(&s.rollback).map(|limit| (s, limit)))
        .collect();
    if !limits.is_empty() {
        out.push_str("\n#### Rollback limits\n\n");
        for (step, limit) in limits {
            let _ = writeln!(out, "- **{}**: {}", inline(&step.summary), inline(&limit));
        }
    }

    if let Some(erd) = erd {
        let _ = write!(out, "\n#### Tables changed\n\n{erd}");
    }

    if files(plan).next().is_some() {
        out.push_str("\n#### SQL\n");
    }
    for (i, file) in files(plan).enumerate() {
        let fence = fence_for(&file.sql);
        let _ = write!(
            out,
            "\n<details>\n<summary>{}. <code>{}</code>: {} phase, {}, {}</summary>\n\n{fence}sql\n{}\n{fence}\n\n</details>\n",
            i + 1,
            html(&file.slug),
            phase_name(file.phase),
            transaction_note(file),
            plural(file.steps.len(), "step", "steps"),
            file.sql.trim_end()
        );
    }
    out
}

/// One row per phase: the plan's files and its steps by action.
fn summary(out: &mut String, plan: &Plan) {
    out.push_str(
        "\n| Phase | Files | Added | Changed | Dropped |\n| --- | ---: | ---: | ---: | ---: |\n",
    );
    for phase in Phase::ALL {
        let in_phase: Vec<_> = files(plan).filter(|f| f.phase == phase).collect();
        let count = |action: Action| {
            in_phase
                .iter()
                .flat_map(|f| &f.steps)
                .filter(|s| s.action == action)
                .count()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            phase_name(phase),
            in_phase.len(),
            count(Action::Create),
            count(Action::Alter),
            count(Action::Drop)
        );
    }
}

/// The declared tables a step creates or changes: the table itself, or
/// one of its columns, constraints, indexes, policies, triggers, comments.
fn touched_tables(plan: &Plan, desired: &Catalog) -> BTreeSet<QualName> {
    let mut touched = BTreeSet::new();
    for step in plan.steps() {
        let name = step.object.name.as_str();
        // A comment's object reads `table core.people`, `column core.shows.summary`.
        let name = match step.object.kind {
            ObjectKind::Comment => name.split_once(' ').map_or(name, |(_, rest)| rest),
            _ => name,
        };
        for table in desired.tables.values() {
            let display = table.name.to_string();
            let owns = |object: &str| {
                object == display
                    || object
                        .strip_prefix(display.as_str())
                        .is_some_and(|rest| rest.starts_with('.'))
            };
            let constraint = |c: &schema::Ident| name == format!("{}.{}", table.name.schema, c);
            let hit = match step.object.kind {
                ObjectKind::PrimaryKey | ObjectKind::Constraint => {
                    table
                        .primary_key
                        .as_ref()
                        .is_some_and(|pk| constraint(&pk.name))
                        || table.constraints.keys().any(constraint)
                        || owns(name)
                }
                ObjectKind::Index => desired
                    .indexes_on(&table.name)
                    .any(|i| i.name.to_string() == name),
                _ => owns(name),
            };
            if hit {
                touched.insert(table.name.clone());
            }
        }
    }
    touched
}

/// `anon widens ⚠️, authenticated narrows`.
fn access_cell(access: &[AccessChange]) -> String {
    access
        .iter()
        .map(|a| {
            format!(
                "{} {}{}",
                a.role,
                a.effect.word(),
                if a.flagged { " ⚠️" } else { "" }
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Text inside a table cell: pipes and line breaks would end the cell.
fn cell(text: &str) -> String {
    inline(text).replace('|', "\\|")
}

fn inline(text: &str) -> String {
    text.replace('\n', " ")
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A code fence longer than any backtick run inside the SQL.
fn fence_for(sql: &str) -> String {
    let longest = sql.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sample() {
        insta::assert_snapshot!(super::render(&super::super::sample::plan()));
    }

    #[test]
    fn escapes() {
        assert_eq!(super::cell("a | b\nc"), "a \\| b c");
        assert_eq!(super::fence_for("select 1"), "```");
        assert_eq!(super::fence_for("comment on x is '````';"), "`````");
    }
}
