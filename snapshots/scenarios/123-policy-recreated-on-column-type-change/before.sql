create schema core;
create table core.tickets (
    id bigint generated always as identity primary key,
    owner_id uuid not null,
    status varchar(20) not null
);
alter table core.tickets enable row level security;
create policy tickets_open on core.tickets for select to authenticated
    using (status = 'open' or owner_id = auth.uid());
create policy tickets_owner on core.tickets for update to authenticated
    using (owner_id = auth.uid());
