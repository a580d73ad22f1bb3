CREATE SCHEMA core;
CREATE TABLE core.seasons (
    id uuid PRIMARY KEY,
    number integer NOT NULL CHECK (number > 0),
    starts_at date,
    ends_at date,
    CONSTRAINT seasons_dates_check CHECK (ends_at >= starts_at)
);
