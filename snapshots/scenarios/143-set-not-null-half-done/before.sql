-- An earlier plan's expand file ran (the helper check for title exists, not
-- validated yet) and someone validated status's check by hand.
CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    title text,
    summary text,
    status text DEFAULT 'draft'
);
ALTER TABLE core.shows ADD CONSTRAINT shows_title_trr_not_null CHECK (title IS NOT NULL) NOT VALID;
ALTER TABLE core.shows ADD CONSTRAINT shows_status_trr_not_null CHECK (status IS NOT NULL) NOT VALID;
ALTER TABLE core.shows VALIDATE CONSTRAINT shows_status_trr_not_null;
