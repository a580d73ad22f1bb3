create schema core;
grant usage on schema core to anon, authenticated;
create table core.posts (id bigint generated always as identity primary key, body text not null, published boolean not null default false);
alter table core.posts enable row level security;
create policy posts_read on core.posts for select to authenticated using (published);
grant select on core.posts to authenticated;
