create schema core;
create or replace function core.slugify(input text) returns text
language sql immutable strict
as $fn$
    select lower(regexp_replace(input, '[^a-zA-Z0-9]+', '-', 'g'))
$fn$;
grant execute on function core.slugify(text) to authenticated;
