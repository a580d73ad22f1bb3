create table if not exists public.watchlist_items (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references auth.users(id) on delete cascade,
    show_id uuid not null references core.shows(id) on delete cascade,
    added_at timestamptz not null default now(),
    unique (user_id, show_id)
);

alter table public.watchlist_items enable row level security;

create policy "Users manage their own watchlist" on public.watchlist_items
    for all to authenticated
    using (auth.uid() = user_id)
    with check (auth.uid() = user_id);

-- The app listens for watchlist changes.
alter publication supabase_realtime add table public.watchlist_items;
