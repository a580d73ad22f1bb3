CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    slug text NOT NULL,
    UNIQUE (org_id, slug),
    CONSTRAINT shows_slug_key UNIQUE NULLS NOT DISTINCT (slug) DEFERRABLE
);
