create table "public"."ratings" (
    "id" uuid not null default gen_random_uuid(),
    "recipe_id" uuid not null,
    "user_id" uuid not null,
    "stars" smallint not null,
    "comment" text,
    "created_at" timestamp with time zone not null default now()
);


alter table "public"."ratings" enable row level security;

CREATE UNIQUE INDEX ratings_pkey ON public.ratings USING btree (id);

CREATE UNIQUE INDEX ratings_recipe_id_user_id_key ON public.ratings USING btree (recipe_id, user_id);

alter table "public"."ratings" add constraint "ratings_pkey" PRIMARY KEY using index "ratings_pkey";

alter table "public"."ratings" add constraint "ratings_recipe_id_user_id_key" UNIQUE using index "ratings_recipe_id_user_id_key" DEFERRABLE INITIALLY DEFERRED;

alter table "public"."ratings" add constraint "ratings_recipe_id_fkey" FOREIGN KEY (recipe_id) REFERENCES recipes(id) ON DELETE CASCADE not valid;

alter table "public"."ratings" validate constraint "ratings_recipe_id_fkey";

alter table "public"."ratings" add constraint "ratings_stars_check" CHECK (((stars >= 1) AND (stars <= 5))) not valid;

alter table "public"."ratings" validate constraint "ratings_stars_check";

alter table "public"."ratings" add constraint "ratings_user_id_fkey" FOREIGN KEY (user_id) REFERENCES profiles(id) ON DELETE CASCADE not valid;

alter table "public"."ratings" validate constraint "ratings_user_id_fkey";

grant select on table "public"."ratings" to "anon";

grant delete on table "public"."ratings" to "authenticated";

grant insert on table "public"."ratings" to "authenticated";

grant select on table "public"."ratings" to "authenticated";

grant update on table "public"."ratings" to "authenticated";

grant all on table "public"."ratings" to "service_role";

create policy "Ratings are public"
on "public"."ratings"
as permissive
for select
to public
using (true);

create policy "Users rate as themselves"
on "public"."ratings"
as permissive
for insert
to authenticated
with check ((( SELECT auth.uid() AS uid) = user_id));
