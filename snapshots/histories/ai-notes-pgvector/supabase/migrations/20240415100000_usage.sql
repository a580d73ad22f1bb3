create table public.usage_events (
  id bigint primary key generated always as identity,
  owner_id uuid not null references auth.users on delete cascade,
  kind text not null check (kind in ('embedding', 'completion')),
  tokens integer not null check (tokens >= 0),
  model text not null,
  created_at timestamptz not null default now()
);

create index usage_events_owner_created_idx on public.usage_events (owner_id, created_at desc);

alter table public.usage_events enable row level security;
create policy "Owners read their usage" on public.usage_events
  for select to authenticated using (owner_id = auth.uid());
