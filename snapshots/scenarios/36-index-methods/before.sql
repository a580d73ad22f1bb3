CREATE SCHEMA core;
CREATE EXTENSION btree_gist;
CREATE TABLE core.events (
    id bigint PRIMARY KEY,
    code text NOT NULL,
    tags text[] NOT NULL,
    during tstzrange NOT NULL,
    at timestamptz NOT NULL,
    kind integer NOT NULL
);
