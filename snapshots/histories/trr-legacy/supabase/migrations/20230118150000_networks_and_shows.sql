create table if not exists core.networks (
    id serial primary key,
    name text not null,
    country_code char(2),
    created_at timestamptz not null default now(),
    constraint networks_name_key unique (name)
);

create table if not exists core.shows (
    id uuid primary key default gen_random_uuid(),
    network_id integer references core.networks (id) on delete set null,
    title text not null,
    handle text,
    status core.show_status not null default 'announced',
    premiere_date date,
    legacy_rating numeric(3, 1),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create index if not exists shows_network_id_idx on core.shows (network_id);

create trigger shows_set_updated_at
    before update on core.shows
    for each row execute function public.set_updated_at();

comment on table core.shows is 'Reality TV shows tracked by TRR';
