//! Replay of the security surface: RLS flags, policies, grants, default
//! privileges, functions, triggers and views, and the consequences
//! PostgreSQL applies to them (drops, renames, CASCADE).

#[path = "common/replay_files.rs"]
#[allow(dead_code)] // each test file uses its own subset
mod replay_files;

use engine::replay::{Replayed, replay_sources};
use replay_files::{one, sources};
use schema::provided::platform_catalog;

/// The security objects of a replayed Catalog, one line each; grants and
/// default privileges only where they differ from the platform baseline.
fn render(r: &Replayed) -> String {
    let c = &r.catalog;
    let base = platform_catalog();
    let mut out = String::new();
    for t in c.tables.values() {
        if t.rls_enabled || t.rls_forced {
            out.push_str(&format!(
                "rls {}: enabled={} forced={}\n",
                t.name, t.rls_enabled, t.rls_forced
            ));
        }
    }
    for p in c.policies.values() {
        out.push_str(&format!(
            "policy {} on {}: {} {} to {} using {} check {}\n",
            p.name.quoted(),
            p.table,
            if p.permissive {
                "permissive"
            } else {
                "restrictive"
            },
            p.command.sql(),
            p.roles
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(","),
            p.using.as_ref().map_or("-".into(), |e| format!("({e})")),
            p.check.as_ref().map_or("-".into(), |e| format!("({e})")),
        ));
    }
    for f in c.functions.values() {
        out.push_str(&format!(
            "function {}: {}\n",
            f.id(),
            serde_json::to_string(f).unwrap()
        ));
    }
    for t in c.triggers.values() {
        out.push_str(&format!(
            "trigger {} on {}: {}\n",
            t.name.quoted(),
            t.table,
            serde_json::to_string(t).unwrap()
        ));
    }
    for v in c.views.values() {
        out.push_str(&format!(
            "view {}: {}\n",
            v.name,
            serde_json::to_string(v).unwrap()
        ));
    }
    for g in c.grants.difference(&base.grants) {
        out.push_str(&format!(
            "grant {} on {} to {}{}\n",
            g.privilege.sql(),
            g.on,
            g.grantee.as_str(),
            if g.grantable {
                " with grant option"
            } else {
                ""
            }
        ));
    }
    for g in base.grants.difference(&c.grants) {
        out.push_str(&format!(
            "lost {} on {} from {}\n",
            g.privilege.sql(),
            g.on,
            g.grantee.as_str()
        ));
    }
    for d in c.default_privileges.difference(&base.default_privileges) {
        out.push_str(&format!("+default {d:?}\n"));
    }
    for d in base.default_privileges.difference(&c.default_privileges) {
        out.push_str(&format!("-default {d:?}\n"));
    }
    out.push_str("notes:\n");
    for n in &r.notes {
        out.push_str(&format!("  {}:{}: {}\n", n.line, n.column, n.reason));
    }
    out
}

/// The error a history stops at, as a user reads it.
fn error(sql: &str) -> String {
    match replay_sources(&sources(&[("0001_test.sql", sql)])) {
        Ok(_) => panic!("expected an error replaying:\n{sql}"),
        Err(e) => e.render(),
    }
}

const TABLE: &str = "create schema core;\n\
    create table core.shows (id bigint generated always as identity primary key, owner_id uuid, title text);\n";

#[test]
fn rls_flags() {
    let r = one(&format!(
        "{TABLE}alter table core.shows enable row level security;\n\
         alter table core.shows force row level security;\n\
         alter table core.shows disable row level security;\n"
    ));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn policies_create_alter_drop() {
    let r = one(&format!(
        "{TABLE}create policy \"Owners read\" on core.shows for select to authenticated, anon, authenticated using ((auth.uid() = owner_id));\n\
         create policy owners_write on core.shows as restrictive for insert to authenticated with check (owner_id = (select auth.uid()));\n\
         create policy edit on core.shows for update using (true) with check (true);\n\
         alter policy edit on core.shows to authenticated using (owner_id = auth.uid());\n\
         alter policy owners_write on core.shows rename to \"Owners Write\";\n\
         create policy gone on core.shows;\n\
         drop policy gone on core.shows;\n\
         drop policy if exists gone on core.shows;\n\
         create policy \"media read\" on storage.objects for select to authenticated using (bucket_id = 'media');\n"
    ));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn policy_errors() {
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}\n{}",
        error(&format!(
            "{TABLE}create policy p on core.shows for insert using (true);"
        )),
        error(&format!(
            "{TABLE}create policy p on core.shows for select with check (true);"
        )),
        error(&format!(
            "{TABLE}create policy p on core.shows; create policy p on core.shows;"
        )),
        error("create policy p on nope using (true);"),
    ));
}

