//! Enum types: create, drop, add labels; removing or reordering labels
//! recreates an unused type and is reported as unsupported for a used one.

use super::{Change, Ctx, EnumPosition};
use schema::{Catalog, Enum, QualName};
use std::collections::BTreeSet;

/// Returns the enums that are dropped and created again.
pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) -> BTreeSet<QualName> {
    let mut recreated = BTreeSet::new();
    for (name, want) in &ctx.desired.enums {
        let Some(have) = ctx.current.enums.get(name) else {
            out.push(Change::CreateEnum(want.clone()));
            continue;
        };
        if have.values == want.values {
            continue;
        }
        let kept: Vec<&String> = want
            .values
            .iter()
            .filter(|v| have.values.contains(v))
            .collect();
        if kept.len() == have.values.len() && kept.iter().zip(&have.values).all(|(a, b)| *a == b) {
            add_values(have, want, out);
            continue;
        }
        let used_by = users(ctx.full_current, name);
        if used_by.is_empty() {
            out.push(Change::DropEnum {
                enum_: have.clone(),
                replaced: true,
            });
            out.push(Change::CreateEnum(want.clone()));
            recreated.insert(name.clone());
        } else {
            out.push(Change::UnsupportedEnumChange {
                from: have.clone(),
                to: want.clone(),
                used_by,
            });
        }
    }
    for (name, have) in &ctx.current.enums {
        if !ctx.desired.enums.contains_key(name) {
            out.push(Change::DropEnum {
                enum_: have.clone(),
                replaced: false,
            });
        }
    }
    recreated
}

/// `ADD VALUE` for each new label, in order: after its predecessor in the
/// desired list (which exists by then), or before the first old label.
fn add_values(have: &Enum, want: &Enum, out: &mut Vec<Change>) {
    for (i, value) in want.values.iter().enumerate() {
        if have.values.contains(value) {
            continue;
        }
        let position = if i > 0 {
            EnumPosition::After(want.values[i - 1].clone())
        } else if let Some(first) = have.values.first() {
            EnumPosition::Before(first.clone())
        } else {
            EnumPosition::End
        };
        out.push(Change::AddEnumValue {
            name: want.name.clone(),
            value: value.clone(),
            position,
        });
    }
}

/// Columns (`schema.table.column`) whose type is `name` or an array of it.
pub(crate) fn users(catalog: &Catalog, name: &QualName) -> Vec<String> {
    let mut found = Vec::new();
    for table in catalog.tables.values() {
        for column in &table.columns {
            if column.ty.element().user_defined().as_ref() == Some(name) {
                found.push(format!("{}.{}", table.name, column.name));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::{Catalog, Enum};

    fn with_enum(values: &[&str], used: bool) -> Catalog {
        let mut c = catalog(
            &["core"],
            if used {
                vec![table("core.t", &[("s", "core.e[]")])]
            } else {
                vec![]
            },
        );
        let name = qn("core.e");
        c.enums.insert(
            name.clone(),
            Enum {
                name,
                values: values.iter().map(|v| v.to_string()).collect(),
                comment: None,
            },
        );
        c
    }

    #[test]
    fn new_labels_are_added_in_place() {
        let changes = diff(
            &with_enum(&["b", "d"], true),
            &with_enum(&["a", "b", "c", "d", "e"], true),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            [
                "add a to core.e Before(\"b\")",
                "add c to core.e After(\"b\")",
                "add e to core.e After(\"d\")",
            ]
        );
    }

    #[test]
    fn removal_recreates_unused_types_and_reports_used_ones() {
        let changes = diff(
            &with_enum(&["a", "b"], false),
            &with_enum(&["b", "a"], false),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            ["drop enum core.e replaced=true", "create enum core.e"]
        );
        let changes = diff(
            &with_enum(&["a", "b"], true),
            &with_enum(&["a"], true),
            &core(),
        );
        assert_eq!(brief(&changes), ["unsupported core.e used by core.t.s"]);
    }
}
