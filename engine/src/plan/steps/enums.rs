//! Steps for enum types and their labels.

use super::*;

pub(super) fn draft(change: &Change, env: &Env) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::CreateEnum(e) => (
            step(
                obj(K::Enum, &e.name),
                Create,
                format!("create enum {} ({})", e.name, e.values.join(", ")),
                create_enum(e),
                sql_rollback(format!("DROP TYPE {};", e.name)),
                vec![],
            ),
            Expand,
            12,
            None,
        ),
        Change::DropEnum { enum_, replaced } => {
            let mut undo = create_enum(enum_);
            if let Some(c) = &enum_.comment {
                undo.push('\n');
                undo.push_str(&comment_sql(
                    &CommentTarget::Enum {
                        name: enum_.name.clone(),
                    },
                    Some(c),
                ));
            }
            let summary = if *replaced {
                format!(
                    "drop enum {} to recreate it with other labels (no column uses it)",
                    enum_.name
                )
            } else {
                format!("drop enum {}", enum_.name)
            };
            (
                step(
                    obj(K::Enum, &enum_.name),
                    Drop,
                    summary,
                    format!("DROP TYPE {};", enum_.name),
                    sql_rollback(undo),
                    vec![],
                ),
                if *replaced { Expand } else { Contract },
                6,
                None,
            )
        }
        Change::AddEnumValue {
            name,
            value,
            position,
        } => {
            let (clause, text) = match position {
                EnumPosition::End => (String::new(), String::new()),
                EnumPosition::Before(v) => (
                    format!(" BEFORE {}", literal(v)),
                    format!(" before {}", literal(v)),
                ),
                EnumPosition::After(v) => (
                    format!(" AFTER {}", literal(v)),
                    format!(" after {}", literal(v)),
                ),
            };
            (
                step(
                    obj(K::Enum, name),
                    Alter,
                    format!("add value {} to enum {name}{text}", literal(value)),
                    format!(
                        "ALTER TYPE {name} ADD VALUE IF NOT EXISTS {}{clause};",
                        literal(value)
                    ),
                    sql_rollback(without_label(name, value, env)),
                    vec![],
                ),
                ExpandEnums,
                13,
                Some(format!("enum {name}")),
            )
        }
        _ => return None,
    })
}

/// PostgreSQL cannot drop an enum label: the type is rebuilt with the labels
/// it had before the step, and every column using it is converted through
/// `text`, in one transaction. Runs after the rollbacks of every later file and step, so the
/// columns are those of the current Catalog.
fn without_label(name: &QualName, value: &str, env: &Env) -> String {
    let labels = env.labels_before.get(name).cloned().unwrap_or_default();
    let rebuilt = schema::Enum {
        name: name.clone(),
        values: labels,
        comment: None,
    };
    let aside = Ident::new(schema::names::make_object_name(
        name.name.as_str(),
        None,
        "trr_old",
    ));
    let mut out = vec![
        format!(
            "{}\n-- One transaction, so that a failure leaves the type as it was.",
            sql::comment(&format!(
                "Fails if rows still hold the label {}: change them first.",
                literal(value)
            ))
        ),
        "BEGIN;".to_string(),
        format!("ALTER TYPE {name} RENAME TO {aside};"),
        create_enum(&rebuilt),
    ];
    for table in env.current.tables.values() {
        let users: Vec<&schema::Column> = table
            .columns
            .iter()
            .filter(|c| c.ty.user_defined().as_ref() == Some(name))
            .collect();
        if users.is_empty() {
            continue;
        }
        // Checks and index expressions on these columns may hold labels
        // typed with the old type: PostgreSQL cannot re-parse them across
        // the type change, so they are dropped and created again.
        let uses = |columns: Vec<Ident>| users.iter().any(|c| columns.contains(&c.name));
        let checks: Vec<&schema::Constraint> = table
            .constraints
            .values()
            .filter(|c| match &c.kind {
                ConstraintKind::Check { expr, .. } => uses(expr.columns()),
                _ => false,
            })
            .collect();
        let indexes: Vec<&schema::Index> = env
            .current
            .indexes_on(&table.name)
            .filter(|i| {
                let mut columns: Vec<Ident> =
                    i.predicate.iter().flat_map(|p| p.columns()).collect();
                for key in &i.keys {
                    if let schema::IndexTarget::Expression(e) = &key.target {
                        columns.extend(e.columns());
                    }
                }
                uses(columns)
            })
            .collect();
        for check in &checks {
            out.push(alter_table(
                &table.name,
                format!("DROP CONSTRAINT {}", check.name),
            ));
        }
        for index in &indexes {
            out.push(format!("DROP INDEX {};", index.name));
        }
        for column in &users {
            let via = if column.ty.is_array() {
                "text[]"
            } else {
                "text"
            };
            if column.default.is_some() {
                out.push(alter_column(&table.name, &column.name, "DROP DEFAULT"));
            }
            out.push(alter_column(
                &table.name,
                &column.name,
                format!(
                    "TYPE {} USING {}::{via}::{}",
                    column.ty, column.name, column.ty
                ),
            ));
            if let Some(default) = &column.default {
                out.push(alter_column(
                    &table.name,
                    &column.name,
                    format!("SET DEFAULT {}", default.sql()),
                ));
            }
        }
        for check in &checks {
            out.push(alter_table(
                &table.name,
                format!("ADD {}", constraint_def(check)),
            ));
        }
        for index in &indexes {
            out.push(create_index(index, false));
            if let Some(c) = &index.comment {
                out.push(comment_sql(
                    &CommentTarget::Index {
                        index: index.name.clone(),
                    },
                    Some(c),
                ));
            }
        }
    }
    out.push(format!(
        "DROP TYPE {};",
        QualName::new(name.schema.clone(), aside)
    ));
    if let Some(c) = env.current.enums.get(name).and_then(|e| e.comment.as_ref()) {
        out.push(comment_sql(
            &CommentTarget::Enum { name: name.clone() },
            Some(c),
        ));
    }
    out.push("COMMIT;".to_string());
    out.join("\n")
}
