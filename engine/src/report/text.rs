//! The human summary printed by `trr-schema plan`: changes grouped by object,
//! hazards, held-back destructive steps, then the SQL of each file.

use super::checklist;
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
    if !plan.is_empty() {
        let phases: Vec<String> = checklist::phases(plan)
            .iter()
            .enumerate()
            .map(|(i, p)| match p.steps {
                0 => format!("{} {} (none)", i + 1, p.phase.name()),
                n => format!(
                    "{} {} ({})",
                    i + 1,
                    p.phase.name(),
                    super::plural(n, "step", "steps")
                ),
            })
            .collect();
        let _ = writeln!(out, "Phases: {}", phases.join(", "));
    }
    if let Some(objects) = checklist::contract_pending(plan) {
        let _ = writeln!(out, "\n{}", checklist::pending_sentence(&objects));
        for object in objects {
            let _ = writeln!(out, "  - {object}");
        }
    }

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

    let hazards = checklist::hazards(plan);
    if !hazards.is_empty() {
        let _ = writeln!(
            out,
            "\nHazards (a checklist: `apply` writes nothing until every hazard of the files it writes is accepted, e.g. `{}`)",
            checklist::allow_flag(&hazards)
        );
        for line in &hazards {
            let _ = writeln!(
                out,
                "  [ ] {}: {} ({})",
                line.hazard.code(),
                line.hazard.describe(),
                super::plural(line.steps.len(), "step", "steps")
            );
            for (file, step) in &line.steps {
                let _ = writeln!(out, "      ! {} ({file})", step.summary);
            }
        }
    }

    let irreversible: Vec<_> = files(plan)
        .flat_map(|f| f.steps.iter().map(move |s| (f, s)))
        .filter_map(|(f, s)| rollback_limit(&s.rollback).map(|limit| (f, s, limit)))
        .collect();
    if !irreversible.is_empty() {
        out.push_str("\nIrreversible (the rollback cannot bring back what these lose)\n");
        for (file, step, limit) in irreversible {
            let _ = writeln!(out, "  x {} ({})\n      {limit}", step.summary, file.slug);
        }
    }

    let destructive: Vec<_> = files(plan).filter(|f| f.is_destructive()).collect();
    if !destructive.is_empty() {
        out.push_str(
            "\nHeld back (destructive: `apply` writes these only with --allow-destructive, or when `approve` nodes cover every step)\n",
        );
        for file in destructive {
            for step in &file.steps {
                let mark = if checklist::irreversible(step).is_some() {
                    " (irreversible)"
                } else {
                    ""
                };
                let _ = writeln!(out, "  - {}{mark}", step.summary);
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

    /// After every other phase was applied, only the contract is left.
    #[test]
    fn contract_pending() {
        let mut plan = super::super::sample::plan();
        plan.unsupported.clear();
        plan.files
            .retain(|f| f.phase == crate::plan::Phase::Contract);
        let out = super::render(&plan);
        assert!(
            out.contains("contract pending: approve to finish (`trr-schema apply --allow-destructive`, or `approve \"core.people.nickname\" \"core.people_nickname_idx\"` in KDL)"),
            "{out}"
        );
        insta::assert_snapshot!(out);
        let json: serde_json::Value =
            serde_json::from_str(&super::super::json::render(&plan)).unwrap();
        assert_eq!(
            json["contract_pending"]["objects"],
            serde_json::json!(["core.people.nickname", "core.people_nickname_idx"])
        );
        let full = super::super::json::render(&super::super::sample::plan());
        assert!(!full.contains("contract_pending"));
    }
}
