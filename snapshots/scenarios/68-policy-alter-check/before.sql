create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
alter table core.notes enable row level security;
create policy notes_insert on core.notes for insert to authenticated with check (owner_id = auth.uid());
create policy notes_update on core.notes for update to authenticated using (owner_id = auth.uid());
