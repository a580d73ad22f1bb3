CREATE SCHEMA core;
CREATE TABLE core.episodes (
    id uuid NOT NULL PRIMARY KEY,
    show_id uuid NOT NULL,
    number integer NOT NULL
);
