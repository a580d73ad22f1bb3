CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, handle text NOT NULL);
CREATE TABLE core.old_names (id uuid PRIMARY KEY);
