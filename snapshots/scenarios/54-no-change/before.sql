CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL CHECK (char_length(title) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shows_created ON core.shows (created_at DESC);
