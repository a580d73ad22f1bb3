CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    title text,
    summary text,
    status text
);
CREATE TABLE core.tags (code text, label text NOT NULL);
