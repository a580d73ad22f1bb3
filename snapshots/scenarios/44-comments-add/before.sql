CREATE SCHEMA core;
CREATE TYPE core.show_status AS ENUM ('active', 'ended');
CREATE TABLE core.shows (id uuid PRIMARY KEY, title text NOT NULL, status core.show_status NOT NULL);
CREATE INDEX shows_title ON core.shows (title);
