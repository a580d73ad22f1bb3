-- The expand file of an earlier plan ran: the constraints exist NOT VALID.
CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY, name text NOT NULL);
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    org_id uuid,
    title text NOT NULL,
    rating integer
);
ALTER TABLE core.shows ADD CONSTRAINT shows_org_id_fkey FOREIGN KEY (org_id) REFERENCES core.orgs (id) ON DELETE CASCADE NOT VALID;
ALTER TABLE core.shows ADD CONSTRAINT shows_title_check CHECK (char_length(title) > 0) NOT VALID;
ALTER TABLE core.shows ADD CONSTRAINT shows_rating_range CHECK (rating BETWEEN 1 AND 5) NOT VALID;
