create table public.documents (
  id bigint primary key generated always as identity,
  owner_id uuid not null default auth.uid() references auth.users on delete cascade,
  title text not null,
  storage_object_path text,
  created_at timestamptz not null default now()
);

alter table public.documents enable row level security;

create policy "Users can insert documents" on public.documents
  for insert to authenticated with check (auth.uid() = owner_id);
create policy "Users can query their own documents" on public.documents
  for select to authenticated using (auth.uid() = owner_id);
