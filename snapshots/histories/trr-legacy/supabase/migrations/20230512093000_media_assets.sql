-- Posters, stills and headshots live in Storage; this table keeps what we
-- know about each object.
create type media.asset_kind as enum ('poster', 'still', 'headshot');

create table if not exists media.assets (
    id uuid primary key default gen_random_uuid(),
    kind media.asset_kind not null,
    bucket_id text not null default 'show-posters',
    object_path text not null,
    show_id uuid references core.shows(id) on delete cascade,
    person_id uuid references core.people(id) on delete cascade,
    uploaded_by uuid references auth.users(id) on delete set null,
    width integer,
    height integer,
    created_at timestamptz not null default now(),
    constraint assets_bucket_path_key unique (bucket_id, object_path),
    constraint assets_subject_check check (num_nonnulls(show_id, person_id) = 1)
);

create index if not exists assets_kind_idx on media.assets (kind);

insert into storage.buckets (id, name, public)
values ('show-posters', 'show-posters', true),
       ('headshots', 'headshots', true)
on conflict (id) do nothing;

create policy "Public read of TRR images" on storage.objects
    for select
    using (bucket_id in ('show-posters', 'headshots'));

create policy "Admins upload TRR images" on storage.objects
    for insert to authenticated
    with check (
        bucket_id in ('show-posters', 'headshots')
        and exists (select 1 from public.profiles p where p.id = auth.uid() and p.is_admin)
    );

alter table media.assets enable row level security;
create policy "Public read" on media.assets for select using (true);
grant select on media.assets to anon, authenticated;
grant all on media.assets to service_role;
