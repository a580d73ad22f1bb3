grant select on all tables in schema clinic to anon, authenticated;
grant all on all tables in schema clinic to service_role;
grant usage, select on all sequences in schema clinic to authenticated, service_role;
grant select, update on public.patients to authenticated;
revoke all on public.patients from anon;
