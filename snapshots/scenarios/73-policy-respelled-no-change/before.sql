-- The policies as a human wrote them in earlier migrations: other case,
-- parentheses, whitespace and PostgreSQL's own deparsed spelling of the
-- scalar subquery.
CREATE SCHEMA core;
CREATE TABLE core.notes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_id uuid NOT NULL,
    body text NOT NULL,
    published boolean NOT NULL DEFAULT false
);
ALTER TABLE core.notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY "owners read" ON core.notes AS PERMISSIVE FOR SELECT TO Authenticated
    USING ((owner_id = ( SELECT auth.uid() AS uid)));
CREATE POLICY owners_write ON core.notes FOR INSERT TO authenticated
    WITH CHECK (((owner_id = (SELECT AUTH.UID()))));
CREATE POLICY owners_edit ON core.notes FOR UPDATE TO authenticated, service_role
    USING (OWNER_ID = (select auth.uid()))
    WITH CHECK ((owner_id = (select auth.uid())) AND (published = false));
CREATE POLICY published ON core.notes FOR SELECT USING (published IS TRUE);
