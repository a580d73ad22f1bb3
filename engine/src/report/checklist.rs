//! What a reviewer must say yes to before `apply` writes a plan: the
//! hazards (accepted with `--allow-hazards`), the steps whose data cannot
//! come back, and a contract left waiting for approval. Shared by the text
//! and JSON reports so both say the same.

use super::files;
use crate::plan::{Hazard, Phase, Plan, Rollback, Step};
use serde::Serialize;
use std::collections::BTreeMap;

/// One hazard of the plan with every step that carries it.
pub struct HazardLine<'a> {
    pub hazard: Hazard,
    /// `(file slug, step)`, in plan order.
    pub steps: Vec<(&'a str, &'a Step)>,
}

/// Distinct hazards in [`Hazard`] order (the order of `Hazard::ALL`).
pub fn hazards(plan: &Plan) -> Vec<HazardLine<'_>> {
    let mut by: BTreeMap<Hazard, Vec<(&str, &Step)>> = BTreeMap::new();
    for file in files(plan) {
        for step in &file.steps {
            for hazard in &step.hazards {
                by.entry(*hazard)
                    .or_default()
                    .push((file.slug.as_str(), step));
            }
        }
    }
    by.into_iter()
        .map(|(hazard, steps)| HazardLine { hazard, steps })
        .collect()
}

/// `--allow-hazards a,b` accepting every hazard listed.
pub fn allow_flag(lines: &[HazardLine<'_>]) -> String {
    let codes: Vec<&str> = lines.iter().map(|l| l.hazard.code()).collect();
    format!("--allow-hazards {}", codes.join(","))
}

/// What running the step loses for good, when its rollback cannot bring
/// it back: the "irreversible" steps.
pub fn irreversible(step: &Step) -> Option<&str> {
    match &step.rollback {
        Rollback::Sql { .. } => None,
        Rollback::Lossy { lost, .. } => Some(lost),
        Rollback::Irreversible { reason } => Some(reason),
    }
}

/// Files and steps per phase, for all five phases in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PhaseCount {
    pub phase: Phase,
    pub files: usize,
    pub steps: usize,
}

pub fn phases(plan: &Plan) -> Vec<PhaseCount> {
    Phase::ALL
        .iter()
        .map(|&phase| {
            let of_phase: Vec<_> = files(plan).filter(|f| f.phase == phase).collect();
            PhaseCount {
                phase,
                files: of_phase.len(),
                steps: of_phase.iter().map(|f| f.steps.len()).sum(),
            }
        })
        .collect()
}

/// When the contract is all that is left (every earlier phase has run),
/// the objects its steps drop or change, sorted, once each: what an
/// `approve` node would name to finish.
pub fn contract_pending(plan: &Plan) -> Option<Vec<&str>> {
    let mut contract = false;
    for file in files(plan) {
        if file.phase != Phase::Contract {
            return None;
        }
        contract = true;
    }
    if !contract || !plan.unsupported.is_empty() {
        return None;
    }
    let mut objects: Vec<&str> = plan.steps().map(|s| s.object.name.as_str()).collect();
    objects.sort();
    objects.dedup();
    Some(objects)
}

/// "contract pending: approve to finish (…)" for `objects`.
pub fn pending_sentence(objects: &[&str]) -> String {
    let quoted: Vec<String> = objects
        .iter()
        .map(|o| format!("\"{}\"", o.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!(
        "contract pending: approve to finish (`trr-schema apply --allow-destructive`, or `approve {}` in KDL)",
        quoted.join(" ")
    )
}
