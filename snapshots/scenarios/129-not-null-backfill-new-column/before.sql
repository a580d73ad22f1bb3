CREATE SCHEMA core;
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    season int NOT NULL,
    title text NOT NULL,
    meta jsonb
);
