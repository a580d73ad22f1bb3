CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    legacy_code varchar(12),
    old_rating numeric(3,1) NOT NULL DEFAULT 0
);
