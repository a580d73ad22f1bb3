create schema core;
create table core.memberships (org_id uuid not null, user_id uuid not null, role text not null, primary key (org_id, user_id));
create table core.shows (id bigint generated always as identity primary key, org_id uuid not null, title text not null);
create function core.is_member(org uuid) returns boolean
    language sql stable security definer set search_path = ''
    as $$ select exists (select 1 from core.memberships m where m.org_id = org and m.user_id = auth.uid()) $$;
alter table core.shows enable row level security;
create policy shows_read on core.shows for select to authenticated using (core.is_member(org_id));
