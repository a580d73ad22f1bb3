CREATE SCHEMA core;
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    title text,
    meta jsonb NOT NULL DEFAULT '{}'::jsonb
);
