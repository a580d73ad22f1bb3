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
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("set default of {} to {}", colname(table, column), to.sql()),
                alter_column(table, column, format!("SET DEFAULT {}", to.sql())),
                sql_rollback(match from {
                    Some(f) => alter_column(table, column, format!("SET DEFAULT {}", f.sql())),
                    None => alter_column(table, column, "DROP DEFAULT"),
                }),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropDefault {
            table,
            column,
            from,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("drop default of {}", colname(table, column)),
                alter_column(table, column, "DROP DEFAULT"),
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("SET DEFAULT {}", from.sql()),
                )),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::SetNotNull { table, column } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("set not null on {}", colname(table, column)),
                alter_column(table, column, "SET NOT NULL"),
                sql_rollback(alter_column(table, column, "DROP NOT NULL")),
                env.alter_hazards(table, &[Hazard::ScansTable]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropNotNull { table, column } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("drop not null on {}", colname(table, column)),
                alter_column(table, column, "DROP NOT NULL"),
                sql_rollback(alter_column(table, column, "SET NOT NULL")),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::AddIdentity {
            table,
            column,
            identity,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!(
                    "add identity ({}) to {}",
                    identity_word(*identity).to_lowercase(),
                    colname(table, column)
                ),
                alter_column(
                    table,
                    column,
                    format!("ADD {}", sql::identity_sql(*identity)),
                ),
                sql_rollback(alter_column(table, column, "DROP IDENTITY")),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::DropIdentity {
            table,
            column,
            identity,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!("drop identity from {}", colname(table, column)),
                alter_column(table, column, "DROP IDENTITY"),
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("ADD {}", sql::identity_sql(*identity)),
                )),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
        ),
        Change::SetIdentity {
            table,
            column,
            from,
            to,
        } => (
            step(
                obj(K::Column, colname(table, column)),
                Alter,
                format!(
                    "make identity of {} {}",
                    colname(table, column),
                    identity_word(*to).to_lowercase()
                ),
                alter_column(
                    table,
                    column,
                    format!("SET GENERATED {}", identity_word(*to)),
                ),
                sql_rollback(alter_column(
                    table,
                    column,
                    format!("SET GENERATED {}", identity_word(*from)),
                )),
                env.alter_hazards(table, &[]),
            ),
            Expand,
            17,
            Some(colname(table, column)),
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