#[test]
fn grants_and_revokes() {
    let r = one(&format!(
        "{TABLE}grant usage on schema core to authenticated, service_role;\n\
         revoke create on schema public from public;\n\
         grant select, insert on table core.shows to authenticated with grant option;\n\
         grant update (title) on core.shows to authenticated;\n\
         grant usage, select on sequence core.shows_id_seq to authenticated;\n\
         revoke grant option for insert on core.shows from authenticated;\n\
         grant all privileges on all tables in schema core to service_role;\n\
         revoke all on core.shows from service_role;\n\
         revoke update on core.shows from authenticated;\n\
         grant select on core.shows to postgres;\n\
         grant select on storage.objects to anon;\n\
         create table public.notes (id serial primary key, body text);\n\
         revoke all on public.notes from anon;\n"
    ));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn default_privileges_apply_to_later_objects() {
    let r = one("create schema core;\n\
         alter default privileges in schema core grant select on tables to authenticated;\n\
         alter default privileges for role postgres revoke execute on functions from public;\n\
         alter default privileges in schema core grant execute on functions to authenticated with grant option;\n\
         alter default privileges for role supabase_admin grant all on tables to anon;\n\
         create table core.a (id serial);\n\
         create function core.f() returns int language sql as 'select 1';\n\
         alter default privileges in schema core revoke select on tables from authenticated;\n\
         alter default privileges in schema public revoke all on tables from anon;\n\
         create table core.b (id int);\n\
         create table public.c (id int);\n");
    insta::assert_snapshot!(render(&r));
}

#[test]
fn functions_create_replace_alter_drop() {
    let r = one("create schema core;\n\
         create or replace function core.is_member(org_id uuid, min_role text default 'viewer', out total integer)\n\
           returns integer language plpgsql stable security definer leakproof parallel safe strict cost 10\n\
           set search_path = '' as $$\n    begin\n      total := 1;\n    end;\n  $$;\n\
         create function core.rows() returns table (a int, b text) language sql as $$ select 1, 'x' $$;\n\
         create function core.many() returns setof core.rows language sql as 'select 1';\n\
         create function core.touch() returns trigger language plpgsql as $$ begin return new; end $$;\n\
         create or replace function core.touch() returns trigger language plpgsql security definer as $$ begin new.x := 1; return new; end $$;\n\
         alter function core.is_member(uuid, text) set search_path = public, extensions;\n\
         alter function core.is_member volatile;\n\
         alter function core.rows() rename to table_rows;\n\
         comment on function core.table_rows() is 'rows';\n\
         grant execute on function core.table_rows() to authenticated;\n\
         revoke execute on all functions in schema core from public;\n\
         drop function core.many;\n\
         drop function if exists core.nope(int);\n");
    insta::assert_snapshot!(render(&r));
}

#[test]
fn function_errors() {
    let f = "create function f(a int) returns int language sql as 'select 1';\n";
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}\n{}",
        error(&format!("{f}{f}")),
        error(&format!(
            "{f}create or replace function f(a int) returns text language sql as 'select 1';"
        )),
        error("drop function nope();"),
        error(&format!(
            "{f}create function f(b text) returns int language sql as 'select 2'; drop function f;"
        )),
    ));
}

