create table if not exists core.show_ratings (
    id uuid primary key default gen_random_uuid(),
    show_id uuid not null references core.shows(id) on delete cascade,
    user_id uuid not null references auth.users(id) on delete cascade,
    score smallint not null check (score between 1 and 10),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    unique (show_id, user_id)
);

create index if not exists show_ratings_user_id_idx on core.show_ratings (user_id);

alter table core.show_ratings enable row level security;

create policy "Users rate as themselves" on core.show_ratings
    for insert to authenticated
    with check (auth.uid() = user_id);

create policy "Users change their own ratings" on core.show_ratings
    for update to authenticated
    using (auth.uid() = user_id);

grant select on core.show_ratings to anon;
grant select, insert, update, delete on core.show_ratings to authenticated;

-- Cards on the home page.
create or replace view public.show_cards as
select s.id, s.title, s.slug, s.legacy_rating, n.name as network
from core.shows s
left join core.networks n on n.id = s.network_id;
