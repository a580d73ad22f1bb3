CREATE SCHEMA core;
GRANT USAGE ON SCHEMA core TO authenticated;
CREATE TABLE core.shows (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id uuid NOT NULL,
    title text NOT NULL,
    CONSTRAINT shows_title_check CHECK (char_length(title) > 0)
);
CREATE INDEX shows_owner_id_idx ON core.shows (owner_id);
ALTER TABLE core.shows ENABLE ROW LEVEL SECURITY;
CREATE POLICY "owners read" ON core.shows FOR SELECT TO authenticated USING (owner_id = auth.uid());
GRANT SELECT, INSERT ON core.shows TO authenticated;
-- The cutover of the rename, already applied.
ALTER TABLE core.shows RENAME TO programs;
ALTER TABLE core.programs RENAME CONSTRAINT shows_pkey TO programs_pkey;
ALTER TABLE core.programs RENAME CONSTRAINT shows_title_check TO programs_title_check;
ALTER INDEX core.shows_owner_id_idx RENAME TO programs_owner_id_idx;
CREATE VIEW core.shows WITH (security_invoker = true) AS SELECT * FROM core.programs;
GRANT SELECT, INSERT ON TABLE core.shows TO authenticated;
