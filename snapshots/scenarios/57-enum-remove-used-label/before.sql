CREATE SCHEMA core;
CREATE TYPE core.show_status AS ENUM ('active', 'paused', 'ended');
CREATE TABLE core.shows (id uuid PRIMARY KEY, status core.show_status NOT NULL);
