CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    slug text NOT NULL,
    email text,
    external_ref text
);
