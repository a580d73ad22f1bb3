-- 0003: seasons and episodes.
BEGIN;

CREATE TABLE core.seasons (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    show_id       uuid NOT NULL REFERENCES core.shows (id) ON DELETE CASCADE,
    number        integer NOT NULL,
    title         text,
    premiered_on  date,
    CONSTRAINT seasons_number_check CHECK (number > 0),
    UNIQUE (show_id, number)
);

CREATE TABLE core.episodes (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    season_id        uuid NOT NULL REFERENCES core.seasons (id) ON DELETE CASCADE,
    number           integer NOT NULL CHECK (number > 0),
    title            text NOT NULL,
    air_date         date,
    runtime_minutes  integer,
    UNIQUE (season_id, number)
);

-- Only aired episodes have a date worth searching.
CREATE INDEX episodes_air_date_idx ON core.episodes (air_date) WHERE air_date IS NOT NULL;

COMMIT;
