//! The Supabase stand-in (`engine/sql/supabase_standin.sql`): the roles,
//! schemas, tables and functions a Supabase project has before its first
//! migration, so migrations and plans run on plain PostgreSQL.

use postgres::Client;

/// The stand-in's SQL, one multi-statement script.
pub const SQL: &str = include_str!("../sql/supabase_standin.sql");

/// Installs the stand-in unless the database already has an `auth` schema
/// (a real Supabase database, or the stand-in installed before): the
/// platform's own objects are never replaced. Returns whether it installed.
pub fn install_if_absent(client: &mut Client) -> Result<bool, postgres::Error> {
    let present: bool = client
        .query_one("SELECT to_regnamespace('auth') IS NOT NULL", &[])?
        .get(0);
    if present {
        return Ok(false);
    }
    client.batch_execute(SQL)?;
    Ok(true)
}
