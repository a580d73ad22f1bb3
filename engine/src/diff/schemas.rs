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
