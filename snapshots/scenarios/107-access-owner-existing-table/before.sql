create schema core;
create table core.docs (
    id uuid primary key default gen_random_uuid(),
    owner_id uuid not null references auth.users (id) on delete cascade,
    title text not null
);
grant select on core.docs to anon;
