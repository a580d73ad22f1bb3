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
