create table "public"."favourites" (
    "user_id" uuid not null,
    "recipe_id" uuid not null,
    "created_at" timestamp with time zone not null default now()
);


alter table "public"."favourites" enable row level security;

CREATE UNIQUE INDEX favourites_pkey ON public.favourites USING btree (user_id, recipe_id);

CREATE INDEX favourites_recipe_id_idx ON public.favourites USING btree (recipe_id);

alter table "public"."favourites" add constraint "favourites_pkey" PRIMARY KEY using index "favourites_pkey";

alter table "public"."favourites" add constraint "favourites_recipe_id_fkey" FOREIGN KEY (recipe_id) REFERENCES recipes(id) ON DELETE CASCADE not valid;

alter table "public"."favourites" validate constraint "favourites_recipe_id_fkey";

alter table "public"."favourites" add constraint "favourites_user_id_fkey" FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE not valid;

alter table "public"."favourites" validate constraint "favourites_user_id_fkey";

grant delete on table "public"."favourites" to "authenticated";

grant insert on table "public"."favourites" to "authenticated";

grant select on table "public"."favourites" to "authenticated";

grant all on table "public"."favourites" to "service_role";

create policy "Users manage their favourites"
on "public"."favourites"
as permissive
for all
to authenticated
using ((( SELECT auth.uid() AS uid) = user_id))
with check ((( SELECT auth.uid() AS uid) = user_id));
