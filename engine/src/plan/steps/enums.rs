//! Steps for enum types and their labels.

use super::*;

pub(super) fn draft(change: &Change) -> Option<Parts> {
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
                    irreversible(format!(
                        "PostgreSQL cannot remove the label {} from {name}; recreate the type to undo",
                        literal(value)
                    )),
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
