create schema jobs;
create table jobs.queue (id bigint generated always as identity primary key, payload jsonb not null);
alter table jobs.queue enable row level security;
