//! Renders a [`Plan`] for people and tools: text (terminal), markdown (pull
//! requests), JSON (stable, see `docs/plan-json.md`) and plain SQL.
//!
//! Reports never color their output: they are read in terminals, PR comments,
//! files and tests alike.

mod checklist;
pub mod json;
pub mod markdown;
pub mod replay;
pub mod sql;
pub mod text;

use crate::plan::{
    AccessChange, AccessEffect, Action, ObjectRef, Phase, Plan, PlanFile, Rollback, Step,
};

/// The sentence every format uses for an empty plan.
pub const NO_CHANGES: &str = "No changes: the schema files match the migrations.";

/// Said after the differences a plan cannot express.
pub const INCOMPLETE: &str =
    "The plan is incomplete: `apply` refuses to write it until these differences are resolved.";

/// Neither steps nor differences the planner could not express.
pub fn no_changes(plan: &Plan) -> bool {
    plan.is_empty() && plan.unsupported.is_empty()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    Sql,
}

/// What a step's rollback cannot do, in words, or `None` when it undoes the
/// step completely.
pub fn rollback_limit(rollback: &Rollback) -> Option<String> {
    match rollback {
        Rollback::Sql { .. } => None,
        Rollback::Lossy { lost, .. } => Some(format!(
            "rollback recreates the structure, not the data: {lost}"
        )),
        Rollback::Irreversible { reason } => Some(format!("cannot be rolled back: {reason}")),
    }
}

/// Renders `plan` in `format`; the result ends with a newline.
pub fn render(plan: &Plan, format: Format) -> String {
    match format {
        Format::Text => text::render(plan),
        Format::Markdown => markdown::render(plan),
        Format::Json => json::render(plan),
        Format::Sql => sql::render(plan),
    }
}

/// Step counts by action, over the files that have steps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub files: usize,
    pub steps: usize,
    pub create: usize,
    pub alter: usize,
    pub drop: usize,
    /// Steps in destructive (contract) files.
    pub destructive: usize,
    /// Differences the plan cannot express.
    pub unsupported: usize,
    /// Access changes flagged for review (see `plan::access`).
    pub flagged_access: usize,
}

impl Counts {
    pub fn of(plan: &Plan) -> Counts {
        let mut counts = Counts {
            unsupported: plan.unsupported.len(),
            ..Counts::default()
        };
        for file in files(plan) {
            counts.files += 1;
            for step in &file.steps {
                counts.steps += 1;
                counts.flagged_access += step.access.iter().filter(|a| a.flagged).count();
                if file.is_destructive() {
                    counts.destructive += 1;
                }
                match step.action {
                    Action::Create => counts.create += 1,
                    Action::Alter => counts.alter += 1,
                    Action::Drop => counts.drop += 1,
                }
            }
        }
        counts
    }

    /// "3 migration files, 9 steps (6 create, 2 alter, 1 drop)".
    pub fn sentence(&self) -> String {
        let mut sentence = format!(
            "{}, {} ({} create, {} alter, {} drop)",
            plural(self.files, "migration file", "migration files"),
            plural(self.steps, "step", "steps"),
            self.create,
            self.alter,
            self.drop
        );
        if self.unsupported > 0 {
            sentence.push_str(&format!(
                ", {} that cannot be planned",
                plural(self.unsupported, "difference", "differences")
            ));
        }
        sentence
    }
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One role's access change, with the step and file it comes from.
pub(crate) struct AccessLine<'a> {
    pub file: &'a str,
    pub step: &'a Step,
    pub change: &'a AccessChange,
}

/// Every access change of the plan: flagged ones first, then the rest, each
/// group in plan order.
pub(crate) fn access_lines(plan: &Plan) -> Vec<AccessLine<'_>> {
    let mut lines: Vec<AccessLine> = files(plan)
        .flat_map(|f| {
            f.steps.iter().flat_map(move |step| {
                step.access.iter().map(move |change| AccessLine {
                    file: &f.slug,
                    step,
                    change,
                })
            })
        })
        .collect();
    lines.sort_by_key(|l| !l.change.flagged);
    lines
}

/// `!` flagged, `+` widens, `-` narrows, `=` neutral, `?` unknown.
pub(crate) fn access_sign(change: &AccessChange) -> char {
    if change.flagged {
        return '!';
    }
    match change.effect {
        AccessEffect::Widens => '+',
        AccessEffect::Narrows => '-',
        AccessEffect::Neutral => '=',
        AccessEffect::Unknown => '?',
    }
}

