create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null, hidden boolean not null default false);
alter table core.notes enable row level security;
create policy notes_read on core.notes as permissive for select to authenticated using (true);
create policy notes_not_hidden on core.notes as permissive for select to authenticated using (not hidden);
