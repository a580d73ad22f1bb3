create table public.projects (
  id uuid primary key default extensions.gen_random_uuid(),
  organisation_id uuid not null references public.organisations on delete cascade,
  name text not null,
  description text,
  created_by uuid references auth.users on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create index projects_organisation_id_idx on public.projects (organisation_id);

create trigger handle_updated_at before update on public.projects
  for each row execute procedure extensions.moddatetime (updated_at);

alter table public.projects enable row level security;
create policy "Members read projects" on public.projects
  for select to authenticated using (public.is_member_of(organisation_id));
create policy "Members write projects" on public.projects
  for all to authenticated
  using (public.is_member_of(organisation_id))
  with check (public.is_member_of(organisation_id));