#[test]
fn triggers_create_rename_drop() {
    let r = one(&format!(
        "{TABLE}create function core.touch() returns trigger language plpgsql as $$ begin return new; end $$;\n\
         create trigger touch before update of title, owner_id or insert on core.shows for each row\n\
           when (old.* is distinct from new.*) execute function core.touch('x', 1, Foo);\n\
         create trigger audit after delete or insert or truncate on core.shows execute procedure core.touch();\n\
         create or replace trigger audit after insert on core.shows for each statement execute function core.touch();\n\
         alter trigger audit on core.shows rename to audited;\n\
         create trigger gone after insert on core.shows execute function core.touch();\n\
         drop trigger gone on core.shows;\n\
         drop trigger if exists gone on core.shows;\n\
         create trigger on_signup after insert on auth.users for each row execute function core.touch();\n"
    ));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn trigger_errors() {
    let f = "create function core.touch() returns trigger language plpgsql as $$ begin return new; end $$;\n";
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}\n{}",
        error(&format!(
            "{TABLE}create trigger t before insert on core.shows execute function core.nope();"
        )),
        error(&format!(
            "{TABLE}create function core.f() returns int language sql as 'select 1'; create trigger t before insert on core.shows execute function core.f();"
        )),
        error(&format!(
            "{TABLE}{f}create trigger t before insert on core.shows execute function core.touch(); drop function core.touch();"
        )),
        error(&format!(
            "{TABLE}{f}create trigger t before insert on core.shows execute function core.touch(); create trigger t before insert on core.shows execute function core.touch();"
        )),
    ));
}

#[test]
fn views_create_alter_drop() {
    let r = one(&format!(
        "{TABLE}create view core.active (id, name) with (security_invoker = true, security_barrier) as select id, title from core.shows where owner_id is not null with local check option;\n\
         create or replace view core.titles as select title from core.shows;\n\
         create materialized view core.counts as select owner_id, count(*) from core.shows group by owner_id with no data;\n\
         alter view core.active set (security_barrier = false);\n\
         alter view core.active reset (security_invoker);\n\
         alter view core.active rename column name to show_title;\n\
         alter materialized view core.counts rename to show_counts;\n\
         comment on view core.titles is 'titles';\n\
         comment on materialized view core.show_counts is 'counts';\n\
         grant select on core.titles to anon;\n\
         refresh materialized view core.show_counts;\n\
         create view core.gone as select 1 as one;\n\
         drop view core.gone;\n"
    ));
    insta::assert_snapshot!(render(&r));
}

#[test]
fn view_errors() {
    insta::assert_snapshot!(format!(
        "{}\n{}\n{}\n{}",
        error(&format!(
            "{TABLE}create view core.v as select id from core.shows; create view core.v as select 1;"
        )),
        error(&format!(
            "{TABLE}create view core.v as select id from core.shows; drop materialized view core.v;"
        )),
        error(&format!(
            "{TABLE}create view core.v as select id from core.shows; drop table core.shows;"
        )),
        error(&format!(
            "{TABLE}create view core.v as select id from core.shows; create view core.w as select id from core.v; drop view core.v;"
        )),
    ));
}

/// What PostgreSQL does to dependents when a table or column goes away or
/// is renamed.
#[test]
fn consequences_of_drops_and_renames() {
    let base = format!(
        "{TABLE}create function core.touch() returns trigger language plpgsql as $$ begin return new; end $$;\n\
         alter table core.shows enable row level security;\n\
         create policy own on core.shows using (owner_id = auth.uid());\n\
         create trigger t before update of title on core.shows for each row when (new.title <> old.title) execute function core.touch();\n\
         create view core.v as select id, title from core.shows;\n\
         grant select (title) on core.shows to anon;\n"
    );
    let renamed = one(&format!(
        "{base}alter table core.shows rename column title to name;\n\
         alter table core.shows rename column owner_id to owner;\n\
         alter table core.shows rename to series;\n"
    ));
    let dropped_column = one(&format!(
        "{base}alter table core.shows drop column title cascade;\n"
    ));
    let dropped_table = one(&format!("{base}drop table core.shows cascade;\n"));
    insta::assert_snapshot!(format!(
        "-- renamed\n{}\n-- drop column title cascade\n{}\n-- drop table cascade\n{}\n-- drop column without cascade\n{}\n-- drop column used by a policy\n{}",
        render(&renamed),
        render(&dropped_column),
        render(&dropped_table),
        error(&format!("{base}alter table core.shows drop column title;")),
        error(&format!(
            "{base}alter table core.shows drop column owner_id;"
        )),
    ));
}

