create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    org_id uuid not null,
    title text not null,
    rating integer,
    deleted_at timestamptz
);

create table core.memberships (org_id uuid not null, user_id uuid not null, role text not null, primary key (org_id, user_id));
alter table core.shows enable row level security;
