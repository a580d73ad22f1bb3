create policy "Members see their organisations" on public.organisations
  for select to authenticated using (public.is_member_of(id));
create policy "Owners update their organisation" on public.organisations
  for update to authenticated using (public.has_role_in(id, 'owner'));
create policy "Anyone signed in creates an organisation" on public.organisations
  for insert to authenticated with check (created_by = (select auth.uid()));

create policy "Members see fellow members" on public.memberships
  for select to authenticated using (public.is_member_of(organisation_id));
create policy "Admins manage members" on public.memberships
  for all to authenticated
  using (public.has_role_in(organisation_id, 'admin'))
  with check (public.has_role_in(organisation_id, 'admin'));
