CREATE SCHEMA core;
CREATE TABLE core.persons (
    id bigserial PRIMARY KEY,
    full_name text NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON core.persons TO authenticated;
-- The application inserts without an id: it needs the sequence too.
GRANT USAGE, SELECT ON SEQUENCE core.persons_id_seq TO authenticated;
