CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    legacy_code text NOT NULL,
    legacy_flag boolean NOT NULL DEFAULT false,
    legacy_note text
);
