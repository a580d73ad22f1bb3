create schema core;
create table core.shows (id bigint generated always as identity primary key, title text not null);
