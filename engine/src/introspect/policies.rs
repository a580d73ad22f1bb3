//! Row-level security policies (`pg_policy`): on the tables of the managed
//! schemas, and on the tables of the platform's schemas (`storage.objects`),
//! where a project's policies are its own — the platform ships none.

use super::{IntrospectError, Reader, get, parse_expr};
use schema::{Catalog, Ident, Policy, PolicyCommand, QualName};

pub(super) fn read(reader: &mut Reader, catalog: &mut Catalog) -> Result<(), IntrospectError> {
    let mut schemas = reader.schemas.clone();
    schemas.extend(
        schema::provided::PROVIDED_SCHEMAS
            .iter()
            .filter(|s| schema::provided::is_external_schema(s))
            .map(|s| s.to_string()),
    );
    let what = "policies";
    // Roles in name order; oid 0 is PUBLIC.
    let rows = reader.query(
        what,
        "SELECT n.nspname::text, c.relname::text, p.polname::text, p.polpermissive,
                p.polcmd::text,
                ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE pg_get_userbyid(r.oid)::text END
                        FROM unnest(p.polroles) AS r(oid)),
                pg_get_expr(p.polqual, p.polrelid, true),
                pg_get_expr(p.polwithcheck, p.polrelid, true)
           FROM pg_policy p
           JOIN pg_class c ON c.oid = p.polrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname::text = ANY($1)",
        &[&schemas],
    )?;
    for row in rows {
        let table = QualName::new(
            Ident::new(get::<String>(&row, 0, what)?),
            Ident::new(get::<String>(&row, 1, what)?),
        );
        let name = Ident::new(get::<String>(&row, 2, what)?);
        let object = |part: &str| format!("{part} of policy {} on {table}", name.quoted());
        let command = match get::<String>(&row, 4, what)?.as_str() {
            "*" => PolicyCommand::All,
            "r" => PolicyCommand::Select,
            "a" => PolicyCommand::Insert,
            "w" => PolicyCommand::Update,
            "d" => PolicyCommand::Delete,
            other => {
                return Err(IntrospectError::Unexpected {
                    object: object("command"),
                    detail: format!("unknown polcmd `{other}`"),
                });
            }
        };
        let mut roles: Vec<Ident> = get::<Vec<String>>(&row, 5, what)?
            .into_iter()
            .map(Ident::new)
            .collect();
        roles.sort();
        roles.dedup();
        let using = match get::<Option<String>>(&row, 6, what)? {
            Some(text) => Some(parse_expr(|| object("USING"), &text)?),
            None => None,
        };
        let check = match get::<Option<String>>(&row, 7, what)? {
            Some(text) => Some(parse_expr(|| object("WITH CHECK"), &text)?),
            None => None,
        };
        let policy = Policy {
            name,
            table,
            permissive: get(&row, 3, what)?,
            command,
            roles,
            using,
            check,
        };
        catalog.policies.insert(policy.key(), policy);
    }
    Ok(())
}
