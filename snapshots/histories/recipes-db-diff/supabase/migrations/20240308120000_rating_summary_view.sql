create or replace view "public"."recipe_ratings" as  SELECT r.recipe_id,
    count(*) AS ratings,
    round(avg(r.stars), 2) AS average
   FROM ratings r
  GROUP BY r.recipe_id;


grant select on table "public"."recipe_ratings" to "anon";

grant select on table "public"."recipe_ratings" to "authenticated";
