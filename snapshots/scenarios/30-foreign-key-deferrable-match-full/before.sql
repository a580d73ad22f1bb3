CREATE SCHEMA core;
CREATE TABLE core.seasons (show_id uuid NOT NULL, number integer NOT NULL, PRIMARY KEY (show_id, number));
CREATE TABLE core.episodes (id uuid PRIMARY KEY, show_id uuid, season_number integer);
