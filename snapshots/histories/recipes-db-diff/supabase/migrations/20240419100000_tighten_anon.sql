revoke delete on table "public"."ingredients" from "anon";

revoke insert on table "public"."ingredients" from "anon";

revoke update on table "public"."ingredients" from "anon";

revoke delete on table "public"."profiles" from "anon";

revoke insert on table "public"."profiles" from "anon";

revoke update on table "public"."profiles" from "anon";

revoke truncate on table "public"."profiles" from "anon";

revoke delete on table "public"."recipes" from "anon";

revoke insert on table "public"."recipes" from "anon";

revoke update on table "public"."recipes" from "anon";

revoke truncate on table "public"."recipes" from "anon";
