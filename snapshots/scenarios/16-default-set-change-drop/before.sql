CREATE SCHEMA core;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    episode_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
