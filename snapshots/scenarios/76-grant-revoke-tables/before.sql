create schema core;
grant usage on schema core to authenticated, anon;
create table core.shows (id bigint generated always as identity primary key, title text not null);
create table core.episodes (id bigint generated always as identity primary key, title text not null);
grant select on core.shows to anon, authenticated;
grant all on table core.episodes to authenticated;
