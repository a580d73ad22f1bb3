//! `CREATE TYPE … AS ENUM` and `ALTER TYPE` (add/rename value, rename type).

use super::errors::{StmtError, StmtResult};
use super::{Replay, display_name, qual_name};
use schema::{Enum, QualName};
use sqlparser::ast;

pub(super) fn create_enum(
    r: &mut Replay,
    name: &ast::ObjectName,
    labels: &[ast::Ident],
) -> StmtResult {
    let name = qual_name(name)?;
    r.require_schema(&name.schema)?;
    if type_taken(r, &name) {
        return Err(StmtError::duplicate(format!(
            "type \"{}\" already exists",
            display_name(&name)
        ))
        .hint("drop the type first, or ALTER TYPE … ADD VALUE to extend an enum"));
    }
    let mut values: Vec<String> = Vec::new();
    for label in labels {
        if values.contains(&label.value) {
            return Err(StmtError::invalid(format!(
                "enum label \"{}\" used more than once",
                label.value
            )));
        }
        values.push(label.value.clone());
    }
    r.catalog.enums.insert(
        name.clone(),
        Enum {
            name,
            values,
            comment: None,
        },
    );
    Ok(())
}

/// Tables have a row type of the same name, so they take type names too.
fn type_taken(r: &Replay, name: &QualName) -> bool {
    r.catalog.enums.contains_key(name) || r.catalog.tables.contains_key(name)
}

pub(super) fn alter_type(r: &mut Replay, alter: &ast::AlterType) -> StmtResult {
    let name = qual_name(&alter.name)?;
    let missing = || {
        StmtError::missing(format!("type \"{}\" does not exist", display_name(&name)))
            .hint("only enums created by earlier migrations can be altered")
    };
    match &alter.operation {
        ast::AlterTypeOperation::AddValue(add) => {
            let e = r.catalog.enums.get_mut(&name).ok_or_else(missing)?;
            let value = add.value.value.clone();
            if e.values.contains(&value) {
                if add.if_not_exists {
                    return Ok(());
                }
                return Err(
                    StmtError::duplicate(format!("enum label \"{value}\" already exists"))
                        .hint("use ADD VALUE IF NOT EXISTS"),
                );
            }
            let at = match &add.position {
                None => e.values.len(),
                Some(
                    ast::AlterTypeAddValuePosition::Before(n)
                    | ast::AlterTypeAddValuePosition::After(n),
                ) => {
                    let i = e.values.iter().position(|v| v == &n.value).ok_or_else(|| {
                        StmtError::invalid(format!("\"{}\" is not an existing enum label", n.value))
                    })?;
                    if matches!(add.position, Some(ast::AlterTypeAddValuePosition::After(_))) {
                        i + 1
                    } else {
                        i
                    }
                }
            };
            e.values.insert(at, value);
        }
        ast::AlterTypeOperation::RenameValue(rename) => {
            let e = r.catalog.enums.get_mut(&name).ok_or_else(missing)?;
            if e.values.contains(&rename.to.value) {
                return Err(StmtError::duplicate(format!(
                    "enum label \"{}\" already exists",
                    rename.to.value
                )));
            }
            let slot = e
                .values
                .iter_mut()
                .find(|v| **v == rename.from.value)
                .ok_or_else(|| {
                    StmtError::invalid(format!(
                        "\"{}\" is not an existing enum label",
                        rename.from.value
                    ))
                })?;
            *slot = rename.to.value.clone();
            rename_default_label(r, &name, &rename.from.value, &rename.to.value);
        }
        ast::AlterTypeOperation::Rename(rename) => {
            if !r.catalog.enums.contains_key(&name) {
                return Err(missing());
            }
            let to = QualName::new(
                name.schema.clone(),
                schema::Ident::from_ast(&rename.new_name),
            );
            if type_taken(r, &to) {
                return Err(StmtError::duplicate(format!(
                    "type \"{}\" already exists",
                    display_name(&to)
                )));
            }
            super::rename::move_enum(r, &name, &to);
        }
    }
    Ok(())
}

/// A default stores the label's OID, so PostgreSQL shows the new label
/// after `RENAME VALUE`; mirror that for plain label defaults.
fn rename_default_label(r: &mut Replay, ty: &QualName, from: &str, to: &str) {
    let literal = |label: &str| format!("'{}'", label.replace('\'', "''"));
    for t in r.catalog.tables.values_mut() {
        for c in &mut t.columns {
            if c.ty.is_array() || c.ty.user_defined().as_ref() != Some(ty) {
                continue;
            }
            let Some(default) = &c.default else { continue };
            let text = default.sql();
            let cast = text
                .strip_prefix(&literal(from))
                .filter(|rest| rest.is_empty() || rest.starts_with("::"));
            if let Some(rest) = cast
                && let Ok(expr) = schema::Expr::parse(&format!("{}{rest}", literal(to)))
            {
                c.default = Some(expr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::Source;

    fn values(sql: &str) -> Vec<String> {
        let r = replay_sources(&[Source::new("m.sql", sql)]).unwrap();
        r.catalog.enums.values().next().unwrap().values.clone()
    }

    #[test]
    fn adds_values_in_position() {
        let v = values(
            "create type s as enum ('a', 'c'); alter type s add value 'b' before 'c'; \
             alter type s add value 'z'; alter type s add value 'y' after 'c'; alter type s add value if not exists 'a'",
        );
        assert_eq!(v, ["a", "b", "c", "y", "z"]);
    }

    #[test]
    fn renamed_labels_follow_into_defaults() {
        let r = replay_sources(&[Source::new(
            "m.sql",
            "create type s as enum ('a', 'b'); create table t (x s default 'a', y s default 'a'::s, z s default 'b');
             alter type s rename value 'a' to 'it''s'",
        )])
        .unwrap();
        let t = r.catalog.tables.values().next().unwrap();
        let d: Vec<&str> = t
            .columns
            .iter()
            .map(|c| c.default.as_ref().unwrap().sql())
            .collect();
        assert_eq!(d, ["'it''s'", "'it''s'::public.s", "'b'"]);
    }

    #[test]
    fn renames_values_and_refuses_duplicates() {
        assert_eq!(
            values("create type s as enum ('a'); alter type s rename value 'a' to 'b'"),
            ["b"]
        );
        let e = replay_sources(&[Source::new(
            "m.sql",
            "create type s as enum ('a'); alter type s add value 'a'",
        )]);
        assert!(e.unwrap_err().message.contains("already exists"));
    }
}
