//! A plan ready to paste into a pull request: a summary table per phase,
//! hazards, held-back destructive steps, and each file's SQL in a
//! collapsible block.

use super::rollback_limit;
use super::{
    Counts, INCOMPLETE, NO_CHANGES, access_lines, files, kind_name, no_changes, phase_name, plural,
    sign, transaction_note,
};
use crate::plan::AccessChange;
use crate::plan::{Phase, Plan};
use std::fmt::Write;

pub fn render(plan: &Plan) -> String {
    let mut out = String::from("### trr-schema plan\n\n");
    if no_changes(plan) {
        let _ = writeln!(out, "{NO_CHANGES}");
        return out;
    }
    let _ = writeln!(out, "{}.", Counts::of(plan).sentence());

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
