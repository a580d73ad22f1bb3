create table public.invitations (
  id uuid primary key default extensions.gen_random_uuid(),
  organisation_id uuid not null references public.organisations on delete cascade,
  email extensions.citext not null,
  role public.org_role not null default 'member',
  token text not null default encode(extensions.gen_random_bytes(24), 'hex'),
  invited_by uuid references auth.users on delete set null,
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  unique (organisation_id, email)
);

create unique index invitations_token_key on public.invitations (token);

alter table public.invitations enable row level security;
create policy "Admins see invitations" on public.invitations
  for select to authenticated using (public.has_role_in(organisation_id, 'admin'));
create policy "Admins invite" on public.invitations
  for insert to authenticated with check (public.has_role_in(organisation_id, 'admin'));
