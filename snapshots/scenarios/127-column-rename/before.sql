CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    handle text NOT NULL DEFAULT '',
    title text NOT NULL
);
COMMENT ON COLUMN core.shows.handle IS 'URL handle';
