//! Extensions: global objects. Declared ones are created or moved; missing
//! ones are dropped only from managed schemas (see the module rules in
//! [`super`]).

use super::{Change, Ctx};
use schema::Ident;
use schema::ident::DEFAULT_SCHEMA;

/// The schema an extension lives in; `None` is PostgreSQL's default.
pub(crate) fn ext_schema(schema: &Option<Ident>) -> Ident {
    schema.clone().unwrap_or_else(|| Ident::new(DEFAULT_SCHEMA))
}

pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) {
    for (name, ext) in &ctx.desired.extensions {
        match ctx.current.extensions.get(name) {
            None => out.push(Change::CreateExtension(ext.clone())),
            Some(cur) if ext_schema(&cur.schema) != ext_schema(&ext.schema) => {
                out.push(Change::AlterExtensionSchema {
                    name: name.clone(),
                    from: cur.schema.clone(),
                    to: ext.schema.clone(),
                })
            }
            Some(_) => {}
        }
    }
    for (name, ext) in &ctx.current.extensions {
        if !ctx.desired.extensions.contains_key(name)
            && ctx.managed.contains(&ext_schema(&ext.schema))
        {
            out.push(Change::DropExtension(ext.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::{Catalog, Extension};

    fn with(exts: &[(&str, Option<&str>)]) -> Catalog {
        let mut c = Catalog::default();
        for (name, schema) in exts {
            c.extensions.insert(
                id(name),
                Extension {
                    name: id(name),
                    schema: schema.map(id),
                },
            );
        }
        c
    }

    #[test]
    fn declared_extensions_are_created_or_moved() {
        let current = with(&[("citext", None)]);
        let desired = with(&[("citext", Some("extensions")), ("pgcrypto", None)]);
        assert_eq!(
            brief(&diff(&current, &desired, &core())),
            ["move extension citext", "create extension pgcrypto"]
        );
        // No schema and `public` are the same place.
        assert!(
            diff(
                &with(&[("citext", None)]),
                &with(&[("citext", Some("public"))]),
                &core()
            )
            .is_empty()
        );
    }

    #[test]
    fn undeclared_extensions_are_dropped_only_from_managed_schemas() {
        let current = with(&[
            ("citext", None),
            ("pg_graphql", Some("graphql")),
            ("pgcrypto", Some("core")),
        ]);
        let desired = Catalog::default();
        assert_eq!(
            brief(&diff(&current, &desired, &core())),
            ["drop extension citext", "drop extension pgcrypto"]
        );
    }
}
