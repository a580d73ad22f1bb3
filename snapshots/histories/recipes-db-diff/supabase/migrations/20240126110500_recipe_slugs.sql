alter table "public"."recipes" add column "slug" text;

CREATE UNIQUE INDEX recipes_slug_key ON public.recipes USING btree (slug);

alter table "public"."recipes" add constraint "recipes_slug_key" UNIQUE using index "recipes_slug_key";
