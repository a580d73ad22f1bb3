//! The plan as JSON for tools. The schema is documented in
//! `docs/plan-json.md`; `version` changes only with an incompatible change.

use super::checklist::{self, PhaseCount};
use super::{Counts, access_lines, files, no_changes};
use crate::plan::{AccessChange, AccessEffect, Action, Hazard, ObjectKind, Phase, Plan, Rollback};
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonPlan<'a> {
    version: u32,
    /// `false` when the schema files match the migrations.
    changes: bool,
    summary: Counts,
    files: Vec<JsonFile<'a>>,
    /// Differences the plan cannot express; non-empty means `apply` refuses.
    unsupported: Vec<JsonUnsupported<'a>>,
    /// Every access change, flagged first.
    access: Vec<JsonAccessLine<'a>>,
    /// All five phases in order, with their files and steps (0 when none).
    phases: Vec<PhaseCount>,
    /// Distinct hazards, in a fixed order, with the steps carrying each:
    /// the checklist `apply --allow-hazards` must accept.
    hazards: Vec<JsonHazardLine<'a>>,
    /// Set when only the contract is left: the objects to approve.
    #[serde(skip_serializing_if = "Option::is_none")]
    contract_pending: Option<JsonPending<'a>>,
}

#[derive(Serialize)]
struct JsonHazardLine<'a> {
    code: Hazard,
    description: &'static str,
    count: usize,
    steps: Vec<JsonFileStep<'a>>,
}

#[derive(Serialize)]
struct JsonFileStep<'a> {
    file: &'a str,
    step: &'a str,
}

#[derive(Serialize)]
struct JsonPending<'a> {
    message: String,
    objects: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonAccessLine<'a> {
    file: &'a str,
    step: &'a str,
    role: &'a str,
    effect: AccessEffect,
    reason: &'a str,
    flagged: bool,
}

#[derive(Serialize)]
struct JsonUnsupported<'a> {
    object: JsonObject<'a>,
    reason: &'a str,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    slug: &'a str,
    phase: Phase,
    transactional: bool,
    destructive: bool,
    sql: &'a str,
    rollback_sql: &'a str,
    steps: Vec<JsonStep<'a>>,
}

#[derive(Serialize)]
struct JsonStep<'a> {
    object: JsonObject<'a>,
    action: Action,
    summary: &'a str,
    sql: &'a str,
    rollback: &'a Rollback,
    hazards: Vec<JsonHazard>,
    access: &'a [AccessChange],
    /// The rollback cannot bring back what this step loses.
    irreversible: bool,
    /// What is lost for good (`null` when the rollback undoes the step).
    #[serde(skip_serializing_if = "Option::is_none")]
    lost: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonObject<'a> {
    kind: ObjectKind,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonHazard {
    code: Hazard,
    description: &'static str,
}

pub fn render(plan: &Plan) -> String {
    let json = JsonPlan {
        version: VERSION,
        changes: !no_changes(plan),
        summary: Counts::of(plan),
        files: files(plan)
            .map(|f| JsonFile {
                slug: &f.slug,
                phase: f.phase,
                transactional: f.transactional,
                destructive: f.is_destructive(),
                sql: &f.sql,
                rollback_sql: &f.rollback_sql,
                steps: f
                    .steps
                    .iter()
                    .map(|s| JsonStep {
                        object: JsonObject {
                            kind: s.object.kind,
                            name: &s.object.name,
                        },
                        action: s.action,
                        summary: &s.summary,
                        sql: &s.sql,
                        rollback: &s.rollback,
                        hazards: s
                            .hazards
                            .iter()
                            .map(|&h| JsonHazard {
                                code: h,
                                description: h.describe(),
                            })
                            .collect(),
                        access: &s.access,
                        irreversible: checklist::irreversible(s).is_some(),
                        lost: checklist::irreversible(s),
                    })
                    .collect(),
            })
            .collect(),
        unsupported: plan
            .unsupported
            .iter()
            .map(|u| JsonUnsupported {
                object: JsonObject {
                    kind: u.object.kind,
                    name: &u.object.name,
                },
                reason: &u.reason,
            })
            .collect(),
        access: access_lines(plan)
            .into_iter()
            .map(|l| JsonAccessLine {
                file: l.file,
                step: &l.step.summary,
                role: &l.change.role,
                effect: l.change.effect,
                reason: &l.change.reason,
                flagged: l.change.flagged,
            })
            .collect(),
        phases: checklist::phases(plan),
        hazards: checklist::hazards(plan)
            .into_iter()
            .map(|l| JsonHazardLine {
                code: l.hazard,
                description: l.hazard.describe(),
                count: l.steps.len(),
                steps: l
                    .steps
                    .iter()
                    .map(|(file, step)| JsonFileStep {
                        file,
                        step: &step.summary,
                    })
                    .collect(),
            })
            .collect(),
        contract_pending: checklist::contract_pending(plan).map(|objects| JsonPending {
            message: checklist::pending_sentence(&objects),
            objects,
        }),
    };
    let mut out = serde_json::to_string_pretty(&json).expect("plain data serializes");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sample() {
        let out = super::render(&super::super::sample::plan());
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["files"][1]["transactional"], false);
        assert_eq!(value["files"][2]["phase"], "cutover");
        assert_eq!(value["files"][3]["steps"][1]["rollback"]["kind"], "lossy");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn empty() {
        insta::assert_snapshot!(super::render(&crate::plan::Plan::default()));
    }
}
