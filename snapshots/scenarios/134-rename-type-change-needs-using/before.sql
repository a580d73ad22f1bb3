CREATE SCHEMA core;
CREATE TABLE core.shows (id bigint PRIMARY KEY, code text NOT NULL);
