//! A hand-built plan exercising every part of the reports: creates, alters,
//! drops, hazards, an irreversible rollback, a concurrent-index file and a
//! cutover (validations, a swapped check, NOT NULL through a check).

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
                Rollback::Irreversible { reason } => {
                    crate::plan::sql::comment(&format!("cannot undo: {reason}"))
                }
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
                        "core.seasons_number_check_trr_new",
                        Create,
                        "add check constraint core.seasons_number_check_trr_new on core.seasons: number BETWEEN 1 AND 100 NOT VALID (checks new rows; cutover validates the rest)",
                        "ALTER TABLE core.seasons ADD CONSTRAINT seasons_number_check_trr_new CHECK (number BETWEEN 1 AND 100) NOT VALID;",
                        undo("ALTER TABLE core.seasons DROP CONSTRAINT seasons_number_check_trr_new;"),
                        &[Hazard::AccessExclusiveLock],
                    ),
                    step(
                        Constraint,
                        "core.shows_title_trr_not_null",
                        Create,
                        "add check constraint core.shows_title_trr_not_null on core.shows: title IS NOT NULL NOT VALID (checks new rows; cutover validates the rest)",
                        "ALTER TABLE core.shows ADD CONSTRAINT shows_title_trr_not_null CHECK (title IS NOT NULL) NOT VALID;",
                        undo("ALTER TABLE core.shows DROP CONSTRAINT shows_title_trr_not_null;"),
                        &[Hazard::AccessExclusiveLock],
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
                "cutover",
                Phase::Cutover,
                true,
                vec![
                    step(
                        Constraint,
                        "core.seasons_number_check_trr_new",
                        Alter,
                        "validate check constraint core.seasons_number_check_trr_new on core.seasons",
                        "ALTER TABLE core.seasons VALIDATE CONSTRAINT seasons_number_check_trr_new;",
                        undo(
                            "ALTER TABLE core.seasons DROP CONSTRAINT seasons_number_check_trr_new;\nALTER TABLE core.seasons ADD CONSTRAINT seasons_number_check_trr_new CHECK (number BETWEEN 1 AND 100) NOT VALID;",
                        ),
                        &[Hazard::ScansTable],
                    ),
                    step(
                        Constraint,
                        "core.shows_title_trr_not_null",
                        Alter,
                        "validate check constraint core.shows_title_trr_not_null on core.shows",
                        "ALTER TABLE core.shows VALIDATE CONSTRAINT shows_title_trr_not_null;",
                        undo(
                            "ALTER TABLE core.shows DROP CONSTRAINT shows_title_trr_not_null;\nALTER TABLE core.shows ADD CONSTRAINT shows_title_trr_not_null CHECK (title IS NOT NULL) NOT VALID;",
                        ),
                        &[Hazard::ScansTable],
                    ),
                    step(
                        Constraint,
                        "core.seasons_number_check",
                        Alter,
                        "replace check constraint core.seasons_number_check on core.seasons by core.seasons_number_check_trr_new (validated)",
                        "ALTER TABLE core.seasons DROP CONSTRAINT seasons_number_check;\nALTER TABLE core.seasons RENAME CONSTRAINT seasons_number_check_trr_new TO seasons_number_check;",
                        undo(
                            "ALTER TABLE core.seasons RENAME CONSTRAINT seasons_number_check TO seasons_number_check_trr_new;\nALTER TABLE core.seasons ADD CONSTRAINT seasons_number_check CHECK (number > 0);",
                        ),
                        &[Hazard::AccessExclusiveLock],
                    ),
                    step(
                        Column,
                        "core.shows.title",
                        Alter,
                        "set not null on core.shows.title (proven by core.shows_title_trr_not_null, then dropped)",
                        "ALTER TABLE core.shows ALTER COLUMN title SET NOT NULL;\nALTER TABLE core.shows DROP CONSTRAINT shows_title_trr_not_null;",
                        undo(
                            "ALTER TABLE core.shows ADD CONSTRAINT shows_title_trr_not_null CHECK (title IS NOT NULL);\nALTER TABLE core.shows ALTER COLUMN title DROP NOT NULL;",
                        ),
                        &[Hazard::AccessExclusiveLock],
                    ),
                ],
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
