alter table "public"."recipes" add column "servings" smallint;

alter table "public"."recipes" add column "minutes" integer;

alter table "public"."recipes" add constraint "recipes_servings_check" CHECK ((servings > 0)) not valid;

alter table "public"."recipes" validate constraint "recipes_servings_check";

CREATE INDEX recipes_status_created_at_idx ON public.recipes USING btree (status, created_at DESC);
