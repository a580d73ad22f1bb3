-- 0006: signed-in users may read organisations; nobody else reaches core.
-- Written by hand before trr-schema managed access; the KDL declares the
-- same policy in its own spelling, so plan leaves it alone.
grant usage on schema core to authenticated, service_role;
grant select on table core.orgs to authenticated;
grant select, insert, update, delete on core.orgs to service_role;

alter table core.orgs enable row level security;

create policy "Orgs are readable when signed in"
    on core.orgs
    as permissive
    for select
    to authenticated
    using ( true );
