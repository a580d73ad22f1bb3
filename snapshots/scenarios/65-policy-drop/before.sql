create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
alter table core.notes enable row level security;
create policy "owners read" on core.notes for select to authenticated using (owner_id = auth.uid());
create policy anyone_reads on core.notes for select using (true);
