CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE core.memberships (
    org_id uuid NOT NULL REFERENCES core.orgs (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (org_id, user_id)
);
