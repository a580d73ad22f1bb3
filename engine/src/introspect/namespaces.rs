//! Schemas (with comments) and extensions.

use super::{Reader, get};
use schema::{Catalog, Extension, Ident, Schema};

pub(super) fn read(
    reader: &mut Reader,
    catalog: &mut Catalog,
) -> Result<(), super::IntrospectError> {
    let schemas = reader.schemas.clone();
    let rows = reader.query(
        "schemas",
        "SELECT n.nspname::text, obj_description(n.oid, 'pg_namespace')
           FROM pg_namespace n
          WHERE n.nspname::text = ANY($1)",
        &[&schemas],
    )?;
    for row in rows {
        let name = Ident::new(get::<String>(&row, 0, "schemas")?);
        let comment = get(&row, 1, "schemas")?;
        catalog
            .schemas
            .insert(name.clone(), Schema { name, comment });
    }

    // plpgsql is in every database; nobody declares it.
    let rows = reader.query(
        "extensions",
        "SELECT e.extname::text, n.nspname::text
           FROM pg_extension e
           JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname <> 'plpgsql'",
        &[],
    )?;
    for row in rows {
        let name = Ident::new(get::<String>(&row, 0, "extensions")?);
        let schema: String = get(&row, 1, "extensions")?;
        // `public` is where an extension lands without `SCHEMA`: same as none given.
        let schema = (schema != schema::ident::DEFAULT_SCHEMA).then(|| Ident::new(schema));
        catalog
            .extensions
            .insert(name.clone(), Extension { name, schema });
    }
    Ok(())
}
