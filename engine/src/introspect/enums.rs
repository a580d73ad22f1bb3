//! Enum types: labels in `enumsortorder`, comments.

use super::{Reader, get};
use schema::{Catalog, Enum, Ident, QualName};

pub(super) fn read(
    reader: &mut Reader,
    catalog: &mut Catalog,
) -> Result<(), super::IntrospectError> {
    let schemas = reader.schemas.clone();
    let rows = reader.query(
        "enum types",
        "SELECT n.nspname::text, t.typname::text, obj_description(t.oid, 'pg_type'),
                ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                       WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
           FROM pg_type t
           JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE t.typtype = 'e'
            AND n.nspname::text = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')",
        &[&schemas],
    )?;
    for row in rows {
        let name = QualName::new(
            Ident::new(get::<String>(&row, 0, "enum types")?),
            Ident::new(get::<String>(&row, 1, "enum types")?),
        );
        let comment = get(&row, 2, "enum types")?;
        let values = get(&row, 3, "enum labels")?;
        catalog.enums.insert(
            name.clone(),
            Enum {
                name,
                values,
                comment,
            },
        );
    }
    Ok(())
}
