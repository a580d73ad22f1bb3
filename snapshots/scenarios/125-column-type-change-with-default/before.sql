create schema core;
create table core.tickets (
    id bigint generated always as identity primary key,
    status varchar(20) not null default 'open'
);
