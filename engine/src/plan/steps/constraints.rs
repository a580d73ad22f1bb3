//! Steps for primary keys and unique, check and foreign-key constraints.
//!
//! On a table that exists, checks and foreign keys are added `NOT VALID`
//! (a brief lock, no scan) and validated at cutover (a scan that lets
//! reads and writes go on); the rollback of a validation cannot make the
//! constraint unvalidated in place, so it drops it and adds it back `NOT
//! VALID`, the exact state before. A new unique constraint is attached at
//! cutover to the index built `CONCURRENTLY` under its name.

use super::*;

pub(super) fn draft(change: &Change, env: &Env) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::AddPrimaryKey { table, pk } => (
            step(
                obj(K::PrimaryKey, qualified_in(&table.schema, &pk.name)),
                Create,
                format!(
                    "add primary key {} on {table} ({})",
                    qualified_in(&table.schema, &pk.name),
                    sql::column_list(&pk.columns)
                ),
                alter_table(table, format!("ADD {}", sql::primary_key_def(pk))),
                sql_rollback(alter_table(table, format!("DROP CONSTRAINT {}", pk.name))),
                env.alter_hazards(table, &[Hazard::ScansTable, Hazard::BuildsIndex]),
            ),
            Expand,
            18,
            None,
        ),
        Change::DropPrimaryKey {
            table,
            pk,
            replaced,
        } => (
            step(
                obj(K::PrimaryKey, qualified_in(&table.schema, &pk.name)),
                Drop,
                format!(
                    "drop primary key {} on {table}",
                    qualified_in(&table.schema, &pk.name)
                ),
                alter_table(table, format!("DROP CONSTRAINT {}", pk.name)),
                sql_rollback(alter_table(
                    table,
                    format!("ADD {}", sql::primary_key_def(pk)),
                )),
                env.alter_hazards(table, &[]),
            ),
            if *replaced { Expand } else { Contract },
            3,
            None,
        ),
        Change::AddConstraint { table, constraint } => {
            let name = qualified_in(&table.schema, &constraint.name);
            let (mut extra, rank) = match constraint.kind {
                ConstraintKind::Unique { .. } => (vec![Hazard::BuildsIndex], 19),
                ConstraintKind::Check { .. } => (vec![Hazard::ScansTable], 19),
                ConstraintKind::ForeignKey(_) => (vec![Hazard::ScansTable], 20),
            };
            let mut summary = format!(
                "add {} {name}{}",
                constraint_kind(constraint),
                constraint_detail(table, constraint)
            );
            if constraint.not_valid {
                extra.clear();
                summary.push_str(" NOT VALID (checks new rows; cutover validates the rest)");
            }
            (
                step(
                    obj(K::Constraint, &name),
                    Create,
                    summary,
                    add_constraint_sql(table, constraint),
                    sql_rollback(alter_table(
                        table,
                        format!("DROP CONSTRAINT {}", constraint.name),
                    )),
                    env.alter_hazards(table, &extra),
                ),
                Expand,
                rank,
                None,
            )
        }
        Change::DropConstraint {
            table,
            constraint,
            replaced,
        } => {
            let name = qualified_in(&table.schema, &constraint.name);
            let rank = if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                0
            } else {
                1
            };
            (
                step(
                    obj(K::Constraint, &name),
                    Drop,
                    format!("drop {} {name} on {table}", constraint_kind(constraint)),
                    alter_table(table, format!("DROP CONSTRAINT {}", constraint.name)),
                    sql_rollback(add_constraint_sql(table, constraint)),
                    vec![Hazard::AccessExclusiveLock],
                ),
                if *replaced { Expand } else { Contract },
                rank,
                None,
            )
        }
        Change::ValidateConstraint { table, constraint } => {
            let name = qualified_in(&table.schema, &constraint.name);
            let mut unvalidated = constraint.clone();
            unvalidated.not_valid = true;
            (
                step(
                    obj(K::Constraint, &name),
                    Alter,
                    format!("validate {} {name} on {table}", constraint_kind(constraint)),
                    alter_table(table, format!("VALIDATE CONSTRAINT {}", constraint.name)),
                    // Back to NOT VALID: PostgreSQL has no statement for it.
                    sql_rollback(format!(
                        "{}\n{}",
                        alter_table(table, format!("DROP CONSTRAINT {}", constraint.name)),
                        add_constraint_sql(table, &unvalidated)
                    )),
                    if env.existing(table) {
                        vec![Hazard::ScansTable]
                    } else {
                        vec![]
                    },
                ),
                // First in cutover: scans before any step of the file takes
                // an ACCESS EXCLUSIVE lock that the transaction then holds.
                Cutover,
                0,
                None,
            )
        }
        Change::AttachUnique { table, constraint } => {
            let name = qualified_in(&table.schema, &constraint.name);
            let deferral = match &constraint.kind {
                ConstraintKind::Unique { deferral, .. } => deferral.sql(),
                _ => "",
            };
            let index = crate::diff::unique_index(table, constraint);
            let rebuild = index.map(|i| create_index(&i, false)).unwrap_or_default();
            (
                step(
                    obj(K::Constraint, &name),
                    Create,
                    format!(
                        "add {} {name}{} using its index built concurrently",
                        constraint_kind(constraint),
                        constraint_detail(table, constraint)
                    ),
                    alter_table(
                        table,
                        format!(
                            "ADD CONSTRAINT {} UNIQUE USING INDEX {}{deferral}",
                            constraint.name, constraint.name
                        ),
                    ),
                    // The index goes with the constraint: built again, as
                    // it was before this step.
                    sql_rollback(format!(
                        "{}\n{rebuild}",
                        alter_table(table, format!("DROP CONSTRAINT {}", constraint.name))
                    )),
                    env.alter_hazards(table, &[]),
                ),
                Cutover,
                20,
                None,
            )
        }
        Change::SwapConstraint {
            table,
            old,
            new,
            helper,
        } => {
            let name = qualified_in(&table.schema, &new.name);
            let restore = add_constraint_sql(table, old);
            (
                step(
                    obj(K::Constraint, &name),
                    Alter,
                    format!(
                        "replace {} {name} on {table} by {} (validated)",
                        constraint_kind(new),
                        qualified_in(&table.schema, helper)
                    ),
                    format!(
                        "{}\n{}",
                        alter_table(table, format!("DROP CONSTRAINT {}", old.name)),
                        alter_table(table, format!("RENAME CONSTRAINT {helper} TO {}", new.name))
                    ),
                    sql_rollback(format!(
                        "{}\n{restore}",
                        alter_table(table, format!("RENAME CONSTRAINT {} TO {helper}", new.name))
                    )),
                    vec![Hazard::AccessExclusiveLock],
                ),
                Cutover,
                1,
                None,
            )
        }
        _ => return None,
    })
}

fn constraint_detail(table: &QualName, constraint: &schema::Constraint) -> String {
    match &constraint.kind {
        ConstraintKind::ForeignKey(fk) => format!(
            ": {table} ({}) → {} ({})",
            sql::column_list(&fk.columns),
            fk.ref_table,
            sql::column_list(&fk.ref_columns)
        ),
        ConstraintKind::Unique { columns, .. } => {
            format!(" on {table} ({})", sql::column_list(columns))
        }
        ConstraintKind::Check { expr, .. } => format!(" on {table}: {}", expr.sql()),
    }
}
