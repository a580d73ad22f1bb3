CREATE SCHEMA core;
CREATE TABLE core.log (at timestamptz NOT NULL, msg text NOT NULL);
