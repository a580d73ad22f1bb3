//! Shadow replay: the migrations run on a scratch database of a real
//! PostgreSQL server, then read back with [`crate::introspect`]. This is the
//! exact answer the offline replay ([`crate::replay`]) approximates; it is
//! what checkpoints ([`crate::checkpoint`]) store and what
//! `trr-schema replay --shadow-database-url` compares with.

use crate::checkpoint::{self, Checkpoint};
use crate::config::Config;
use crate::introspect::{IntrospectError, introspect};
use crate::replay::compare::{Difference, compare, prefer_offline_spelling};
use crate::replay::{
    ProjectReplay, ReplayError, StartFrom, is_provided_schema, read_migrations, replay_project_with,
};
use crate::scratch::{ScratchDb, ScratchError, StatementError, describe, run_statements};
use postgres::Client;
use schema::ident::DEFAULT_SCHEMA;
use schema::{Catalog, Ident, Source};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ShadowError {
    /// Not a `#[source]`: the message already says everything, once.
    #[error("shadow database: {0}")]
    #[diagnostic(transparent)]
    Scratch(ScratchError),

    #[error("shadow database: could not install the Supabase stand-in: {0}")]
    #[diagnostic(help("this is a bug in engine/sql/supabase_standin.sql; please report it"))]
    Standin(String),

    #[error("a migration fails on PostgreSQL: {0}")]
    #[diagnostic(help(
        "the same statement would fail on your database: fix the migration (the shadow database was dropped)"
    ))]
    Migration(StatementError),

    #[error("shadow database: could not list its schemas: {}", describe(.0))]
    Schemas(#[source] postgres::Error),

    #[error("shadow database: {0}")]
    #[diagnostic(transparent)]
    Introspect(#[from] IntrospectError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Offline(#[from] ReplayError),

    #[error(transparent)]
    #[diagnostic(transparent)]
    Checkpoint(#[from] checkpoint::WriteError),
}

/// What `trr-schema replay --shadow-database-url` found.
#[derive(Clone, Debug)]
pub struct ShadowCheck {
    /// The offline replay from the first file (no checkpoint), compared;
    /// when that replay failed, the replay from the checkpoint just written.
    pub offline: ProjectReplay,
    /// Why the offline replay from the first file stopped on a history
    /// PostgreSQL runs (a statement it cannot read): the strongest
    /// difference there is. The checkpoint makes `plan` work again.
    pub offline_error: Option<ReplayError>,
    /// The checkpoint written for the whole history (`None` when there are
    /// no migrations).
    pub checkpoint_written: Option<PathBuf>,
    /// Where the offline replay and PostgreSQL disagree.
    pub differences: Vec<Difference>,
}

impl ShadowCheck {
    /// Whether the offline replay and PostgreSQL agree.
    pub fn agree(&self) -> bool {
        self.offline_error.is_none() && self.differences.is_empty()
    }

    pub fn summary(&self) -> ShadowSummary<'_> {
        ShadowSummary {
            checkpoint_written: self.checkpoint_written.as_ref(),
            offline_error: self.offline_error.as_ref(),
            differences: &self.differences,
        }
    }
}

/// The `shadow` part of the replay report.
#[derive(Clone, Debug, Serialize)]
pub struct ShadowSummary<'a> {
    pub checkpoint_written: Option<&'a PathBuf>,
    pub offline_error: Option<&'a ReplayError>,
    pub differences: &'a [Difference],
}

/// Replays the project offline from its first migration and on a shadow
/// database on `server`, writes a checkpoint of PostgreSQL's answer for the
/// whole history into `config.checkpoint_dir`, and compares the two.
pub fn check(config: &Config, server: &str) -> Result<ShadowCheck, ShadowError> {
    let migrations = read_migrations(&config.migrations_dir)?;
    let offline = replay_project_with(config, StartFrom::Scratch);
    let shadow = shadow_replay(server, &migrations)?;
    let (stored, differences) = match &offline {
        Ok(offline) => {
            let offline_scope = scope(&offline.replayed.catalog);
            let differences = compare(&offline_scope, &shadow);
            (
                prefer_offline_spelling(&shadow, &offline_scope),
                differences,
            )
        }
        Err(_) => (shadow, Vec::new()),
    };
    let checkpoint_written = match Checkpoint::new(&migrations, stored) {
        Some(cp) => Some(cp.write(&config.checkpoint_dir)?),
        None => None,
    };
    let (offline, offline_error) = match offline {
        Ok(offline) => (offline, None),
        Err(e) => (replay_project_with(config, StartFrom::Checkpoint)?, Some(e)),
    };
    Ok(ShadowCheck {
        offline,
        offline_error,
        checkpoint_written,
        differences,
    })
}

