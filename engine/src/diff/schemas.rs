//! Schemas: created and dropped inside the managed set, never `public`.

use super::{Change, Ctx};
use schema::ident::DEFAULT_SCHEMA;

pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) {
    for (name, schema) in &ctx.desired.schemas {
        if name.as_str() != DEFAULT_SCHEMA && !ctx.current.schemas.contains_key(name) {
            out.push(Change::CreateSchema(schema.clone()));
        }
    }
    for (name, schema) in &ctx.current.schemas {
        if name.as_str() != DEFAULT_SCHEMA && !ctx.desired.schemas.contains_key(name) {
            out.push(Change::DropSchema(schema.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};

    #[test]
    fn creates_and_drops_managed_schemas_only() {
        let current = catalog(&["old", "public", "auth"], vec![]);
        let desired = catalog(&["core", "public"], vec![]);
        let managed = vec![id("core"), id("old"), id("public")];
        assert_eq!(
            brief(&diff(&current, &desired, &managed)),
            ["create schema core", "drop schema old"]
        );
        // `auth` is not managed: never dropped; `public` is never dropped.
        let desired = catalog(&[], vec![]);
        let managed = vec![id("public")];
        assert!(diff(&current, &desired, &managed).is_empty());
    }
}
