CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    slug text NOT NULL,
    external_ref text
);
CREATE TABLE core.episodes (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    show_slug text NOT NULL
);
