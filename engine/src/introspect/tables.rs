//! Tables and their columns: types, NOT NULL, defaults, identity,
//! generated columns, comments; row-level security flags.

use super::{IntrospectError, Reader, TableOids, canonical_type, get, parse_expr};
use schema::{Catalog, Column, Ident, Identity, QualName, Table};

/// Reads the ordinary and partitioned tables of the managed schemas (not
/// partitions, not extension members) and returns their oids.
pub(super) fn read(
    reader: &mut Reader,
    catalog: &mut Catalog,
) -> Result<TableOids, IntrospectError> {
    let schemas = reader.schemas.clone();
    let rows = reader.query(
        "tables",
        "SELECT c.oid, n.nspname::text, c.relname::text, obj_description(c.oid, 'pg_class'),
                c.relrowsecurity, c.relforcerowsecurity
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('r', 'p')
            AND NOT c.relispartition
            AND n.nspname::text = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')",
        &[&schemas],
    )?;
    let mut oids = TableOids::new();
    for row in rows {
        let oid: u32 = get(&row, 0, "tables")?;
        let name = QualName::new(
            Ident::new(get::<String>(&row, 1, "tables")?),
            Ident::new(get::<String>(&row, 2, "tables")?),
        );
        let mut table = Table::new(name.clone());
        table.comment = get(&row, 3, "tables")?;
        table.rls_enabled = get(&row, 4, "tables")?;
        table.rls_forced = get(&row, 5, "tables")?;
        catalog.tables.insert(name.clone(), table);
        oids.insert(oid, name);
    }

    let oid_list: Vec<u32> = oids.keys().copied().collect();
    let rows = reader.query(
        "columns",
        "SELECT a.attrelid, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                a.attidentity::text, a.attgenerated::text, pg_get_expr(d.adbin, d.adrelid, true),
                col_description(a.attrelid, a.attnum)
           FROM pg_attribute a
           LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
          ORDER BY a.attrelid, a.attnum",
        &[&oid_list],
    )?;
    for row in rows {
        let oid: u32 = get(&row, 0, "columns")?;
        let table_name = &oids[&oid];
        let name = Ident::new(get::<String>(&row, 1, "columns")?);
        let object = || format!("column {table_name}.{name}");
        let mut column = Column::new(
            name.clone(),
            canonical_type(&get::<String>(&row, 2, "column types")?),
        );
        column.nullable = !get::<bool>(&row, 3, "columns")?;
        column.identity = match get::<String>(&row, 4, "columns")?.as_str() {
            "" => None,
            "a" => Some(Identity::Always),
            "d" => Some(Identity::ByDefault),
            other => {
                return Err(IntrospectError::Unexpected {
                    object: object(),
                    detail: format!("unknown attidentity `{other}`"),
                });
            }
        };
        let generated = match get::<String>(&row, 5, "columns")?.as_str() {
            "" => false,
            "s" => true,
            other => {
                return Err(IntrospectError::Unexpected {
                    object: object(),
                    detail: format!(
                        "unknown attgenerated `{other}` (only STORED generated columns are supported)"
                    ),
                });
            }
        };
        if let Some(text) = get::<Option<String>>(&row, 6, "column defaults")? {
            let expr = parse_expr(object, &text)?;
            if generated {
                column.generated = Some(expr);
            } else {
                column.default = Some(expr);
            }
        }
        column.comment = get(&row, 7, "column comments")?;
        let table = catalog
            .tables
            .get_mut(table_name)
            .expect("every oid was read as a table");
        table.columns.push(column);
    }
    Ok(oids)
}
