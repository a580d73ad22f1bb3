CREATE SCHEMA core;
CREATE TABLE core.users (id uuid PRIMARY KEY, org_id uuid NOT NULL, email text NOT NULL, deleted_at timestamptz);
