//! `GRANT`, `REVOKE` and `ALTER DEFAULT PRIVILEGES`.

use super::policies::role_list;
use super::*;
use schema::{GrantTarget, ObjectClass, Privilege};

fn privilege_list(privileges: &[Privilege], column: Option<&Ident>) -> String {
    privileges
        .iter()
        .map(|p| match column {
            Some(c) => format!("{} ({})", p.sql(), c.quoted()),
            None => p.sql().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `privileges ON object` as GRANT and REVOKE take them.
fn on_clause(on: &GrantTarget, privileges: &[Privilege]) -> String {
    match on {
        GrantTarget::Column { table, column } => {
            format!(
                "{} ON TABLE {table}",
                privilege_list(privileges, Some(column))
            )
        }
        other => format!("{} ON {other}", privilege_list(privileges, None)),
    }
}

pub(crate) fn grant_sql(
    on: &GrantTarget,
    grantee: &Ident,
    privileges: &[Privilege],
    option: bool,
) -> String {
    format!(
        "GRANT {} TO {}{};",
        on_clause(on, privileges),
        role_list(std::slice::from_ref(grantee)),
        if option { " WITH GRANT OPTION" } else { "" }
    )
}

pub(crate) fn revoke_sql(
    on: &GrantTarget,
    grantee: &Ident,
    privileges: &[Privilege],
    option_only: bool,
) -> String {
    format!(
        "REVOKE {}{} FROM {};",
        if option_only { "GRANT OPTION FOR " } else { "" },
        on_clause(on, privileges),
        role_list(std::slice::from_ref(grantee))
    )
}

pub(crate) fn objects_word(objects: ObjectClass) -> &'static str {
    match objects {
        ObjectClass::Schema => "SCHEMAS",
        ObjectClass::Table | ObjectClass::Column => "TABLES",
        ObjectClass::Sequence => "SEQUENCES",
        ObjectClass::Function => "FUNCTIONS",
        ObjectClass::Type => "TYPES",
    }
}

fn default_sql(
    schema: &Option<Ident>,
    objects: ObjectClass,
    grantee: &Ident,
    privileges: &[Privilege],
    grant: bool,
    option: bool,
) -> String {
    let scope = match schema {
        Some(s) => format!(" IN SCHEMA {s}"),
        None => String::new(),
    };
    let list = privilege_list(privileges, None);
    let who = role_list(std::slice::from_ref(grantee));
    let what = objects_word(objects);
    if grant {
        format!(
            "ALTER DEFAULT PRIVILEGES{scope} GRANT {list} ON {what} TO {who}{};",
            if option { " WITH GRANT OPTION" } else { "" }
        )
    } else {
        format!(
            "ALTER DEFAULT PRIVILEGES{scope} REVOKE {}{list} ON {what} FROM {who};",
            if option { "GRANT OPTION FOR " } else { "" }
        )
    }
}

/// The object a grant is listed under: the table for its columns' grants,
/// so a table's changes read together.
fn target_ref(on: &GrantTarget) -> ObjectRef {
    match on {
        GrantTarget::Schema { schema } => obj(ObjectKind::Schema, schema),
        GrantTarget::Table { table } => obj(ObjectKind::Table, table),
        GrantTarget::Column { table, column } => obj(ObjectKind::Column, colname(table, column)),
        GrantTarget::Sequence { sequence } => obj(ObjectKind::Sequence, sequence),
        GrantTarget::Function { function } => obj(ObjectKind::Function, function),
    }
}

fn words(privileges: &[Privilege]) -> String {
    privileges
        .iter()
        .map(|p| p.sql())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn draft(change: &Change) -> Option<Parts> {
    use Action::*;
    Some(match change {
        Change::Grant {
            on,
            grantee,
            privileges,
            grant_option,
        } => (
            step(
                target_ref(on),
                Alter,
                format!(
                    "grant {} on {on} to {grantee}{}",
                    words(privileges),
                    if *grant_option {
                        " with grant option"
                    } else {
                        ""
                    }
                ),
                grant_sql(on, grantee, privileges, *grant_option),
                sql_rollback(revoke_sql(on, grantee, privileges, *grant_option)),
                vec![],
            ),
            FileKind::Expand,
            30,
            None,
        ),
        Change::Revoke {
            on,
            grantee,
            privileges,
            grant_option_only,
        } => (
            step(
                target_ref(on),
                Alter,
                format!(
                    "revoke {}{} on {on} from {grantee}",
                    if *grant_option_only {
                        "grant option for "
                    } else {
                        ""
                    },
                    words(privileges)
                ),
                revoke_sql(on, grantee, privileges, *grant_option_only),
                sql_rollback(grant_sql(on, grantee, privileges, *grant_option_only)),
                vec![],
            ),
            FileKind::Expand,
            1,
            None,
        ),
        Change::DefaultPrivileges {
            schema,
            objects,
            grantee,
            privileges,
            grant,
            grant_option,
        } => {
            let scope = match schema {
                Some(s) => format!("in schema {s}"),
                None => "global".to_string(),
            };
            (
                step(
                    obj(ObjectKind::DefaultPrivileges, &scope),
                    Alter,
                    format!(
                        "default privileges {scope}: {} {}{} on {} {} {grantee}",
                        if *grant { "grant" } else { "revoke" },
                        if *grant_option && !*grant {
                            "grant option for "
                        } else {
                            ""
                        },
                        words(privileges),
                        objects_word(*objects).to_lowercase(),
                        if *grant { "to" } else { "from" },
                    ),
                    default_sql(schema, *objects, grantee, privileges, *grant, *grant_option),
                    sql_rollback(default_sql(
                        schema,
                        *objects,
                        grantee,
                        privileges,
                        !*grant,
                        *grant_option,
                    )),
                    vec![],
                ),
                FileKind::Expand,
                2,
                None,
            )
        }
        _ => return None,
    })
}
