-- shows_recent is being replaced: an earlier plan built the new definition
-- under its helper name; shows_title is replaced from scratch.
CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, org_id uuid NOT NULL, title text NOT NULL, created_at timestamptz NOT NULL, deleted_at timestamptz);
CREATE INDEX shows_recent ON core.shows (org_id, created_at);
COMMENT ON INDEX core.shows_recent IS 'recent shows per org';
CREATE INDEX shows_title ON core.shows (title);
CREATE INDEX CONCURRENTLY shows_recent_trr_new ON core.shows (org_id, created_at DESC) WHERE deleted_at IS NULL;
