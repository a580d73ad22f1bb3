create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null, published boolean not null default false);
alter table core.notes enable row level security;
create policy notes_read on core.notes for select to authenticated using (published);
