CREATE SCHEMA core;
CREATE TYPE core.show_status AS ENUM ('active', 'ended');
COMMENT ON TYPE core.show_status IS 'Lifecycle';
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    status core.show_status NOT NULL DEFAULT 'active',
    past_statuses core.show_status[] NOT NULL DEFAULT '{}',
    CONSTRAINT shows_status_check CHECK (status <> 'ended' OR id IS NOT NULL)
);
CREATE INDEX shows_active ON core.shows (id) WHERE status = 'active';
COMMENT ON INDEX core.shows_active IS 'Active shows';
CREATE INDEX shows_status ON core.shows (status);
INSERT INTO core.shows (id) VALUES ('00000000-0000-0000-0000-000000000001');
