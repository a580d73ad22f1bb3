create schema core;
create table core.notes (
    id bigint generated always as identity primary key,
    owner_id uuid not null,
    body text not null
);
