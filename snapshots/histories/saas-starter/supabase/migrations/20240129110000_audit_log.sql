create table public.audit_log (
  id bigint generated always as identity primary key,
  organisation_id uuid not null references public.organisations on delete cascade,
  actor_id uuid references auth.users on delete set null,
  action text not null,
  target text,
  details jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now()
);

create index audit_log_organisation_created_idx on public.audit_log (organisation_id, created_at desc);

alter table public.audit_log enable row level security;
create policy "Admins read the audit log" on public.audit_log
  for select to authenticated using (public.has_role_in(organisation_id, 'admin'));
