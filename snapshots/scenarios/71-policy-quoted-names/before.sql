create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
alter table core.notes enable row level security;
create policy "Owners can read" on core.notes for select to authenticated using (owner_id = auth.uid());
create policy "Team's edits" on core.notes for update to authenticated using (true);
create policy "LoudName" on core.notes for delete to authenticated using (false);
