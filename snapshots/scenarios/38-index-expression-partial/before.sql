CREATE SCHEMA core;
CREATE TABLE core.users (id uuid PRIMARY KEY, email text NOT NULL, deleted_at timestamptz, org_id uuid NOT NULL);
