create schema core;
create table core.tickets (id bigint generated always as identity primary key, title text not null);
