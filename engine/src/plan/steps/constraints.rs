//! Steps for primary keys and unique, check and foreign-key constraints.

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
            let (extra, rank) = match constraint.kind {
                ConstraintKind::Unique { .. } => (vec![Hazard::BuildsIndex], 19),
                ConstraintKind::Check { .. } => (vec![Hazard::ScansTable], 19),
                ConstraintKind::ForeignKey(_) => (vec![Hazard::ScansTable], 20),
            };
            let detail = match &constraint.kind {
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
            };
            (
                step(
                    obj(K::Constraint, &name),
                    Create,
                    format!("add {} {name}{detail}", constraint_kind(constraint)),
                    alter_table(table, format!("ADD {}", constraint_def(constraint))),
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
                    sql_rollback(alter_table(
                        table,
                        format!("ADD {}", constraint_def(constraint)),
                    )),
                    vec![Hazard::AccessExclusiveLock],
                ),
                if *replaced { Expand } else { Contract },
                rank,
                None,
            )
        }
        _ => return None,
    })
}
