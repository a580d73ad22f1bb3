create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
alter table core.notes enable row level security;
alter table core.notes force row level security;
create policy notes_read on core.notes for select to authenticated using (owner_id = auth.uid());
create policy notes_write on core.notes for all to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());
