create schema core;
create table core.shows (id bigint generated always as identity primary key, title text not null);
create table core.seasons (id bigint generated always as identity primary key, number int not null);
grant select on core.shows to authenticated;
grant select, update on core.seasons to service_role with grant option;
