-- 0002: networks / production companies and the shows they air.

create table core.orgs (
    id          uuid primary key default gen_random_uuid(),
    slug        text not null unique,
    name        text not null,
    created_at  timestamptz not null default now(),
    constraint orgs_slug_check check (slug ~ '^[a-z0-9-]+$')
);
comment on table core.orgs is 'Networks and production companies';

create table core.shows (
    id            uuid primary key default gen_random_uuid(),
    org_id        uuid not null references core.orgs (id) on delete cascade,
    slug          text not null,
    title         text not null check (char_length(title) > 0),
    status        core.show_status not null default 'development',
    premiere_date date,
    external_ids  jsonb not null default '{}'::jsonb,
    created_at    timestamptz not null default now(),
    deleted_at    timestamptz,
    unique (org_id, slug)
);
comment on table core.shows is 'TV shows tracked by TRR';
comment on column core.shows.title is 'Display title';

-- Listing pages show an org's live shows, newest first.
create index shows_org_recent on core.shows (org_id, created_at desc) where deleted_at is null;
create index shows_external_ids on core.shows using gin (external_ids jsonb_path_ops);
