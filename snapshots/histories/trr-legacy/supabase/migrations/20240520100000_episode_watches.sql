-- Watch history, and a cold copy of its shape for the yearly archive job.
create table if not exists core.episode_watches (
    id bigint generated always as identity primary key,
    user_id uuid not null references auth.users(id) on delete cascade,
    episode_id uuid references core.episodes(id) on delete set null,
    watched_at timestamptz not null default now(),
    progress_seconds integer not null default 0 check (progress_seconds >= 0)
);

create index if not exists episode_watches_user_recent_idx
    on core.episode_watches (user_id, watched_at desc);

create table if not exists core.episode_watches_archive (like core.episode_watches including all);

-- Sequence created by hand by the archive job's first version.
create sequence if not exists core.episode_watch_batch_seq;
alter table core.episode_watches_archive
    add column if not exists batch_id bigint default nextval('core.episode_watch_batch_seq');
alter sequence core.episode_watch_batch_seq owned by core.episode_watches_archive.batch_id;

alter table core.episode_watches enable row level security;
create policy "Users see their own history" on core.episode_watches
    for select to authenticated
    using (auth.uid() = user_id);
create policy "Users record their own watches" on core.episode_watches
    for insert to authenticated
    with check (auth.uid() = user_id);
