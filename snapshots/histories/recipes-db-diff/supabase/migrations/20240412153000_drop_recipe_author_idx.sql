drop index if exists "public"."recipes_author_id_idx";

CREATE INDEX recipes_author_id_created_at_idx ON public.recipes USING btree (author_id, created_at DESC);
