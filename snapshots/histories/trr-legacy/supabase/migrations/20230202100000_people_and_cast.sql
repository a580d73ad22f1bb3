-- People appear on many shows; cast_members is the credit on one show.
create table if not exists core.people (
    id uuid primary key default gen_random_uuid(),
    full_name text not null,
    instagram_handle text,
    created_at timestamptz not null default now()
);

create table if not exists core.cast_members (
    id bigserial primary key,
    show_id uuid not null references core.shows(id) on delete cascade,
    person_id uuid not null references core.people(id) on delete cascade,
    credit core.credit_kind not null default 'main',
    first_season integer,
    notes text,
    created_at timestamptz not null default now()
);

create index if not exists cast_members_show_id_idx on core.cast_members (show_id);
create index if not exists cast_members_person_id_idx on core.cast_members (person_id);
create unique index if not exists cast_members_show_person_key on core.cast_members (show_id, person_id);

-- Who was in which episode (the "appearance tracker").
create table if not exists core.episode_appearances (
    episode_id uuid not null references core.episodes(id) on delete cascade,
    cast_member_id bigint not null references core.cast_members(id) on delete cascade,
    primary key (episode_id, cast_member_id)
);
