//! Schemas the platform provides: Supabase creates them (and PostgreSQL its
//! catalogs) before any migration runs. Objects there are external:
//! migrations and KDL files reference them (`auth.users`), and a plan never
//! creates or drops them. The one list that config checks, KDL loading and
//! SQL replay share.

use crate::catalog::Catalog;
use crate::ident::{DEFAULT_SCHEMA, Ident};
use crate::security::{
    DefaultPrivilege, Grant, GrantTarget, ObjectClass, PUBLIC, Privilege,
    builtin_default_privileges,
};

/// The roles Supabase's API runs as; granted what the platform grants.
pub const API_ROLES: &[&str] = &["anon", "authenticated", "service_role"];

/// What every project starts from before its first migration, for the
/// objects the Catalog models: PostgreSQL's built-in default privileges
/// (`EXECUTE` on functions and `USAGE` on types to `PUBLIC`), `USAGE` on
/// `public` for `PUBLIC` and the API roles, and Supabase's default
/// privileges in `public` (everything on tables and sequences, `EXECUTE` on
/// functions, to the API roles). Replay starts from it and KDL loading adds
/// the declaration to it, so neither side plans these away; the Supabase
/// stand-in installs the same.
pub fn platform_catalog() -> Catalog {
    let mut catalog = Catalog::default();
    catalog
        .default_privileges
        .extend(builtin_default_privileges());
    let public = Ident::new(DEFAULT_SCHEMA);
    for grantee in std::iter::once(PUBLIC).chain(API_ROLES.iter().copied()) {
        catalog.grants.insert(Grant {
            on: GrantTarget::Schema {
                schema: public.clone(),
            },
            grantee: Ident::new(grantee),
            privilege: Privilege::Usage,
            grantable: false,
        });
    }
    for objects in [
        ObjectClass::Table,
        ObjectClass::Sequence,
        ObjectClass::Function,
    ] {
        for role in API_ROLES {
            for &privilege in Privilege::all_for(objects) {
                catalog.default_privileges.insert(DefaultPrivilege {
                    schema: Some(public.clone()),
                    objects,
                    grantee: Ident::new(*role),
                    privilege,
                    grantable: false,
                });
            }
        }
    }
    catalog
}

/// Every provided schema, sorted. `public` is among them (it exists in every
/// database) but is the one a project may manage: see [`is_external_schema`].
pub const PROVIDED_SCHEMAS: &[&str] = &[
    "auth",
    "extensions",
    "graphql",
    "graphql_public",
    "information_schema",
    "net",
    "pg_catalog",
    "pgsodium",
    "public",
    "realtime",
    "storage",
    "supabase_functions",
    "vault",
];

/// Whether `schema` exists without a migration creating it (`public`
/// included).
pub fn is_provided_schema(schema: &str) -> bool {
    PROVIDED_SCHEMAS.contains(&schema)
}

/// Whether `schema` belongs to the platform, so a project may not manage it:
/// every provided schema but `public`.
pub fn is_external_schema(schema: &str) -> bool {
    schema != DEFAULT_SCHEMA && is_provided_schema(schema)
}

/// Who provides an external schema, for messages: PostgreSQL for its
/// catalogs, Supabase for the rest. `None` for schemas a project may manage.
pub fn provider(schema: &str) -> Option<&'static str> {
    match schema {
        "pg_catalog" | "information_schema" => Some("PostgreSQL"),
        s if is_external_schema(s) => Some("Supabase"),
        _ => None,
    }
}

/// The primary-key columns of the platform tables migrations reference
/// without a column list (`REFERENCES auth.users`), as Supabase defines them.
pub fn platform_primary_key(schema: &str, table: &str) -> Option<&'static [&'static str]> {
    match (schema, table) {
        ("auth", "users" | "identities" | "sessions" | "audit_log_entries")
        | ("storage", "buckets" | "objects") => Some(&["id"]),
        _ => None,
    }
}

/// A table of a provided schema that projects reference, for hints.
pub fn example_table(schema: &str) -> String {
    match schema {
        "auth" => "auth.users".into(),
        "storage" => "storage.objects".into(),
        other => format!("{other}.<table>"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_public_is_not_external() {
        assert!(PROVIDED_SCHEMAS.windows(2).all(|w| w[0] < w[1]));
        assert!(is_provided_schema("public") && !is_external_schema("public"));
        assert!(is_external_schema("auth") && is_external_schema("storage"));
        assert!(!is_provided_schema("core") && !is_external_schema("core"));
        assert_eq!(provider("auth"), Some("Supabase"));
        assert_eq!(provider("pg_catalog"), Some("PostgreSQL"));
        assert_eq!(provider("public"), None);
        assert_eq!(provider("core"), None);
    }
}
