create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    org_id uuid not null,
    title text not null,
    rating integer,
    deleted_at timestamptz
);

create view core.active_shows as
    select id, org_id, title from core.shows where deleted_at is null;
grant select on core.active_shows to authenticated;
create view core.rated_shows with (security_barrier) as select id, rating from core.shows where rating is not null;
