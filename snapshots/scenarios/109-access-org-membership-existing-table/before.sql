CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE core.memberships (
    org_id uuid NOT NULL REFERENCES core.orgs (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE core.shows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id uuid NOT NULL REFERENCES core.orgs (id) ON DELETE CASCADE,
    title text NOT NULL
);
-- A hand-written policy the template replaces.
ALTER TABLE core.shows ENABLE ROW LEVEL SECURITY;
CREATE POLICY "members read shows" ON core.shows FOR SELECT TO authenticated
    USING (org_id IN (SELECT org_id FROM core.memberships WHERE user_id = auth.uid()));
GRANT SELECT ON core.shows TO authenticated;
