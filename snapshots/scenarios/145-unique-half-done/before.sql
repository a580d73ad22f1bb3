-- An earlier plan's expand_indexes file ran: the index exists, the
-- constraint does not yet.
CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL,
    slug text NOT NULL,
    external_ref text
);
CREATE UNIQUE INDEX CONCURRENTLY shows_org_id_slug_key ON core.shows (org_id, slug);
