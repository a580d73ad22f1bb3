CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, org_id uuid NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz);
CREATE INDEX shows_org_recent ON core.shows (org_id, created_at);
CREATE INDEX shows_created ON core.shows (created_at);
