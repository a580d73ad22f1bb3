CREATE SCHEMA core;
CREATE TABLE core.seasons (
    id uuid PRIMARY KEY,
    number integer NOT NULL,
    starts_at date,
    ends_at date
);
