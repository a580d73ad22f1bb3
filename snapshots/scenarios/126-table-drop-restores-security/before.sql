-- A table with everything the security surface attaches to it: RLS
-- (forced), a policy, a trigger, table, column and sequence privileges.
create schema core;
grant usage on schema core to authenticated;
create table core.keep (id int primary key);
create function core.touch() returns trigger language plpgsql as $$ begin return new; end $$;

create table core.notes (
    id bigserial primary key,
    owner_id uuid not null,
    body text,
    revision int generated always as identity
);
alter table core.notes enable row level security;
alter table core.notes force row level security;
create policy "own notes" on core.notes for select to authenticated
    using (owner_id = (select auth.uid()));
create trigger notes_touch before update on core.notes
    for each row execute function core.touch();
grant select, insert on core.notes to authenticated;
grant update (body) on core.notes to authenticated;
grant usage on sequence core.notes_id_seq to authenticated;
grant select on sequence core.notes_revision_seq to authenticated;
