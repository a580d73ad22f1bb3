CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY);
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid REFERENCES core.orgs (id),
    rating integer CONSTRAINT shows_rating_range CHECK (rating BETWEEN 1 AND 5)
);
