create schema core;
create table core.docs (
    id uuid primary key default gen_random_uuid(),
    owner_id uuid not null references auth.users (id) on delete cascade,
    title text not null
);

alter table core.docs enable row level security;
create policy docs_owner_select on core.docs for select to authenticated using (owner_id = (select auth.uid()));
grant select on core.docs to authenticated;
