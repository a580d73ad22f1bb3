create table public.api_keys (
  id uuid primary key default extensions.gen_random_uuid(),
  organisation_id uuid not null references public.organisations on delete cascade,
  name text not null,
  key_hash text not null,
  prefix text not null,
  last_used_at timestamptz,
  created_by uuid references auth.users on delete set null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);

create unique index api_keys_prefix_key on public.api_keys (prefix) where revoked_at is null;

alter table public.api_keys enable row level security;
create policy "Admins see api keys" on public.api_keys
  for select to authenticated using (public.has_role_in(organisation_id, 'admin'));

create or replace function public.create_api_key(org uuid, key_name text)
returns text
language plpgsql
security definer
set search_path = ''
as $$
declare
  raw text := encode(extensions.gen_random_bytes(32), 'base64');
begin
  if not public.has_role_in(org, 'admin') then
    raise exception 'not allowed';
  end if;
  insert into public.api_keys (organisation_id, name, key_hash, prefix, created_by)
  values (org, key_name, extensions.crypt(raw, extensions.gen_salt('bf')), left(raw, 8), auth.uid());
  return raw;
end;
$$;
