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
