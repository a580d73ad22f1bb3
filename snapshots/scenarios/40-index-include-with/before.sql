CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, org_id uuid NOT NULL, title text NOT NULL, slug text NOT NULL);
