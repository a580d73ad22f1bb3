CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid,
    title text NOT NULL,
    rating integer
);
