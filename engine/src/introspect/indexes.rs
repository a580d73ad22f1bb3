//! Explicit indexes (not those behind a primary key, unique or exclusion
//! constraint): method, keys, operator classes, collations, ordering,
//! INCLUDE columns, predicate, storage parameters, comments.

use super::{IntrospectError, Reader, TableOids, get, object_name, parse_expr};
use schema::{Catalog, Ident, Index, IndexKey, IndexTarget, QualName};
use std::collections::BTreeMap;

/// `indoption` bits (`INDOPTION_DESC`, `INDOPTION_NULLS_FIRST`).
const DESC: i16 = 1;
const NULLS_FIRST: i16 = 2;

pub(super) fn read(
    reader: &mut Reader,
    tables: &TableOids,
    catalog: &mut Catalog,
) -> Result<(), IntrospectError> {
    let oid_list: Vec<u32> = tables.keys().copied().collect();
    let nulls_not_distinct = if reader.version >= 150000 {
        "i.indnullsnotdistinct"
    } else {
        "false"
    };
    let sql = format!(
        "SELECT i.indexrelid, i.indrelid, ic.relname::text, am.amname::text, i.indisunique,
                {nulls_not_distinct}, i.indnkeyatts::int,
                pg_get_expr(i.indpred, i.indrelid, true), ic.reloptions::text[],
                obj_description(i.indexrelid, 'pg_class')
           FROM pg_index i
           JOIN pg_class ic ON ic.oid = i.indexrelid
           JOIN pg_am am ON am.oid = ic.relam
          WHERE i.indrelid = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                             WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
                               AND con.contype IN ('p', 'u', 'x'))"
    );
    let rows = reader.query("indexes", &sql, &[&oid_list])?;
    let mut found: BTreeMap<u32, (Index, usize)> = BTreeMap::new();
    for row in rows {
        let what = "indexes";
        let oid: u32 = get(&row, 0, what)?;
        let table = tables[&get::<u32>(&row, 1, what)?].clone();
        let name = QualName::new(
            table.schema.clone(),
            Ident::new(get::<String>(&row, 2, what)?),
        );
        let predicate = match get::<Option<String>>(&row, 7, what)? {
            Some(text) => Some(parse_expr(|| format!("predicate of index {name}"), &text)?),
            None => None,
        };
        let with = get::<Option<Vec<String>>>(&row, 8, what)?
            .unwrap_or_default()
            .iter()
            .map(|option| storage_param(option))
            .collect();
        let key_count = usize::try_from(get::<i32>(&row, 6, what)?).unwrap_or(0);
        let index = Index {
            name,
            table,
            unique: get(&row, 4, what)?,
            method: get(&row, 3, what)?,
            keys: Vec::new(),
            include: Vec::new(),
            predicate,
            nulls_not_distinct: get(&row, 5, what)?,
            with,
            comment: get(&row, 9, what)?,
        };
        found.insert(oid, (index, key_count));
    }

    // One row per key and INCLUDE column, in position order. A key's
    // collation counts only when it differs from the column's (or, for an
    // expression, from its type's default), as in PostgreSQL's own deparse.
    let index_oids: Vec<u32> = found.keys().copied().collect();
    let rows = reader.query(
        "index keys",
        "SELECT i.indexrelid, k.ord::int, k.attnum::int, a.attname::text,
                pg_get_indexdef(i.indexrelid, k.ord::int, true),
                opc.opcname::text, opcn.nspname::text, COALESCE(opc.opcdefault, true),
                coll.collname::text, colln.nspname::text,
                COALESCE(k.coll <> 0 AND k.coll <> COALESCE(a.attcollation, ty.typcollation), false),
                COALESCE(k.opt, 0)::int2
           FROM pg_index i
          CROSS JOIN LATERAL unnest(i.indkey::int2[], i.indclass::oid[], i.indcollation::oid[], i.indoption::int2[])
                WITH ORDINALITY AS k(attnum, cls, coll, opt, ord)
           LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0
           LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.ord
           LEFT JOIN pg_type ty ON ty.oid = ia.atttypid
           LEFT JOIN pg_opclass opc ON opc.oid = k.cls
           LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
           LEFT JOIN pg_collation coll ON coll.oid = k.coll
           LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
          WHERE i.indexrelid = ANY($1)
          ORDER BY 1, 2",
        &[&index_oids],
    )?;
    for row in rows {
        let what = "index keys";
        let oid: u32 = get(&row, 0, what)?;
        let (index, key_count) = found.get_mut(&oid).expect("keys of read indexes");
        let position = usize::try_from(get::<i32>(&row, 1, what)?).unwrap_or(0);
        let column = get::<Option<String>>(&row, 3, what)?.map(Ident::new);
        if position > *key_count {
            let column = column.ok_or_else(|| IntrospectError::Unexpected {
                object: format!("index {}", index.name),
                detail: format!("INCLUDE position {position} is not a column"),
            })?;
            index.include.push(column);
            continue;
        }
        let target = match column {
            Some(column) => IndexTarget::Column(column),
            None => {
                let text: String = get(&row, 4, what)?;
                IndexTarget::Expression(parse_expr(
                    || format!("key {position} of index {}", index.name),
                    &text,
                )?)
            }
        };
        let opclass = match (
            get::<Option<String>>(&row, 5, what)?,
            get::<bool>(&row, 7, what)?,
        ) {
            (Some(name), false) => {
                let schema: String = get(&row, 6, what)?;
                Some(object_name(&schema, &name))
            }
            _ => None,
        };
        let collation = match (
            get::<Option<String>>(&row, 8, what)?,
            get::<bool>(&row, 10, what)?,
        ) {
            (Some(name), true) => {
                let schema: String = get(&row, 9, what)?;
                Some(object_name(&schema, &name))
            }
            _ => None,
        };
        let options: i16 = get(&row, 11, what)?;
        index.keys.push(IndexKey {
            target,
            collation,
            opclass,
            descending: options & DESC != 0,
            nulls_first: options & NULLS_FIRST != 0,
        });
    }

    for (index, _) in found.into_values() {
        catalog.indexes.insert(index.name.clone(), index);
    }
    Ok(())
}

/// `fillfactor=70` as the loader and replay store it: lower-case key and
/// value, no quotes.
fn storage_param(option: &str) -> (String, String) {
    let (key, value) = option.split_once('=').unwrap_or((option, ""));
    (
        key.trim().to_lowercase(),
        value.trim().trim_matches('\'').to_lowercase(),
    )
}
