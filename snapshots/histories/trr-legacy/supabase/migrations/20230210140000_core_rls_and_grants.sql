-- Everything in core is public to read; only admins write (the service role
-- bypasses RLS for the ingestion jobs).
alter table core.networks enable row level security;
alter table core.shows enable row level security;
alter table core.seasons enable row level security;
alter table core.episodes enable row level security;
alter table core.people enable row level security;
alter table core.cast_members enable row level security;
alter table core.episode_appearances enable row level security;

create policy "Public read" on core.networks for select using (true);
create policy "Public read" on core.shows for select using (true);
create policy "Public read" on core.seasons for select using (true);
create policy "Public read" on core.episodes for select using (true);
create policy "Public read" on core.people for select using (true);
create policy "Public read" on core.cast_members for select using (true);
create policy "Public read" on core.episode_appearances for select using (true);

create policy "Admins write shows" on core.shows
    for all to authenticated
    using (exists (select 1 from public.profiles p where p.id = auth.uid() and p.is_admin))
    with check (exists (select 1 from public.profiles p where p.id = auth.uid() and p.is_admin));

grant select on all tables in schema core to anon, authenticated;
grant all on all tables in schema core to service_role;
grant usage, select on all sequences in schema core to service_role;
