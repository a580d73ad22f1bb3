//! The plan as JSON for tools. The schema is documented in
//! `docs/plan-json.md`; `version` changes only with an incompatible change.

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
