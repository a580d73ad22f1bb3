create schema core;
create table core.shows (id bigint generated always as identity primary key, title text not null);
create table core.audit (at timestamptz not null default now(), what text not null, op text not null);
