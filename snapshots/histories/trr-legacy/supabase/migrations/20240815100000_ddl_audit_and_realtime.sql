-- Log every DDL command (the on-call asked for it after the March incident).
create table if not exists public.ddl_log (
    id bigserial primary key,
    command_tag text not null,
    object_identity text,
    logged_at timestamptz not null default now()
);

create or replace function public.log_ddl()
returns event_trigger
language plpgsql
as $$
declare
    cmd record;
begin
    for cmd in select * from pg_event_trigger_ddl_commands() loop
        insert into public.ddl_log (command_tag, object_identity)
        values (cmd.command_tag, cmd.object_identity);
    end loop;
end;
$$;

create event trigger trr_log_ddl on ddl_command_end
    execute function public.log_ddl();

-- Live "now watching" counters.
alter publication supabase_realtime add table core.episode_watches;
