//! Primary keys and unique, check and foreign-key constraints.

use super::{IntrospectError, Reader, TableOids, get, parse_expr};
use schema::{
    Catalog, Constraint, ConstraintKind, Deferral, FkAction, ForeignKey, Ident, PrimaryKey,
    QualName,
};

pub(super) fn read(
    reader: &mut Reader,
    tables: &TableOids,
    catalog: &mut Catalog,
) -> Result<(), IntrospectError> {
    let oid_list: Vec<u32> = tables.keys().copied().collect();
    // `indnullsnotdistinct` exists from PostgreSQL 15 on.
    let nulls_not_distinct = if reader.version >= 150000 {
        "COALESCE(con.contype = 'u' AND i.indnullsnotdistinct, false)"
    } else {
        "false"
    };
    let sql = format!(
        "SELECT con.conrelid, con.conname::text, con.contype::text, con.condeferrable, con.condeferred,
                ARRAY(SELECT a.attname::text
                        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                       ORDER BY k.ord),
                fn.nspname::text, fc.relname::text,
                ARRAY(SELECT a.attname::text
                        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                       ORDER BY k.ord),
                con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
                pg_get_expr(con.conbin, con.conrelid, true), con.connoinherit,
                {nulls_not_distinct}, NOT con.convalidated
           FROM pg_constraint con
           LEFT JOIN pg_class fc ON fc.oid = con.confrelid
           LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
           LEFT JOIN pg_index i ON i.indexrelid = con.conindid
          WHERE con.conrelid = ANY($1) AND con.contype IN ('p', 'u', 'c', 'f')
          ORDER BY con.conrelid, con.conname"
    );
    let rows = reader.query("constraints", &sql, &[&oid_list])?;
    for row in rows {
        let what = "constraints";
        let oid: u32 = get(&row, 0, what)?;
        let table_name = &tables[&oid];
        let name = Ident::new(get::<String>(&row, 1, what)?);
        let object = || format!("constraint {name} on {table_name}");
        let contype: String = get(&row, 2, what)?;
        let deferral = match (get::<bool>(&row, 3, what)?, get::<bool>(&row, 4, what)?) {
            (false, _) => Deferral::NotDeferrable,
            (true, false) => Deferral::DeferrableInitiallyImmediate,
            (true, true) => Deferral::DeferrableInitiallyDeferred,
        };
        let columns: Vec<Ident> = get::<Vec<String>>(&row, 5, what)?
            .into_iter()
            .map(Ident::new)
            .collect();
        let kind = match contype.as_str() {
            "p" => {
                let table = catalog
                    .tables
                    .get_mut(table_name)
                    .expect("constraints of read tables");
                table.primary_key = Some(PrimaryKey { name, columns });
                continue;
            }
            "u" => ConstraintKind::Unique {
                columns,
                nulls_not_distinct: get(&row, 14, what)?,
                deferral,
            },
            "c" => {
                let text: String = get(&row, 12, what)?;
                ConstraintKind::Check {
                    expr: parse_expr(object, &text)?,
                    no_inherit: get(&row, 13, what)?,
                }
            }
            "f" => {
                let ref_table = QualName::new(
                    Ident::new(get::<String>(&row, 6, what)?),
                    Ident::new(get::<String>(&row, 7, what)?),
                );
                let ref_columns = get::<Vec<String>>(&row, 8, what)?
                    .into_iter()
                    .map(Ident::new)
                    .collect();
                let on_update = fk_action(&get::<String>(&row, 9, what)?)
                    .ok_or_else(|| unexpected(object(), "confupdtype"))?;
                let on_delete = fk_action(&get::<String>(&row, 10, what)?)
                    .ok_or_else(|| unexpected(object(), "confdeltype"))?;
                let match_full = match get::<String>(&row, 11, what)?.as_str() {
                    "s" => false,
                    "f" => true,
                    _ => {
                        return Err(unexpected(
                            object(),
                            "confmatchtype (MATCH PARTIAL is not supported)",
                        ));
                    }
                };
                ConstraintKind::ForeignKey(ForeignKey {
                    columns,
                    ref_table,
                    ref_columns,
                    on_delete,
                    on_update,
                    match_full,
                    deferral,
                })
            }
            _ => unreachable!("the query selects p, u, c and f only"),
        };
        let table = catalog
            .tables
            .get_mut(table_name)
            .expect("constraints of read tables");
        let mut constraint = Constraint::new(name.clone(), kind);
        // Checks and foreign keys added NOT VALID and not validated yet.
        constraint.not_valid = get(&row, 15, what)?;
        table.constraints.insert(name, constraint);
    }
    Ok(())
}

fn fk_action(code: &str) -> Option<FkAction> {
    Some(match code {
        "a" => FkAction::NoAction,
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => return None,
    })
}

fn unexpected(object: String, field: &str) -> IntrospectError {
    IntrospectError::Unexpected {
        object,
        detail: format!("unknown {field} value"),
    }
}
