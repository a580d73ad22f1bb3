-- Policies as pg_dump prints them (deparsed: casts on literals, IN as
-- = ANY (ARRAY[…]), every operand parenthesized).
SET statement_timeout = 0;
SET check_function_bodies = false;
CREATE SCHEMA core;
CREATE TABLE core.docs (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid NOT NULL,
    status text DEFAULT 'draft'::text NOT NULL,
    CONSTRAINT docs_pkey PRIMARY KEY (id)
);
ALTER TABLE core.docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY docs_read ON core.docs FOR SELECT TO authenticated USING (((owner_id = ( SELECT auth.uid() AS uid)) OR (status = 'published'::text)));
CREATE POLICY docs_review ON core.docs FOR UPDATE TO authenticated USING ((status = ANY (ARRAY['draft'::text, 'review'::text]))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));
