drop policy "Ingredients follow their recipe" on "public"."ingredients";

drop policy "Published recipes are public" on "public"."recipes";

alter type "public"."recipe_status" rename to "recipe_status__old_version_to_be_dropped";

create type "public"."recipe_status" as enum ('draft', 'published', 'archived');

alter table "public"."recipes" alter column "status" drop default;

alter table "public"."recipes" alter column status type "public"."recipe_status" using status::text::"public"."recipe_status";

alter table "public"."recipes" alter column "status" set default 'draft'::recipe_status;

drop type "public"."recipe_status__old_version_to_be_dropped";

create policy "Ingredients follow their recipe"
on "public"."ingredients"
as permissive
for select
to public
using ((EXISTS ( SELECT 1
   FROM recipes r
  WHERE ((r.id = ingredients.recipe_id) AND (r.status = 'published'::recipe_status)))));

create policy "Published recipes are public"
on "public"."recipes"
as permissive
for select
to public
using ((status = 'published'::recipe_status));
