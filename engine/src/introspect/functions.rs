//! Functions (`pg_proc`, `prokind = 'f'`) of the managed schemas that no
//! extension owns: arguments with modes, names and defaults, return type
//! (`SETOF`, `TABLE (…)`), language, body, volatility, strictness,
//! `SECURITY DEFINER`, `LEAKPROOF`, `PARALLEL`, `SET` clauses, comment.
//! Procedures, aggregates and window functions are not modeled.

use super::{IntrospectError, Reader, canonical_type, get, parse_expr};
use schema::{
    ArgMode, Catalog, Function, FunctionArg, FunctionId, FunctionReturn, Ident, Parallel, QualName,
    Volatility, normalize_body,
};
use std::collections::BTreeMap;

/// Function oids and their identities, for their grants.
pub(super) type FunctionOids = BTreeMap<u32, FunctionId>;

pub(super) fn read(
    reader: &mut Reader,
    catalog: &mut Catalog,
) -> Result<FunctionOids, IntrospectError> {
    let schemas = reader.schemas.clone();
    // `BEGIN ATOMIC` bodies (PostgreSQL 14+) live in `prosqlbody`, not `prosrc`.
    let sql_body = if reader.version >= 140000 {
        "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid) END"
    } else {
        "NULL::text"
    };
    let sql = format!(
        "SELECT p.oid, n.nspname::text, p.proname::text, l.lanname::text, p.prosrc, {sql_body},
                p.provolatile::text, p.proisstrict, p.prosecdef, p.proleakproof,
                p.proparallel::text, COALESCE(p.proconfig, '{{}}'),
                obj_description(p.oid, 'pg_proc'), p.proretset, format_type(p.prorettype, NULL),
                ARRAY(SELECT format_type(a.t, NULL)
                        FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]))
                             WITH ORDINALITY AS a(t, i)
                       ORDER BY a.i),
                COALESCE(p.proargmodes::text[], '{{}}'), COALESCE(p.proargnames, '{{}}'),
                ARRAY(SELECT pg_get_function_arg_default(p.oid, i)
                        FROM generate_series(1,
                               cardinality(COALESCE(p.proallargtypes, p.proargtypes::oid[]))) AS i
                       ORDER BY i)
           FROM pg_proc p
           JOIN pg_namespace n ON n.oid = p.pronamespace
           JOIN pg_language l ON l.oid = p.prolang
          WHERE p.prokind = 'f'
            AND n.nspname::text = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_depend d
                             WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')"
    );
    let what = "functions";
    let rows = reader.query(what, &sql, &[&schemas])?;
    let mut oids = FunctionOids::new();
    for row in rows {
        let oid: u32 = get(&row, 0, what)?;
        let name = QualName::new(
            Ident::new(get::<String>(&row, 1, what)?),
            Ident::new(get::<String>(&row, 2, what)?),
        );
        let object = || format!("function {name}");
        let unexpected = |detail: String| IntrospectError::Unexpected {
            object: object(),
            detail,
        };
        let body = match get::<Option<String>>(&row, 5, what)? {
            Some(atomic) => atomic,
            None => get(&row, 4, what)?,
        };
        let volatility = match get::<String>(&row, 6, what)?.as_str() {
            "v" => Volatility::Volatile,
            "s" => Volatility::Stable,
            "i" => Volatility::Immutable,
            other => return Err(unexpected(format!("unknown provolatile `{other}`"))),
        };
        let parallel = match get::<String>(&row, 10, what)?.as_str() {
            "u" => Parallel::Unsafe,
            "r" => Parallel::Restricted,
            "s" => Parallel::Safe,
            other => return Err(unexpected(format!("unknown proparallel `{other}`"))),
        };
        let config = get::<Vec<String>>(&row, 11, what)?
            .into_iter()
            .map(|setting| match setting.split_once('=') {
                Some((key, value)) => (key.to_lowercase(), value.to_string()),
                None => (setting.to_lowercase(), String::new()),
            })
            .collect();

        let types: Vec<String> = get(&row, 15, what)?;
        let modes: Vec<String> = get(&row, 16, what)?;
        let names: Vec<String> = get(&row, 17, what)?;
        let defaults: Vec<Option<String>> = get(&row, 18, what)?;
        let mut args = Vec::new();
        let mut table_columns = Vec::new();
        for (i, ty) in types.iter().enumerate() {
            let mode = match modes.get(i).map(String::as_str).unwrap_or("i") {
                "i" => ArgMode::In,
                "o" => ArgMode::Out,
                "b" => ArgMode::InOut,
                "v" => ArgMode::Variadic,
                "t" => ArgMode::Table,
                other => return Err(unexpected(format!("unknown proargmode `{other}`"))),
            };
            let arg_name = names
                .get(i)
                .filter(|n| !n.is_empty())
                .map(|n| Ident::new(n.as_str()));
            let ty = canonical_type(ty);
            if mode == ArgMode::Table {
                let Some(arg_name) = arg_name else {
                    return Err(unexpected(format!(
                        "RETURNS TABLE column {} has no name",
                        i + 1
                    )));
                };
                table_columns.push((arg_name, ty));
                continue;
            }
            let default = match defaults.get(i).cloned().flatten() {
                Some(text) => Some(parse_expr(
                    || format!("default of argument {} of function {name}", i + 1),
                    &text,
                )?),
                None => None,
            };
            args.push(FunctionArg {
                mode,
                name: arg_name,
                ty,
                default,
            });
        }
        let return_type = canonical_type(&get::<String>(&row, 14, what)?);
        let returns = if !table_columns.is_empty() {
            FunctionReturn::Table {
                columns: table_columns,
            }
        } else if get::<bool>(&row, 13, what)? {
            FunctionReturn::SetOf { ty: return_type }
        } else {
            FunctionReturn::Type { ty: return_type }
        };

        let function = Function {
            name: name.clone(),
            args,
            returns,
            language: get::<String>(&row, 3, what)?.to_lowercase(),
            body: normalize_body(&body),
            volatility,
            strict: get(&row, 7, what)?,
            security_definer: get(&row, 8, what)?,
            leakproof: get(&row, 9, what)?,
            parallel,
            config,
            comment: get(&row, 12, what)?,
        };
        let id = function.id();
        oids.insert(oid, id.clone());
        catalog.functions.insert(id, function);
    }
    Ok(oids)
}
