create table public.collections (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users on delete cascade,
  name text not null,
  centroid extensions.vector(384),
  created_at timestamptz not null default now(),
  unique (owner_id, name)
);

alter table public.documents add column collection_id uuid references public.collections on delete set null;

create index collections_centroid_idx on public.collections using ivfflat (centroid extensions.vector_l2_ops) with (lists = 100);

alter table public.collections enable row level security;
create policy "Owners use their collections" on public.collections
  for all to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());
