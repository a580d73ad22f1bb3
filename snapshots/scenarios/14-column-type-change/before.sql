CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, slug varchar(20) NOT NULL, rating numeric(3,1));
