create schema core;
create table core.shows (id bigint generated always as identity primary key, title text not null);
create function core.show_count() returns integer language sql stable as $$ select count(*)::integer from core.shows $$;
revoke execute on function core.show_count() from public;
grant execute on function core.show_count() to authenticated;
