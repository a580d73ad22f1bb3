-- security definer helpers keep policies from recursing through memberships
create or replace function public.is_member_of(org uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.organisation_id = org and m.user_id = (select auth.uid())
  );
$$;

create or replace function public.has_role_in(org uuid, wanted public.org_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.memberships m
    where m.organisation_id = org
      and m.user_id = (select auth.uid())
      and m.role <= wanted
  );
$$;

revoke execute on function public.is_member_of(uuid) from anon;
revoke execute on function public.has_role_in(uuid, public.org_role) from anon;
