create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    org_id uuid not null,
    title text not null,
    rating integer,
    deleted_at timestamptz
);

create view core.show_ratings as select id, title, rating from core.shows;
create view core.best_shows as select id, title from core.show_ratings where rating > 8;
grant select on core.show_ratings, core.best_shows to authenticated;
