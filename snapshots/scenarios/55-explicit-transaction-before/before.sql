BEGIN;
CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, title text NOT NULL);
COMMIT;
CREATE INDEX CONCURRENTLY shows_title ON core.shows (title);
