CREATE SCHEMA core;
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    meta jsonb NOT NULL DEFAULT '{}'::jsonb
);
