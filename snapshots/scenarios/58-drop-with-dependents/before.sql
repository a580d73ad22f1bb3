CREATE SCHEMA core;
CREATE TYPE core.kind AS ENUM ('film', 'series');
CREATE TABLE core.orgs (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE core.networks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES core.orgs (id) ON DELETE CASCADE,
    parent_id bigint REFERENCES core.networks (id),
    code text NOT NULL CHECK (char_length(code) = 4),
    kind core.kind NOT NULL DEFAULT 'series',
    CONSTRAINT networks_org_code_key UNIQUE (org_id, code)
);
COMMENT ON TABLE core.networks IS 'Broadcasters';
COMMENT ON COLUMN core.networks.code IS 'Four letters';
CREATE INDEX networks_lower_code ON core.networks (lower(code)) WHERE parent_id IS NULL;
COMMENT ON INDEX core.networks_lower_code IS 'Lookup';
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    network_id bigint REFERENCES core.networks (id),
    rating numeric(3,1) DEFAULT 0 CHECK (rating >= 0),
    title text NOT NULL
);
COMMENT ON COLUMN core.shows.rating IS 'Average rating';
CREATE INDEX shows_rating ON core.shows (rating DESC) WHERE rating > 5;
INSERT INTO core.orgs VALUES ('00000000-0000-0000-0000-000000000001', 'TRR');
INSERT INTO core.networks (org_id, code) VALUES ('00000000-0000-0000-0000-000000000001', 'ABCD');
INSERT INTO core.shows VALUES ('00000000-0000-0000-0000-000000000002', 1, 7.5, 'Pilot');
