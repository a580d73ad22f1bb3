create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    org_id uuid not null,
    title text not null,
    rating integer,
    deleted_at timestamptz
);

create table core.archive_flags (show_id bigint primary key references core.shows (id), reason text);
alter table core.shows enable row level security;
create policy shows_visible on core.shows for select to authenticated using (deleted_at is null);
create policy shows_unflagged on core.shows as restrictive for select to authenticated
    using (not exists (select 1 from core.archive_flags f where f.show_id = id));
