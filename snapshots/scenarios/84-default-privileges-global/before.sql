create schema core;
create function core.now_utc() returns timestamp language sql stable as $$ select now() at time zone 'utc' $$;