/// A function called by a policy, view, default or check cannot be dropped
/// without CASCADE; with it, they go (a default is dropped, its column
/// stays).
#[test]
fn dropping_a_function_its_users_depend_on() {
    let base = format!(
        "{TABLE}create function core.me() returns uuid language sql stable as 'select auth.uid()';\n\
         create policy mine on core.shows using (owner_id = core.me());\n\
         create view core.mine as select id from core.shows where owner_id = core.me();\n\
         alter table core.shows add column made_by uuid default core.me();\n\
         alter table core.shows add constraint not_me check (owner_id <> core.me());\n"
    );
    let r = one(&format!("{base}drop function core.me() cascade;\n"));
    let made_by = r.catalog.tables[&schema::QualName::from("core.shows")]
        .column(&schema::Ident::new("made_by"))
        .unwrap();
    assert!(made_by.default.is_none());
    insta::assert_snapshot!(format!(
        "{}\n-- without cascade\n{}",
        render(&r),
        error(&format!("{base}drop function core.me();"))
    ));
}

/// A column a view, policy or trigger condition uses cannot change type.
#[test]
fn type_changes_under_dependents_are_refused() {
    insta::assert_snapshot!(format!(
        "{}\n{}",
        error(&format!(
            "{TABLE}create view core.v as select title from core.shows;\n\
             alter table core.shows alter column title type varchar(80);"
        )),
        error(&format!(
            "{TABLE}create policy p on core.shows using (title <> '');\n\
             alter table core.shows alter column title type varchar(80);"
        )),
    ));
}

/// Every prefix of a history using every statement above, and damaged
/// copies of it, replay to a result or an error, never a panic.
#[test]
fn prefixes_and_damage_never_panic() {
    let history = format!(
        "{TABLE}create function core.touch() returns trigger language plpgsql leakproof cost 5 as $$ begin return new; end $$;\n\
         create trigger t before update of title on core.shows for each row when (old.title <> new.title) execute function core.touch('a', 2);\n\
         create policy \"p q\" on core.shows as restrictive for update to anon using (true) with check (title <> '');\n\
         alter policy \"p q\" on core.shows rename to r;\n\
         grant select (title), update on core.shows to anon with grant option;\n\
         alter default privileges in schema core revoke grant option for all on tables from anon;\n\
         create view core.v (a) with (security_barrier) as select title from core.shows with cascaded check option;\n\
         create materialized view core.m as select 1 as one with data;\n\
         comment on function core.touch() is 'x';\n\
         alter view core.v rename column a to b;\n\
         drop function core.touch() cascade;\n"
    );
    let mut checked = 0;
    for cut in (0..=history.len()).filter(|c| history.is_char_boundary(*c)) {
        let _ = replay_sources(&sources(&[("0001.sql", &history[..cut])]));
        checked += 1;
    }
    assert!(checked > 500);
    for at in (0..history.len()).step_by(5) {
        for junk in ["(", ")", "'", "$", ";", "\"", "é", ","] {
            let mut damaged = history.clone();
            damaged.replace_range(at..at + 1, junk);
            let _ = replay_sources(&sources(&[("0001.sql", &damaged)]));
        }
    }
    let r = replay_sources(&sources(&[("0001.sql", &history)])).unwrap();
    assert!(r.notes.is_empty(), "{}", render(&r));
}

/// Sequences created with a column (serial, identity added later) receive
/// the sequence defaults; dropping the column or the identity drops them.
#[test]
fn owned_sequences_follow_their_columns() {
    let r = one("create table public.a (x int not null, y int);\n\
         alter table public.a add column n serial;\n\
         alter table public.a alter column x add generated always as identity;\n\
         alter table public.a drop column n;\n");
    let gone = one("create table public.a (x int not null);\n\
         alter table public.a alter column x add generated always as identity;\n\
         alter table public.a alter column x drop identity;\n");
    insta::assert_snapshot!(format!(
        "{}\n-- identity dropped\n{}",
        render(&r)
            .lines()
            .filter(|l| l.contains("SEQUENCE"))
            .collect::<Vec<_>>()
            .join("\n"),
        render(&gone)
            .lines()
            .filter(|l| l.contains("SEQUENCE"))
            .count()
    ));
}
