create schema core;
create function core.add(a integer, b integer) returns integer
    language sql immutable
    as $$ select a + b $$;
create function core.secret() returns text language sql as $$ select 'x'::text $$;
