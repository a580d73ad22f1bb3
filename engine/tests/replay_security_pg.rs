//! The security surface replayed offline equals what PostgreSQL (with the
//! Supabase stand-in) ends up with: RLS flags, policies, grants, default
//! privileges, functions, triggers and views, after creates, alters,
//! renames and drops.

mod common;

use common::ScratchDb;
use engine::introspect::{introspect, readable};
use engine::replay::{Severity, replay_sources};
use engine::scratch::run_statements;
use schema::{Catalog, Ident, Query, Source};
use sqlparser::ast::{self, VisitMut, VisitorMut};
use std::ops::ControlFlow;

const HISTORY: &[(&str, &str)] = &[
    (
        "0001_tables.sql",
        r#"
create schema core;
grant usage on schema core to authenticated, service_role;
alter default privileges in schema core grant select on tables to authenticated;
alter default privileges in schema core grant usage, select on sequences to authenticated;
alter default privileges revoke execute on functions from public;
alter default privileges in schema core grant execute on functions to authenticated;
create table core.orgs (id bigint generated always as identity primary key, name text not null);
create table core.shows (
  id serial primary key,
  org_id bigint references core.orgs,
  owner_id uuid,
  title text not null,
  updated_at timestamptz
);
"#,
    ),
    (
        "0002_security.sql",
        r#"
create function core.touch() returns trigger language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
create or replace function core.is_owner(owner uuid) returns boolean
  language sql stable security definer set search_path = '' as $$
    select owner = auth.uid()
$$;
create trigger shows_touch before update of title on core.shows
  for each row when (old.title is distinct from new.title) execute function core.touch();
alter table core.shows enable row level security;
alter table core.shows force row level security;
create policy "Owners read" on core.shows for select to authenticated using (core.is_owner(owner_id));
create policy owners_write on core.shows for insert to authenticated with check ((select auth.uid()) = owner_id);
create policy edit on core.shows as restrictive for update to authenticated using (true) with check (owner_id is not null);
create policy "media read" on storage.objects for select to authenticated using (bucket_id = 'media');
grant select, insert, update on core.shows to authenticated;
grant update (title) on core.shows to anon;
revoke select on core.orgs from authenticated;
grant select on core.orgs to service_role with grant option;
create view core.show_titles (id, show_title) with (security_invoker = true) as
  select id, title from core.shows where owner_id is not null;
create view core.show_names as select id, title from core.shows;
create materialized view core.show_counts as select org_id, count(*) as n from core.shows group by org_id;
grant select on core.show_counts to authenticated;
comment on function core.is_owner(uuid) is 'Whether the caller owns the row';
"#,
    ),
    (
        "0003_changes.sql",
        r#"
alter policy edit on core.shows to authenticated, service_role using (owner_id = auth.uid());
alter policy owners_write on core.shows rename to "Owners write";
alter table core.shows rename column title to name;
alter function core.is_owner(uuid) volatile;
alter trigger shows_touch on core.shows rename to shows_touched;
alter view core.show_titles set (security_barrier = true);
alter view core.show_names rename column title to label;
create or replace function core.touch() returns trigger language plpgsql security definer set search_path = '' as $$
begin
  new.updated_at := clock_timestamp();
  return new;
end;
$$;
revoke execute on function core.is_owner(uuid) from authenticated;
create table core.scratch (id int primary key, note text);
create policy scratch_read on core.scratch using (note <> '');
create view core.scratch_notes as select note from core.scratch;
drop table core.scratch cascade;
alter table core.shows disable row level security;
alter table core.shows enable row level security;
"#,
    ),
];

#[test]
fn offline_replay_of_the_security_surface_equals_postgres() {
    let history: Vec<Source> = HISTORY
        .iter()
        .map(|(p, t)| Source::new(format!("supabase/migrations/{p}"), *t))
        .collect();
    let replayed = match replay_sources(&history) {
        Ok(r) => r,
        Err(e) => panic!("offline replay failed:\n{}", e.render()),
    };
    let noted: Vec<_> = replayed
        .notes
        .iter()
        .filter(|n| n.severity != Severity::Info)
        .collect();
    assert!(noted.is_empty(), "{noted:#?}");

    let Some(mut db) = ScratchDb::for_test("trr_sec") else {
        return;
    };
    db.install_standin().expect("stand-in installs");
    for source in &history {
        if let Err(e) = run_statements(db.client(), source) {
            panic!("PostgreSQL refused the history: {e}");
        }
    }
    let schemas = [Ident::new("core")];
    // Policies on platform tables are read whatever the schemas; compare
    // the managed schemas only.
    let live = introspect(db.client(), &schemas)
        .expect("introspect")
        .restricted_to(&schemas);
    let offline = replayed.catalog.restricted_to(&schemas);
    let (live, offline) = (readable(&comparable(live)), readable(&comparable(offline)));
    if live != offline {
        let diff = similar::TextDiff::from_lines(&live, &offline)
            .unified_diff()
            .context_radius(3)
            .header("postgres", "offline replay")
            .to_string();
        panic!("offline replay differs from PostgreSQL:\n{diff}");
    }
}

/// What both sides spell differently without meaning anything different,
/// which is not the replay's to settle:
/// - PostgreSQL deparses a single-table view query with qualified columns
///   (`shows.id`); the replay keeps the query as written (`id`).
/// - Introspection qualifies the pseudo-type `trigger` with `public`; KDL
///   and replay store it unqualified (`schema::routines::function_type`).
fn comparable(mut c: Catalog) -> Catalog {
    struct Unqualify;
    impl VisitorMut for Unqualify {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut ast::Expr) -> ControlFlow<()> {
            if let ast::Expr::CompoundIdentifier(ids) = e
                && ids.len() == 2
            {
                *e = ast::Expr::Identifier(ids[1].clone());
            }
            ControlFlow::Continue(())
        }
    }
    for v in c.views.values_mut() {
        let mut q = sqlparser::parser::Parser::new(&sqlparser::dialect::PostgreSqlDialect {})
            .try_with_sql(v.query.sql())
            .and_then(|mut p| p.parse_query())
            .expect("a stored query parses");
        let _ = VisitMut::visit(&mut *q, &mut Unqualify);
        v.query = Query::from_ast(*q);
    }
    for f in c.functions.values_mut() {
        if let schema::routines::FunctionReturn::Type { ty } = &mut f.returns
            && ty.as_str() == "public.trigger"
        {
            *ty = schema::SqlType::canonical("trigger");
        }
    }
    c
}
