CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, title text NOT NULL);
CREATE INDEX shows_title ON core.shows (title);
CREATE INDEX shows_lower_title ON core.shows (lower(title));
