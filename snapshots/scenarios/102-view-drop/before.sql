create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    org_id uuid not null,
    title text not null,
    rating integer,
    deleted_at timestamptz
);

create view core.active_shows as select id, title from core.shows where deleted_at is null;
create materialized view core.show_counts as select org_id, count(*) as n from core.shows group by org_id;
create view core.all_titles as select title from core.active_shows;
