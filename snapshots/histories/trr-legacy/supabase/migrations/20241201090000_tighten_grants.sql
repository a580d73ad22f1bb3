-- Security review: anon reads nothing it does not need.
revoke all on core.episode_watches from anon;
revoke all on core.episode_watches_archive from anon, authenticated;
grant select, insert on core.episode_watches to authenticated;

alter default privileges in schema core grant select on tables to authenticated;

drop policy if exists "Admins write shows" on core.shows;
create policy "Admins write shows" on core.shows
    for all to authenticated
    using ((select p.is_admin from public.profiles p where p.id = auth.uid()))
    with check ((select p.is_admin from public.profiles p where p.id = auth.uid()));

-- Reviews by deleted users keep the text, not the author.
alter table if exists core.show_reviews alter column user_id drop not null;
