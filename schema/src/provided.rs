//! Schemas the platform provides: Supabase creates them (and PostgreSQL its
//! catalogs) before any migration runs. Objects there are external:
//! migrations and KDL files reference them (`auth.users`), and a plan never
//! creates or drops them. The one list that config checks, KDL loading and
//! SQL replay share.

use crate::ident::DEFAULT_SCHEMA;

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
