CREATE SCHEMA core;
CREATE TABLE core.shows (id uuid PRIMARY KEY, org_id uuid NOT NULL, created_at timestamptz NOT NULL, rank integer);
