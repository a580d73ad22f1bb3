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

/// The GRANT and REVOKE statements that give `on`, just created with the
/// desired default privileges, the privileges it holds in `current`: what
/// a rollback that recreates a dropped object runs after its CREATE.
pub(crate) fn restore_grants(on: &GrantTarget, class: ObjectClass, env: &Env) -> Vec<String> {
    use std::collections::{BTreeMap, BTreeSet};
    let mut have: BTreeMap<Ident, BTreeMap<Privilege, bool>> = BTreeMap::new();
    for (grantee, privilege, grantable) in env.desired.default_grants(class, on.schema()) {
        have.entry(grantee)
            .or_default()
            .insert(privilege, grantable);
    }
    let mut want: BTreeMap<Ident, BTreeMap<Privilege, bool>> = BTreeMap::new();
    for g in env.current.grants.iter().filter(|g| &g.on == on) {
        want.entry(g.grantee.clone())
            .or_default()
            .insert(g.privilege, g.grantable);
    }
    let grantees: BTreeSet<&Ident> = have.keys().chain(want.keys()).collect();
    let empty = BTreeMap::new();
    let mut out = Vec::new();
    for grantee in grantees {
        let d = crate::diff::grant_delta(
            have.get(grantee).unwrap_or(&empty),
            want.get(grantee).unwrap_or(&empty),
        );
        for (privileges, option_only) in [
            (&d.revoke, false),
            (&d.revoke_held_option, false),
            (&d.revoke_option, true),
        ] {
            if !privileges.is_empty() {
                out.push(revoke_sql(on, grantee, privileges, option_only));
            }
        }
        for (privileges, option) in [
            (&d.grant, false),
            (&d.grant_with_option, true),
            (&d.add_option, true),
        ] {
            if !privileges.is_empty() {
                out.push(grant_sql(on, grantee, privileges, option));
            }
        }
    }
    out
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
            option_only,
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
                sql_rollback(revoke_sql(on, grantee, privileges, *option_only)),
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
            had_option,
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
                sql_rollback(grant_sql(on, grantee, privileges, *had_option)),
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
            option_only,
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
                    // Undoing a grant revokes what it gave (the option only,
                    // when only the option was new); undoing a revoke gives
                    // back what it took.
                    sql_rollback(default_sql(
                        schema,
                        *objects,
                        grantee,
                        privileges,
                        !*grant,
                        // For a revoke, `option_only` says the privileges
                        // were held with the option.
                        *option_only,
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
