create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    org_id uuid not null,
    title text not null,
    rating integer,
    deleted_at timestamptz
);

create materialized view core.show_counts as
    select org_id, count(*) as shows from core.shows group by org_id;
