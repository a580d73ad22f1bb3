create schema core;
create schema api;
grant usage on schema core to anon;
