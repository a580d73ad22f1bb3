CREATE SCHEMA core;
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    org_id uuid NOT NULL,
    handle text NOT NULL,
    CONSTRAINT shows_handle_check CHECK (char_length(handle) > 0)
);
CREATE UNIQUE INDEX shows_org_handle ON core.shows (org_id, handle);
ALTER TABLE core.shows ENABLE ROW LEVEL SECURITY;
CREATE POLICY "public handles" ON core.shows FOR SELECT TO authenticated USING (handle <> 'hidden');
CREATE VIEW core.show_handles AS SELECT id, handle FROM core.shows;
