CREATE SCHEMA core;
CREATE TABLE core.notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, owner_id uuid NOT NULL, body text NOT NULL);
ALTER TABLE core.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON core.notes FOR SELECT TO anon, authenticated USING (true);
CREATE POLICY notes_admin ON core.notes TO service_role USING (true);
