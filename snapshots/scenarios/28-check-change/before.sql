CREATE SCHEMA core;
CREATE TABLE core.seasons (
    id uuid PRIMARY KEY,
    number integer NOT NULL CHECK (number > 0),
    title text NOT NULL,
    CONSTRAINT seasons_title_length CHECK (char_length(title) > 0)
);
