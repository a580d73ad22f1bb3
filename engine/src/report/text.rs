//! The human summary printed by `trr-schema plan`: changes grouped by object,
//! hazards, held-back destructive steps, then the SQL of each file.

use super::rollback_limit;
use super::{
    Counts, INCOMPLETE, NO_CHANGES, access_lines, access_sign, files, groups, kind_name,
    no_changes, phase_name, transaction_note,
};
use crate::plan::Plan;
use std::fmt::Write;

pub fn render(plan: &Plan) -> String {
    if no_changes(plan) {
        return format!("{NO_CHANGES}\n");
    }
    let mut out = String::new();
    let counts = Counts::of(plan);
    let _ = writeln!(out, "Plan: {}", counts.sentence());

    if !plan.unsupported.is_empty() {
        out.push_str("\nCannot be planned\n");
        for u in &plan.unsupported {
            let _ = writeln!(
                out,
                "  ? {} {}\n      {}",
                kind_name(&u.object),
                u.object.name,
                u.reason
            );
        }
        let _ = writeln!(out, "  {INCOMPLETE}");
    }

    let access = access_lines(plan);
    if !access.is_empty() {
        let _ = writeln!(
            out,
            "\nAccess ({} flagged; ! flagged, + widens, - narrows, = neutral, ? unknown)",
            counts.flagged_access
        );
        for line in access {
            let _ = writeln!(
                out,
                "  {} {} {}: {}\n      by `{}` ({})",
                access_sign(line.change),
                line.change.role,
                line.change.effect.word(),
                line.change.reason,
                line.step.summary,
                line.file
            );
        }
    }

    let groups = groups(plan);
    if !groups.is_empty() {
        out.push_str("\nChanges\n");
    }
    for group in groups {
        let _ = writeln!(
            out,
            "  {} {} {}",
            group.sign(),
            kind_name(group.object),
            group.object.name
        );
        for step in &group.steps {
            let _ = writeln!(out, "      {}", step.summary);
            for a in &step.access {
                let _ = writeln!(
                    out,
                    "        {} {} {}",
                    access_sign(a),
                    a.role,
                    a.effect.word()
                );
            }
        }
    }

    let hazardous: Vec<_> = plan.steps().filter(|s| !s.hazards.is_empty()).collect();
    if !hazardous.is_empty() {
        out.push_str("\nHazards\n");
        for step in hazardous {
            let hazards: Vec<&str> = step.hazards.iter().map(|h| h.describe()).collect();
            let _ = writeln!(out, "  ! {}: {}", step.summary, hazards.join(", "));
        }
    }

    let destructive: Vec<_> = files(plan).filter(|f| f.is_destructive()).collect();
    if !destructive.is_empty() {
        out.push_str(
            "\nHeld back (destructive: `apply` writes these only with --allow-destructive)\n",
        );
        for file in destructive {
            for step in &file.steps {
                let _ = writeln!(out, "  - {}", step.summary);
                if let Some(limit) = rollback_limit(&step.rollback) {
                    let _ = writeln!(out, "      {limit}");
                }
            }
        }
    }

    let total = counts.files;
    for (i, file) in files(plan).enumerate() {
        let _ = writeln!(
            out,
            "\n=== {}/{total} {} ({} phase, {}) ===",
            i + 1,
            file.slug,
            phase_name(file.phase),
            transaction_note(file)
        );
        out.push_str(file.sql.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sample() {
        insta::assert_snapshot!(super::render(&super::super::sample::plan()));
    }
}
