//! Views and materialized views: the query `pg_get_viewdef` prints, column
//! names, options (`security_invoker`, `security_barrier`, `check_option`),
//! comments.
//!
//! `pg_get_viewdef` names every output column after the view's own column
//! (`CREATE VIEW v (a) AS SELECT id …` prints `SELECT t.id AS a …`), so the
//! query already carries the names and [`schema::View::columns`] stays
//! empty; it is filled only if the printed query names them differently
//! (which would be a PostgreSQL we do not know).

use super::{IntrospectError, Reader, TableOids, get};
use schema::{Catalog, CheckOption, Ident, QualName, Query, View};

/// Reads the views of the managed schemas (not extension members) and
/// returns their oids.
pub(super) fn read(
    reader: &mut Reader,
    catalog: &mut Catalog,
) -> Result<TableOids, IntrospectError> {
    let schemas = reader.schemas.clone();
    let what = "views";
    let rows = reader.query(
        what,
        "SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'm',
                pg_get_viewdef(c.oid, true), COALESCE(c.reloptions::text[], '{}'),
                obj_description(c.oid, 'pg_class'),
                ARRAY(SELECT a.attname::text FROM pg_attribute a
                       WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                       ORDER BY a.attnum)
           FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.relkind IN ('v', 'm')
            AND n.nspname::text = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')",
        &[&schemas],
    )?;
    let mut oids = TableOids::new();
    for row in rows {
        let oid: u32 = get(&row, 0, what)?;
        let name = QualName::new(
            Ident::new(get::<String>(&row, 1, what)?),
            Ident::new(get::<String>(&row, 2, what)?),
        );
        let materialized: bool = get(&row, 3, what)?;
        let text: String = get(&row, 4, what)?;
        let query = Query::parse(&text).map_err(|source| IntrospectError::Expr {
            object: format!("query of view {name}"),
            text: text.trim().to_string(),
            source,
        })?;
        let mut view = View {
            name: name.clone(),
            materialized,
            columns: Vec::new(),
            query,
            security_invoker: false,
            security_barrier: false,
            check_option: None,
            comment: get(&row, 6, what)?,
        };
        for option in get::<Vec<String>>(&row, 5, what)? {
            let (key, value) = option.split_once('=').unwrap_or((option.as_str(), "true"));
            match key {
                "security_invoker" => view.security_invoker = is_true(value),
                "security_barrier" => view.security_barrier = is_true(value),
                "check_option" => {
                    view.check_option = match value.to_lowercase().as_str() {
                        "local" => Some(CheckOption::Local),
                        "cascaded" => Some(CheckOption::Cascaded),
                        other => {
                            return Err(IntrospectError::Unexpected {
                                object: format!("view {name}"),
                                detail: format!("unknown check_option `{other}`"),
                            });
                        }
                    }
                }
                // Storage parameters of materialized views (fillfactor, …)
                // are not modeled.
                _ => {}
            }
        }
        let columns: Vec<Ident> = get::<Vec<String>>(&row, 7, what)?
            .into_iter()
            .map(Ident::new)
            .collect();
        if view.query.output_names().as_ref() != Some(&columns) {
            view.columns = columns;
        }
        catalog.views.insert(name.clone(), view);
        oids.insert(oid, name);
    }
    Ok(oids)
}

/// A boolean reloption as PostgreSQL accepts it (`true`, `on`, `yes`, `1`,
/// and their prefixes `t`, `y`).
fn is_true(value: &str) -> bool {
    matches!(
        value.to_lowercase().as_str(),
        "true" | "on" | "yes" | "1" | "t" | "y" | "tr" | "tru" | "ye"
    )
}
