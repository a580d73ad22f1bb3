CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, title text NOT NULL);
CREATE TABLE core.legacy_imports (id bigint PRIMARY KEY, payload jsonb);
