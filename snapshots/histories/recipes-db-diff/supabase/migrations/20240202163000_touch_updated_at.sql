set check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
begin
  new.updated_at = now();
  return new;
end;
$function$
;

alter table "public"."recipes" add column "updated_at" timestamp with time zone not null default now();

CREATE TRIGGER recipes_touch_updated_at BEFORE UPDATE ON public.recipes FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

CREATE TRIGGER profiles_touch_updated_at BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
