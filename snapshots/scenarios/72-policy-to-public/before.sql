create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
alter table core.notes enable row level security;
create policy notes_read on core.notes for select to authenticated using (true);
create policy notes_public on core.notes for select to PUBLIC using (false);
