CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    slug text NOT NULL,
    CONSTRAINT shows_slug_key UNIQUE (slug)
);
