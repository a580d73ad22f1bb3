BEGIN;

CREATE TABLE IF NOT EXISTS core.seasons (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    show_id uuid NOT NULL REFERENCES core.shows(id) ON DELETE CASCADE,
    season_number integer NOT NULL CHECK (season_number > 0),
    title text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (show_id, season_number)
);

CREATE TABLE IF NOT EXISTS core.episodes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    season_id uuid NOT NULL REFERENCES core.seasons(id) ON DELETE CASCADE,
    episode_number integer NOT NULL CHECK (episode_number > 0),
    title text,
    air_date date,
    runtime_minutes integer CHECK (runtime_minutes BETWEEN 1 AND 600),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS episodes_season_id_idx ON core.episodes (season_id);

COMMIT;
