create schema core;
create table core.notes (id bigint generated always as identity primary key, owner_id uuid not null, body text not null);
create table core.audit (id bigint generated always as identity primary key, what text not null);
alter table core.notes enable row level security;
alter table core.audit enable row level security;
alter table core.audit force row level security;
