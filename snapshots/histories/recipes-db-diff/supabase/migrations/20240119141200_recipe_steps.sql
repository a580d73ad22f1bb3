create table "public"."recipe_steps" (
    "recipe_id" uuid not null,
    "step" integer not null,
    "body" text not null,
    "image_path" text
);


alter table "public"."recipe_steps" enable row level security;

CREATE UNIQUE INDEX recipe_steps_pkey ON public.recipe_steps USING btree (recipe_id, step);

alter table "public"."recipe_steps" add constraint "recipe_steps_pkey" PRIMARY KEY using index "recipe_steps_pkey";

alter table "public"."recipe_steps" add constraint "recipe_steps_recipe_id_fkey" FOREIGN KEY (recipe_id) REFERENCES recipes(id) ON DELETE CASCADE not valid;

alter table "public"."recipe_steps" validate constraint "recipe_steps_recipe_id_fkey";

alter table "public"."recipe_steps" add constraint "recipe_steps_step_check" CHECK ((step > 0)) not valid;

alter table "public"."recipe_steps" validate constraint "recipe_steps_step_check";

grant select on table "public"."recipe_steps" to "anon";

grant delete on table "public"."recipe_steps" to "authenticated";

grant insert on table "public"."recipe_steps" to "authenticated";

grant select on table "public"."recipe_steps" to "authenticated";

grant update on table "public"."recipe_steps" to "authenticated";

grant all on table "public"."recipe_steps" to "service_role";
