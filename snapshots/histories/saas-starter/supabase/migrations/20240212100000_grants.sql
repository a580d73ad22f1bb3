grant select, insert, update, delete on public.projects to authenticated;
grant select, update on public.profiles to authenticated;
grant select, insert, update on public.organisations to authenticated;
grant select on public.memberships to authenticated;
revoke all on public.api_keys from anon;
revoke all on public.audit_log from anon, authenticated;
grant select on public.audit_log to authenticated;
grant usage on schema public to postgres;
alter default privileges for role postgres in schema public grant all on tables to postgres;
