//! Reads a live database's `pg_catalog` into a Catalog.
//!
//! Only the managed schemas are read (extensions, being global, are all
//! read). Everything is normalized the way the KDL loader and replay
//! normalize: types through [`schema::SqlType`], expressions through
//! [`schema::Expr::parse`], names as stored. All reads happen in one
//! read-only, repeatable-read transaction with `search_path` set to `''`
//! for that transaction only, so that `format_type` and `pg_get_expr`
//! print user objects schema-qualified (`core.show_status`) and built-ins
//! bare (`integer`), exactly like [`schema::SqlType`]'s canonical form.
//!
//! # Where a live database reads differently from what a user writes
//!
//! Two introspections of equal schemas are equal, and that is what the
//! round-trip tests compare. A live database compared with a KDL file (drift
//! detection) can still differ in spelling, because PostgreSQL stores the
//! analysed expression and prints it back its own way:
//! - literals get casts: `'draft'` becomes `'draft'::text`, an enum default
//!   `'active'::core.show_status`, `'{}'` for jsonb `'{}'::jsonb`;
//! - `x IN ('a', 'b')` comes back as `x = ANY (ARRAY['a'::text, 'b'::text])`,
//!   `BETWEEN` as two comparisons, `!=` as `<>`;
//! - functions and operators outside `pg_catalog` come back qualified
//!   (`extensions.uuid_generate_v4()`, `public.my_fn(x)`), as do the sequences
//!   of serial defaults (`nextval('public.items_id_seq'::regclass)`);
//! - operator classes and collations outside `pg_catalog` are qualified
//!   (`extensions.gin_trgm_ops`), while KDL usually names them bare;
//! - an extension installed in `public` reads as "no schema given"
//!   (`schema: None`), the same as an `extension` declared without `schema=`.
//! - an index key's collation is reported when it differs from the column's
//!   (or, for an expression key, from the default of the expression's type),
//!   so `lower(title COLLATE "C")` reads with collation `"C"` on the key as
//!   well as inside the expression.
//!
//! - policy expressions and trigger conditions get the same casts, and a
//!   scalar subquery is printed `(( SELECT auth.uid() AS uid))` — the
//!   parentheses and the alias are normalized away by [`schema::Expr`], the
//!   casts are not;
//! - view queries (`pg_get_viewdef`) and subqueries inside policies have
//!   every column qualified (`shows.title`), and a view's column list is
//!   printed as output aliases (`SELECT shows.id AS a`), so
//!   [`schema::View::columns`] reads empty;
//! - `SET search_path = ''` on a function reads `""` (as `proconfig`
//!   stores it), and a `BEGIN ATOMIC` body reads as PostgreSQL prints it.
//!
//! [`crate::replay::compare`] documents how the offline-vs-shadow
//! comparison loosens these.
//!
//! Besides the managed schemas, policies are read on the tables of the
//! platform's schemas (`storage.objects`): a project declares those.
//! Grants are effective entries, the owner's own left out (see
//! [`schema::security`]); default privileges are those of the role that
//! introspects, which is the role that runs the migrations.
//!
//! Objects the Catalog does not model are left out: partitions (tables with
//! `relispartition`), exclusion constraints and the indexes behind them,
//! NOT NULL constraint rows (PostgreSQL 18), objects that belong to an
//! extension (e.g. PostGIS's `spatial_ref_sys`, pgcrypto's functions),
//! procedures, aggregates and window functions, constraint triggers,
//! sequences that no serial or identity column owns (and their grants),
//! privileges on types, the `MAINTAIN` privilege (PostgreSQL 17), storage
//! parameters of materialized views.

mod constraints;
mod default_privileges;
mod enums;
mod functions;
mod grants;
mod indexes;
mod namespaces;
mod policies;
mod tables;
mod triggers;
mod views;

use postgres::{Client, IsolationLevel, Row, Transaction};
use schema::{Catalog, Expr, ExprError, Ident, SqlType};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum IntrospectError {
    #[error(
        "could not read {what} from the database: {}",
        crate::scratch::describe(source)
    )]
    Query {
        what: &'static str,
        #[source]
        source: postgres::Error,
    },
    #[error("{object}: PostgreSQL printed `{text}`, which we cannot read back: {source}")]
    #[diagnostic(help(
        "this is a bug in trr-schema's expression reader; please report it with the text above"
    ))]
    Expr {
        object: String,
        text: String,
        #[source]
        source: ExprError,
    },
    #[error("{object}: {detail}")]
    Unexpected { object: String, detail: String },
}

