CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid NOT NULL, title text NOT NULL, CONSTRAINT shows_pkey PRIMARY KEY (id));
