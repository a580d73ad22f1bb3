create table public.project_members (
  project_id uuid not null references public.projects on delete cascade,
  user_id uuid not null references auth.users on delete cascade,
  can_edit boolean not null default false,
  primary key (project_id, user_id)
);

alter table public.project_members enable row level security;
create policy "Members see project members" on public.project_members
  for select to authenticated using (
    exists (
      select 1 from public.projects p
      where p.id = project_id and public.is_member_of(p.organisation_id)
    )
  );