/// The files that have something to do, in run order.
pub(crate) fn files(plan: &Plan) -> impl Iterator<Item = &PlanFile> {
    plan.files.iter().filter(|f| !f.steps.is_empty())
}

/// `+` create, `~` alter, `-` drop.
pub(crate) fn sign(action: Action) -> char {
    match action {
        Action::Create => '+',
        Action::Alter => '~',
        Action::Drop => '-',
    }
}

/// The steps touching one object, in plan order.
pub(crate) struct Group<'a> {
    pub object: &'a ObjectRef,
    pub steps: Vec<&'a Step>,
}

impl Group<'_> {
    /// `+` when the object is only created, `-` when only dropped, else `~`.
    pub fn sign(&self) -> char {
        let first = self.steps[0].action;
        if self.steps.iter().all(|s| s.action == first) && first != Action::Alter {
            sign(first)
        } else {
            '~'
        }
    }
}

/// Steps grouped by object, objects in the order the plan first touches them.
pub(crate) fn groups(plan: &Plan) -> Vec<Group<'_>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index = std::collections::BTreeMap::new();
    for step in plan.steps() {
        let i = *index.entry(&step.object).or_insert_with(|| {
            groups.push(Group {
                object: &step.object,
                steps: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].steps.push(step);
    }
    groups
}

/// "table", "primary key": the object kind as prose.
pub(crate) fn kind_name(object: &ObjectRef) -> &'static str {
    use crate::plan::ObjectKind::*;
    match object.kind {
        Schema => "schema",
        Extension => "extension",
        Enum => "enum",
        Table => "table",
        Column => "column",
        PrimaryKey => "primary key",
        Constraint => "constraint",
        Index => "index",
        Comment => "comment",
        Sequence => "sequence",
        Function => "function",
        Trigger => "trigger",
        View => "view",
        MaterializedView => "materialized view",
        Policy => "policy",
        DefaultPrivileges => "default privileges",
    }
}

/// `expand`, `backfill`, `dual_write`, `cutover`, `contract`.
pub(crate) fn phase_name(phase: Phase) -> &'static str {
    phase.name()
}

/// "in a transaction" / "outside a transaction (CREATE INDEX CONCURRENTLY)".
pub(crate) fn transaction_note(file: &PlanFile) -> &'static str {
    if file.transactional {
        "in a transaction"
    } else {
        "outside a transaction"
    }
}

#[cfg(test)]
pub(crate) mod sample;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_groups() {
        let plan = sample::plan();
        let counts = Counts::of(&plan);
        assert_eq!(
            counts,
            Counts {
                files: 4,
                steps: 11,
                create: 5,
                alter: 4,
                drop: 2,
                destructive: 2,
                unsupported: 1,
                flagged_access: 0,
            }
        );
        assert_eq!(
            counts.sentence(),
            "4 migration files, 11 steps (5 create, 4 alter, 2 drop), 1 difference that cannot be planned"
        );
        let groups = groups(&plan);
        let signs: Vec<String> = groups
            .iter()
            .map(|g| format!("{} {}", g.sign(), g.object.name))
            .collect();
        assert_eq!(
            signs,
            [
                "+ core.ratings",
                "+ core.shows.summary",
                "~ core.seasons_number_check_trr_new",
                "~ core.shows_title_trr_not_null",
                "+ core.shows_premiere_idx",
                "~ core.seasons_number_check",
                "~ core.shows.title",
                "- core.people_nickname_idx",
                "- core.people.nickname",
            ]
        );
    }

    #[test]
    fn empty_plan_says_no_changes_in_every_format() {
        let empty = Plan::default();
        for format in [Format::Text, Format::Markdown, Format::Json, Format::Sql] {
            let out = render(&empty, format);
            assert!(out.ends_with('\n'), "{format:?}");
            if format == Format::Json {
                assert!(out.contains("\"changes\": false"), "{out}");
            } else {
                assert!(out.contains(NO_CHANGES), "{format:?}: {out}");
            }
        }
    }

    /// A plan with nothing to run but a difference it cannot express is not
    /// "no changes".
    #[test]
    fn only_unsupported() {
        let plan = Plan {
            unsupported: sample::plan().unsupported,
            ..Plan::default()
        };
        assert!(!no_changes(&plan));
        for format in [Format::Text, Format::Markdown, Format::Json, Format::Sql] {
            let out = render(&plan, format);
            assert!(!out.contains(NO_CHANGES), "{format:?}: {out}");
            assert!(out.contains("core.cast_role"), "{format:?}: {out}");
        }
        insta::assert_snapshot!(render(&plan, Format::Text));
    }
}
