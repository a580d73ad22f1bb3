-- 0001: the core schema, extensions and shared enum types.
BEGIN;

CREATE SCHEMA IF NOT EXISTS core;
COMMENT ON SCHEMA core IS 'TRR core data';

-- gen_random_uuid() for primary keys.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TYPE core.show_status AS ENUM ('development', 'airing', 'hiatus', 'ended');
COMMENT ON TYPE core.show_status IS 'Where a show is in its lifecycle';

CREATE TYPE core.cast_role AS ENUM ('main', 'friend', 'guest', 'host');

COMMIT;
