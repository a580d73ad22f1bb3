CREATE SCHEMA core;
CREATE TYPE core.show_status AS ENUM ('active', 'ended');
CREATE TABLE core.orgs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE core.shows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL REFERENCES core.orgs (id),
    title text NOT NULL,
    status core.show_status NOT NULL DEFAULT 'active',
    notes text
);
CREATE INDEX shows_org ON core.shows (org_id);