/// Reads the managed `schemas` (plus every extension) of the database that
/// `client` is connected to. The session's own settings are left untouched.
pub fn introspect(client: &mut Client, schemas: &[Ident]) -> Result<Catalog, IntrospectError> {
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(IsolationLevel::RepeatableRead)
        .start()
        .map_err(query("a transaction"))?;
    tx.batch_execute("SET LOCAL search_path = ''")
        .map_err(query("search_path"))?;
    let version: i32 = tx
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .and_then(|row| row.try_get(0))
        .map_err(query("the server version"))?;

    let names: Vec<String> = schemas.iter().map(|s| s.as_str().to_string()).collect();
    let mut reader = Reader {
        tx: &mut tx,
        schemas: names,
        version,
    };
    let mut catalog = Catalog::default();
    namespaces::read(&mut reader, &mut catalog)?;
    enums::read(&mut reader, &mut catalog)?;
    let tables = tables::read(&mut reader, &mut catalog)?;
    constraints::read(&mut reader, &tables, &mut catalog)?;
    indexes::read(&mut reader, &tables, &mut catalog)?;
    let views = views::read(&mut reader, &mut catalog)?;
    let mut relations = tables.clone();
    relations.extend(views);
    let functions = functions::read(&mut reader, &mut catalog)?;
    policies::read(&mut reader, &mut catalog)?;
    triggers::read(&mut reader, &relations, &mut catalog)?;
    grants::read(&mut reader, &relations, &tables, &functions, &mut catalog)?;
    default_privileges::read(&mut reader, &mut catalog)?;
    tx.commit().map_err(query("the end of the transaction"))?;
    Ok(catalog)
}

/// A Catalog as pretty JSON, for snapshots and for diffs between two
/// Catalogs. The maps become lists of their values (each value carries its
/// own name), because JSON objects cannot be keyed by a [`schema::QualName`].
pub fn readable(catalog: &Catalog) -> String {
    let lists = serde_json::json!({
        "schemas": catalog.schemas.values().collect::<Vec<_>>(),
        "extensions": catalog.extensions.values().collect::<Vec<_>>(),
        "enums": catalog.enums.values().collect::<Vec<_>>(),
        "tables": catalog.tables.values().collect::<Vec<_>>(),
        "indexes": catalog.indexes.values().collect::<Vec<_>>(),
        "views": catalog.views.values().collect::<Vec<_>>(),
        "functions": catalog.functions.values().collect::<Vec<_>>(),
        "policies": catalog.policies.values().collect::<Vec<_>>(),
        "triggers": catalog.triggers.values().collect::<Vec<_>>(),
        "grants": catalog.grants,
        "default_privileges": catalog.default_privileges,
    });
    serde_json::to_string_pretty(&lists).expect("a Catalog always serializes")
}

/// Shared state of one introspection.
struct Reader<'a, 'b> {
    tx: &'a mut Transaction<'b>,
    /// Managed schema names, passed to queries as `text[]`.
    schemas: Vec<String>,
    /// `server_version_num`, for columns that only newer servers have.
    version: i32,
}

impl Reader<'_, '_> {
    fn query(
        &mut self,
        what: &'static str,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, IntrospectError> {
        self.tx.query(sql, params).map_err(query(what))
    }
}

/// Table oids of the managed schemas and their names, for queries that
/// continue from tables (columns, constraints, indexes).
type TableOids = BTreeMap<u32, schema::QualName>;

fn query(what: &'static str) -> impl FnOnce(postgres::Error) -> IntrospectError {
    move |source| IntrospectError::Query { what, source }
}

/// Reads column `idx` of a row, naming `what` if the type is not the expected one.
fn get<'r, T: postgres::types::FromSql<'r>>(
    row: &'r Row,
    idx: usize,
    what: &'static str,
) -> Result<T, IntrospectError> {
    row.try_get(idx).map_err(query(what))
}

/// Normalizes an expression PostgreSQL printed.
fn parse_expr(object: impl FnOnce() -> String, text: &str) -> Result<Expr, IntrospectError> {
    Expr::parse(text).map_err(|source| IntrospectError::Expr {
        object: object(),
        text: text.to_string(),
        source,
    })
}

/// A `format_type` result in canonical form. It already is canonical (the
/// search path is empty); parsing it anyway keeps one normalizer, and a
/// spelling our parser does not know (e.g. `interval second(3)`) is kept as
/// PostgreSQL printed it. An unqualified name lives in `pg_catalog` (the
/// search path is empty), so one our parser does not know as built in —
/// the pseudo-types `trigger`, `void`, `anyelement` — is kept unqualified,
/// not taken for a type of `public`.
fn canonical_type(text: &str) -> SqlType {
    match SqlType::parse(text) {
        Ok(ty)
            if ty.as_str().starts_with("public.")
                && !text.starts_with("public.")
                && !text.starts_with("\"public\".") =>
        {
            SqlType::canonical(text)
        }
        Ok(ty) => ty,
        Err(_) => SqlType::canonical(text),
    }
}

/// How a catalog object outside `pg_catalog` is named: `schema.name`,
/// quoted where needed; `name` alone when it lives in `pg_catalog`.
fn object_name(schema: &str, name: &str) -> String {
    let name = schema::ident::quote_ident(name);
    if schema == "pg_catalog" {
        name
    } else {
        format!("{}.{name}", schema::ident::quote_ident(schema))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod security_tests;
