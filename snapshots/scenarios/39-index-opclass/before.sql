CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, title text NOT NULL, external_ids jsonb NOT NULL DEFAULT '{}'::jsonb);
