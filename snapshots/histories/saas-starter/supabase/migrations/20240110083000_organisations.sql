create table public.organisations (
  id uuid primary key default extensions.gen_random_uuid(),
  slug text not null unique,
  name text not null,
  created_by uuid references auth.users on delete set null,
  created_at timestamptz not null default now(),
  constraint organisations_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);

create type public.org_role as enum ('owner', 'admin', 'member');

create table public.memberships (
  organisation_id uuid not null references public.organisations on delete cascade,
  user_id uuid not null references auth.users on delete cascade,
  role public.org_role not null default 'member',
  created_at timestamptz not null default now(),
  primary key (organisation_id, user_id)
);

create index memberships_user_id_idx on public.memberships (user_id);

alter table public.organisations enable row level security;
alter table public.memberships enable row level security;
