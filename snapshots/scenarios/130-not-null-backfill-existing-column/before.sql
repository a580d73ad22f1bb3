CREATE SCHEMA core;
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    sort_title text
);
