//! A hand-built plan exercising every part of the reports: creates, alters,
//! drops, hazards, an irreversible rollback and a concurrent-index file.

use crate::plan::*;

fn step(
    kind: ObjectKind,
    name: &str,
    action: Action,
    summary: &str,
    sql: &str,
    rollback: Rollback,
    hazards: &[Hazard],
) -> Step {
    Step {
        object: ObjectRef {
            kind,
            name: name.into(),
        },
        action,
        summary: summary.into(),
        sql: sql.into(),
        rollback,
        hazards: hazards.to_vec(),
        access: vec![],
    }
}

fn undo(sql: &str) -> Rollback {
    Rollback::Sql { sql: sql.into() }
}

fn file(slug: &str, phase: Phase, transactional: bool, steps: Vec<Step>) -> PlanFile {
    let header = "SET lock_timeout = '5s';\nSET statement_timeout = '15min';\n";
    let body = |sqls: Vec<String>| {
        let body = sqls.join("\n");
        if transactional {
            format!("{header}BEGIN;\n{body}\nCOMMIT;\n")
        } else {
            format!("{header}{body}\n")
        }
    };
    let sql = body(steps.iter().map(|s| s.sql.clone()).collect());
    let rollback_sql = body(
        steps
            .iter()
            .rev()
            .map(|s| match &s.rollback {
                Rollback::Sql { sql } | Rollback::Lossy { sql, .. } => sql.clone(),
                Rollback::Irreversible { reason } => format!("-- cannot undo: {reason}"),
            })
            .collect(),
    );
    PlanFile {
        slug: slug.into(),
        phase,
        transactional,
        sql,
        rollback_sql,
        steps,
        backfills: Vec::new(),
    }
}

pub(crate) fn plan() -> Plan {
    use Action::*;
    use ObjectKind::*;
    Plan {
        files: vec![
            file(
                "expand",
                Phase::Expand,
                true,
                vec![
                    step(
                        Table,
                        "core.ratings",
                        Create,
                        "create table core.ratings",
                        "CREATE TABLE core.ratings (\n    id uuid DEFAULT gen_random_uuid() NOT NULL,\n    episode_id uuid NOT NULL,\n    score smallint NOT NULL,\n    CONSTRAINT ratings_pkey PRIMARY KEY (id)\n);",
                        undo("DROP TABLE core.ratings;"),
                        &[],
                    ),
                    step(
                        Column,
                        "core.shows.summary",
                        Create,
                        "add column core.shows.summary (text, nullable)",
                        "ALTER TABLE core.shows ADD COLUMN summary text;",
                        undo("ALTER TABLE core.shows DROP COLUMN summary;"),
                        &[],
                    ),
                    step(
                        Constraint,
                        "core.seasons_number_check",
                        Drop,
                        "drop check core.seasons_number_check (number > 0)",
                        "ALTER TABLE core.seasons DROP CONSTRAINT seasons_number_check;",
                        undo(
                            "ALTER TABLE core.seasons ADD CONSTRAINT seasons_number_check CHECK (number > 0);",
                        ),
                        &[],
                    ),
                    step(
                        Constraint,
                        "core.seasons_number_check",
                        Create,
                        "add check core.seasons_number_check (number BETWEEN 1 AND 100) not valid",
                        "ALTER TABLE core.seasons ADD CONSTRAINT seasons_number_check CHECK (number >= 1 AND number <= 100) NOT VALID;",
                        undo("ALTER TABLE core.seasons DROP CONSTRAINT seasons_number_check;"),
                        &[],
                    ),
                    step(
                        Constraint,
                        "core.seasons_number_check",
                        Alter,
                        "validate check core.seasons_number_check",
                        "ALTER TABLE core.seasons VALIDATE CONSTRAINT seasons_number_check;",
                        undo("-- nothing to undo"),
                        &[Hazard::ScansTable],
                    ),
                    step(
                        Column,
                        "core.shows.title",
                        Alter,
                        "set not null on core.shows.title",
                        "ALTER TABLE core.shows ALTER COLUMN title SET NOT NULL;",
                        undo("ALTER TABLE core.shows ALTER COLUMN title DROP NOT NULL;"),
                        &[Hazard::AccessExclusiveLock, Hazard::ScansTable],
                    ),
                ],
            ),
            file(
                "expand_indexes",
                Phase::Expand,
                false,
                vec![step(
                    Index,
                    "core.shows_premiere_idx",
                    Create,
                    "create index core.shows_premiere_idx on core.shows (premiere_date)",
                    "CREATE INDEX CONCURRENTLY shows_premiere_idx ON core.shows USING btree (premiere_date);",
                    undo("DROP INDEX CONCURRENTLY core.shows_premiere_idx;"),
                    &[Hazard::BuildsIndex],
                )],
            ),
            file(
                "contract",
                Phase::Contract,
                true,
                vec![
                    step(
                        Index,
                        "core.people_nickname_idx",
                        Drop,
                        "drop index core.people_nickname_idx",
                        "DROP INDEX core.people_nickname_idx;",
                        undo(
                            "CREATE INDEX people_nickname_idx ON core.people USING btree (nickname);",
                        ),
                        &[Hazard::AccessExclusiveLock],
                    ),
                    step(
                        Column,
                        "core.people.nickname",
                        Drop,
                        "drop column core.people.nickname",
                        "ALTER TABLE core.people DROP COLUMN nickname;",
                        Rollback::Lossy {
                            sql: "ALTER TABLE core.people ADD COLUMN nickname text;".into(),
                            lost: "the values of core.people.nickname".into(),
                        },
                        &[Hazard::AccessExclusiveLock, Hazard::DeletesData],
                    ),
                ],
            ),
        ],
        unsupported: vec![Unsupported {
            object: ObjectRef {
                kind: ObjectKind::Enum,
                name: "core.cast_role".into(),
            },
            reason: "enum core.cast_role changes from (main, friend, guest) to (main, guest): \
                     PostgreSQL can only add labels, and the type is used by core.cast_members.role; \
                     add the new labels only, or migrate those columns to a new type by hand"
                .into(),
        }],
    }
}
