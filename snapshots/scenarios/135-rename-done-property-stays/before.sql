CREATE SCHEMA core;
CREATE TABLE core.shows (id bigint PRIMARY KEY, slug text NOT NULL, rating int NOT NULL);
