alter table "public"."profiles" drop column "avatar_url";

alter table "public"."profiles" add column "avatar_path" text;

alter table "public"."profiles" add column "bio" text;

alter table "public"."profiles" add constraint "profiles_bio_length" CHECK ((char_length(bio) <= 500)) not valid;

alter table "public"."profiles" validate constraint "profiles_bio_length";
