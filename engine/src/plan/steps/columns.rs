//! Steps for columns of existing tables: add, drop, type, default, NOT NULL, identity, generated.

use super::*;

pub(super) fn draft(change: &Change, env: &Env) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::AddColumn { table, column } => {
            let mut shape = format!(
                "{}, {}",
                column.ty,
                if column.nullable {
                    "nullable"
                } else {
                    "not null"
                }
            );
            if !column.nullable
                && column.default.is_none()
                && column.identity.is_none()
                && column.generated.is_none()
                && sql::serial_type(table, column).is_none()
                && env.existing(table)
            {
                shape.push_str(", no default: fails if the table has rows");
            }
            let mut extra = vec![];
            if add_column_rewrites(table, column) {
                extra.push(Hazard::RewritesTable);
            }
            (
                step(
                    obj(K::Column, colname(table, &column.name)),
                    Create,
                    format!("add column {} ({shape})", colname(table, &column.name)),
                    alter_table(table, format!("ADD COLUMN {}", column_def(table, column))),
                    sql_rollback(alter_table(table, format!("DROP COLUMN {}", column.name))),
                    env.alter_hazards(table, &extra),
                ),
                Expand,
                15,
                None,
            )
        }
        Change::DropColumn { table, column } => (
            step(
                obj(K::Column, colname(table, &column.name)),
                Drop,
                format!("drop column {}", colname(table, &column.name)),
                alter_table(table, format!("DROP COLUMN {}", column.name)),
                match column_loss(table, column) {
                    Some(lost) => lossy(add_column_sql(table, column), lost),
                    None => sql_rollback(add_column_sql(table, column)),
                },
                vec![Hazard::AccessExclusiveLock, Hazard::DeletesData],
            ),
            Contract,
            4,
            None,
        ),
        Change::AlterColumnType {
            table,
            column,
            from,
            to,
        } => {
            let widening = is_widening(from, to);
            let mut extra = vec![];
            if !is_binary_coercible(from, to) {
                extra.push(Hazard::RewritesTable);
            }
            let rollback = if widening {
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("TYPE {from} USING {column}::{from}"),
                ))
            } else {
                lossy(
                    alter_column(table, column, format!("TYPE {from} USING {column}::{from}")),
                    format!(
                        "values of {} converted from {from} to {to} may have lost information",
                        colname(table, column)
                    ),
                )
            };
            (
                step(
                    obj(K::Column, colname(table, column)),
                    Alter,
                    format!(
                        "change type of {} from {from} to {to}{}",
                        colname(table, column),
                        if widening {
                            ""
                        } else {
                            " (may fail or lose data)"
                        }
                    ),
                    alter_column(table, column, format!("TYPE {to} USING {column}::{to}")),
                    rollback,
                    env.alter_hazards(table, &extra),
                ),
                if widening { Expand } else { Contract },
                17,
                Some(colname(table, column)),
            )
        }
        Change::SetDefault {
            table,
            column,
            from,
            to,
        } => alter_in_place(
            env,
            (table, column),
            format!("set default of {} to {}", colname(table, column), to.sql()),
            format!("SET DEFAULT {}", to.sql()),
            match from {
                Some(f) => format!("SET DEFAULT {}", f.sql()),
                None => "DROP DEFAULT".to_string(),
            },
            &[],
        ),
        Change::DropDefault {
            table,
            column,
            from,
        } => alter_in_place(
            env,
            (table, column),
            format!("drop default of {}", colname(table, column)),
            "DROP DEFAULT".to_string(),
            format!("SET DEFAULT {}", from.sql()),
            &[],
        ),
        Change::SetNotNull { table, column } => {
            // The validated helper check proves there are no NULLs, so
            // PostgreSQL skips the scan; it has served and goes.
            let check = crate::diff::helpers::not_null_check(table, column);
            let undo_check = add_constraint_sql(
                table,
                &schema::Constraint {
                    not_valid: false,
                    ..check.clone()
                },
            );
            (
                step(
                    obj(K::Column, colname(table, column)),
                    Alter,
                    format!(
                        "set not null on {} (proven by {}, then dropped)",
                        colname(table, column),
                        qualified_in(&table.schema, &check.name)
                    ),
                    format!(
                        "{}\n{}",
                        alter_column(table, column, "SET NOT NULL"),
                        alter_table(table, format!("DROP CONSTRAINT {}", check.name))
                    ),
                    sql_rollback(format!(
                        "{undo_check}\n{}",
                        alter_column(table, column, "DROP NOT NULL")
                    )),
                    env.alter_hazards(table, &[]),
                ),
                Cutover,
                23,
                Some(colname(table, column)),
            )
        }
        Change::DropNotNull { table, column } => alter_in_place(
            env,
            (table, column),
            format!("drop not null on {}", colname(table, column)),
            "DROP NOT NULL".to_string(),
            "SET NOT NULL".to_string(),
            &[],
        ),
        Change::AddIdentity {
            table,
            column,
            identity,
        } => alter_in_place(
            env,
            (table, column),
            format!(
                "add identity ({}) to {}",
                identity_word(*identity).to_lowercase(),
                colname(table, column)
            ),
            format!("ADD {}", sql::identity_sql(*identity)),
            "DROP IDENTITY".to_string(),
            &[],
        ),
        Change::DropIdentity {
            table,
            column,
            identity,
        } => alter_in_place(
            env,
            (table, column),
            format!("drop identity from {}", colname(table, column)),
            "DROP IDENTITY".to_string(),
            format!("ADD {}", sql::identity_sql(*identity)),
            &[],
        ),
        Change::SetIdentity {
            table,
            column,
            from,
            to,
        } => alter_in_place(
            env,
            (table, column),
            format!(
                "make identity of {} {}",
                colname(table, column),
                identity_word(*to).to_lowercase()
            ),
            format!("SET GENERATED {}", identity_word(*to)),
            format!("SET GENERATED {}", identity_word(*from)),
            &[],
        ),
        Change::DropGenerated {
            table,
            column,
            from,
        } => {
            let mut old = column.clone();
            old.generated = Some(from.clone());
            (
                step(
                    obj(K::Column, colname(table, &column.name)),
                    Alter,
                    format!(
                        "stop generating {} (keeps its values)",
                        colname(table, &column.name)
                    ),
                    alter_column(table, &column.name, "DROP EXPRESSION"),
                    sql_rollback(recreate_back_sql(table, &old)),
                    env.alter_hazards(table, &[]),
                ),
                Expand,
                16,
                Some(colname(table, &column.name)),
            )
        }
        Change::RecreateColumn {
            table,
            from,
            to,
            destroys_data,
        } => {
            let name = colname(table, &to.name);
            let mut extra = vec![Hazard::RewritesTable];
            let rollback = if *destroys_data {
                extra.push(Hazard::DeletesData);
                lossy(
                    recreate_back_sql(table, from),
                    column_loss(table, from)
                        .unwrap_or_else(|| format!("the stored values of {name} are not restored")),
                )
            } else {
                sql_rollback(recreate_back_sql(table, from))
            };
            let summary = match &to.generated {
                Some(g) => format!("recreate {name} as generated from {}", g.sql()),
                None => format!("recreate column {name}"),
            };
            (
                step(
                    obj(K::Column, &name),
                    Alter,
                    summary,
                    recreate_sql(table, to),
                    rollback,
                    env.alter_hazards(table, &extra),
                ),
                if *destroys_data { Contract } else { Expand },
                16,
                Some(name),
            )
        }
        _ => return None,
    })
}

/// An `ALTER COLUMN` that changes the column in place and is undone by the
/// opposite `ALTER COLUMN` (defaults, NOT NULL, identity): always expand.
fn alter_in_place(
    env: &Env,
    (table, column): (&QualName, &Ident),
    summary: String,
    action: String,
    undo: String,
    extra: &[Hazard],
) -> Parts {
    (
        step(
            obj(ObjectKind::Column, colname(table, column)),
            Action::Alter,
            summary,
            alter_column(table, column, action),
            sql_rollback(alter_column(table, column, undo)),
            env.alter_hazards(table, extra),
        ),
        FileKind::Expand,
        17,
        Some(colname(table, column)),
    )
}