/// Runs `sources` in order on a new database on `server` (with the Supabase
/// stand-in where the server has no `auth` schema), and returns what
/// PostgreSQL ended up with, in the scope of [`scope`]. The database is
/// dropped before returning, also on error.
pub fn shadow_replay(server: &str, sources: &[Source]) -> Result<Catalog, ShadowError> {
    let mut db = ScratchDb::create_on(server, "trr_shadow").map_err(ShadowError::Scratch)?;
    crate::standin::install_if_absent(db.client())
        .map_err(|e| ShadowError::Standin(describe(&e)))?;
    for source in sources {
        run_statements(db.client(), source).map_err(ShadowError::Migration)?;
    }
    let schemas = replayed_schemas(db.client())?;
    let catalog = introspect(db.client(), &schemas)?;
    Ok(scope(&catalog))
}

/// The schemas the migrations created or use: every schema but PostgreSQL's
/// own and those the platform provides, plus `public` (whose grants and
/// default privileges every project starts from, and which may hold what
/// the migrations put there).
fn replayed_schemas(client: &mut Client) -> Result<Vec<Ident>, ShadowError> {
    let rows = client
        .query(
            "SELECT n.nspname::text FROM pg_namespace n
              WHERE n.nspname NOT LIKE 'pg\\_%'
              ORDER BY 1",
            &[],
        )
        .map_err(ShadowError::Schemas)?;
    Ok(rows
        .iter()
        .map(|row| row.get::<_, String>(0))
        .filter(|name| name == DEFAULT_SCHEMA || !is_provided_schema(name))
        .map(Ident::new)
        .collect())
}

