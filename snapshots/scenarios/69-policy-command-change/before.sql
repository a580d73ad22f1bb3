create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
alter table core.notes enable row level security;
create policy notes_own on core.notes for select to authenticated using (owner_id = auth.uid());
create policy notes_remove on core.notes for update to authenticated using (owner_id = auth.uid());
