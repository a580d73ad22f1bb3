alter table "public"."recipes" add column "search" tsvector generated always as (to_tsvector('english'::regconfig, ((COALESCE(title, ''::text) || ' '::text) || COALESCE(slug, ''::text)))) stored;

CREATE INDEX recipes_search_idx ON public.recipes USING gin (search);