/// The part of a Catalog that offline and shadow replays both describe:
/// objects in provided schemas (`auth`, `storage`, …) are the platform's —
/// except policies, which a project puts on `storage.objects` — and
/// `public` is never a created schema: only what is in it counts (its
/// tables, enums, indexes, views, functions, grants, default privileges).
/// Applied to both sides before comparing, and to what a checkpoint stores.
pub fn scope(catalog: &Catalog) -> Catalog {
    let keep =
        |schema: &Ident| schema.as_str() == DEFAULT_SCHEMA || !is_provided_schema(schema.as_str());
    let mut scoped = catalog.clone();
    scoped
        .schemas
        .retain(|name, _| name.as_str() != DEFAULT_SCHEMA && keep(name));
    scoped.enums.retain(|name, _| keep(&name.schema));
    scoped.tables.retain(|name, _| keep(&name.schema));
    scoped.indexes.retain(|name, _| keep(&name.schema));
    scoped.views.retain(|name, _| keep(&name.schema));
    scoped.functions.retain(|id, _| keep(&id.name.schema));
    scoped.triggers.retain(|(table, _), _| keep(&table.schema));
    scoped.grants.retain(|g| keep(g.on.schema()));
    scoped
        .default_privileges
        .retain(|d| d.schema.as_ref().is_none_or(keep));
    scoped
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::ScratchDb;
    use schema::{
        Grant, GrantTarget, Policy, PolicyCommand, Privilege, QualName, Schema, SqlType, Table,
    };

    #[test]
    fn scope_keeps_what_migrations_create() {
        let mut catalog = Catalog::default();
        for name in ["core", "public", "auth", "extensions"] {
            catalog.schemas.insert(
                Ident::new(name),
                Schema {
                    name: Ident::new(name),
                    comment: None,
                },
            );
        }
        for name in ["core.t", "public.t", "auth.users", "storage.objects"] {
            let mut table = Table::new(QualName::from(name));
            table.columns.push(schema::Column::new(
                Ident::new("id"),
                SqlType::parse("uuid").unwrap(),
            ));
            catalog.tables.insert(table.name.clone(), table);
        }
        for table in ["core.t", "storage.objects"] {
            let policy = Policy {
                name: Ident::new("p"),
                table: QualName::from(table),
                permissive: true,
                command: PolicyCommand::Select,
                roles: vec![Ident::new("public")],
                using: None,
                check: None,
            };
            catalog.policies.insert(policy.key(), policy);
        }
        for (on, privilege) in [
            (
                GrantTarget::Schema {
                    schema: Ident::new("public"),
                },
                Privilege::Usage,
            ),
            (
                GrantTarget::Schema {
                    schema: Ident::new("auth"),
                },
                Privilege::Usage,
            ),
            (
                GrantTarget::Table {
                    table: QualName::from("storage.objects"),
                },
                Privilege::Select,
            ),
            (
                GrantTarget::Table {
                    table: QualName::from("core.t"),
                },
                Privilege::Select,
            ),
        ] {
            catalog.grants.insert(Grant {
                on,
                grantee: Ident::new("anon"),
                privilege,
                grantable: false,
            });
        }
        let scoped = scope(&catalog);
        let schemas: Vec<&str> = scoped.schemas.keys().map(Ident::as_str).collect();
        assert_eq!(schemas, ["core"]);
        let tables: Vec<String> = scoped.tables.keys().map(ToString::to_string).collect();
        assert_eq!(tables, ["core.t", "public.t"]);
        let policies: Vec<String> = scoped
            .policies
            .values()
            .map(|p| p.table.to_string())
            .collect();
        assert_eq!(policies, ["core.t", "storage.objects"]);
        let grants: Vec<String> = scoped.grants.iter().map(|g| g.on.to_string()).collect();
        assert_eq!(grants, ["SCHEMA public", "TABLE core.t"]);
    }

    /// The security surface as a user writes it, replayed offline and on
    /// PostgreSQL: the two must agree once PostgreSQL's spellings
    /// (deparsed policies, view queries, casts) are accounted for.
    #[test]
    fn security_surface_replays_offline_as_postgres_does() {
        if ScratchDb::for_test("trr_shadow_sec_probe").is_none() {
            return;
        }
        let sources = [Source::new(
            "20260101000000_security.sql",
            SECURITY_HISTORY.to_string(),
        )];
        let offline = crate::replay::replay_sources(&sources)
            .unwrap_or_else(|e| panic!("{}", e.render()))
            .catalog;
        let shadow = shadow_replay(&crate::scratch::server_url(), &sources).unwrap();
        let differences: Vec<String> = compare(&scope(&offline), &shadow)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(differences, Vec::<String>::new());
        // … and a policy the offline replay got wrong is named.
        let mut wrong = scope(&offline);
        let read = wrong.policies.values_mut().next().unwrap();
        read.using = Some(schema::Expr::parse("owner_id = auth.uid()").unwrap());
        let named: Vec<(&str, &str)> = compare(&wrong, &shadow)
            .iter()
            .map(|d| (d.kind, d.aspect))
            .collect();
        assert_eq!(named, [("policy", "using")]);
        assert_eq!(shadow.policies.len(), 6, "{:?}", shadow.policies.keys());
        assert_eq!(shadow.views.len(), 3);
        assert_eq!(shadow.triggers.len(), 2);
        assert!(shadow.functions.len() >= 2 && !shadow.grants.is_empty());
    }

    const SECURITY_HISTORY: &str = r#"
create schema core;
grant usage on schema core to authenticated, service_role;
alter default privileges revoke execute on functions from public;
alter default privileges in schema core grant select on tables to authenticated;

create table core.memberships (org_id uuid not null, user_id uuid not null, role text not null);
create table core.shows (
    id bigint generated always as identity primary key,
    owner_id uuid not null,
    org_id uuid not null,
    title text not null,
    n serial,
    updated_at timestamptz not null default now()
);
alter table core.shows enable row level security;
alter table core.shows force row level security;
alter table core.memberships enable row level security;

create policy "owners read" on core.shows for select to authenticated
    using (owner_id = (select auth.uid()));
create policy shows_owner_update on core.shows for update to authenticated
    using ((owner_id = (select auth.uid()))) with check (owner_id = (select auth.uid()));
create policy shows_org_insert on core.shows as restrictive for insert to authenticated
    with check (org_id in (select m.org_id from core.memberships m
                            where m.user_id = (select auth.uid()) and m.role in ('editor', 'admin')));
create policy shows_role_delete on core.shows for delete to authenticated
    using ((select auth.jwt() ->> 'app_role') = any (array['admin']));
create policy shows_service_all on core.shows to service_role using (true) with check (true);
create policy "media read" on storage.objects for select to authenticated
    using (bucket_id = 'trr-media' and (storage.foldername(name))[1] = (select auth.uid())::text);

grant select, insert, update, delete on core.shows to authenticated;
grant update (title) on core.shows to anon;
revoke select on core.memberships from authenticated;
grant usage on sequence core.shows_n_seq to authenticated;

create function core.is_member(p_org uuid, min_role text default 'viewer')
returns boolean
language sql stable security definer
set search_path = ''
as $$
    select exists (select 1 from core.memberships m where m.org_id = p_org)
$$;
grant execute on function core.is_member(uuid, text) to authenticated;

create function core.set_updated_at() returns trigger
language plpgsql
set search_path = ''
as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

create trigger shows_set_updated_at before update on core.shows
    for each row when (old.* is distinct from new.*) execute function core.set_updated_at();
create trigger shows_audit after insert or update of title, org_id on core.shows
    for each statement execute function core.set_updated_at('shows', 'it''s');

create view core.titled as select id, title from core.shows where title <> '';
create view core.renamed (show_id, show_title) with (security_invoker = true)
    as select s.id, s.title from core.shows s;
create materialized view core.show_counts as
    select org_id, count(*) from core.shows group by org_id;
grant select on core.titled to anon;
"#;
}
