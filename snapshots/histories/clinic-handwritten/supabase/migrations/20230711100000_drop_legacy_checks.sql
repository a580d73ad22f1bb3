-- The practitioners table collected checks with generated names in some
-- environments; drop whichever exist, then add the one we want.
alter table clinic.practitioners add constraint practitioners_name_check check (length(full_name) > 0);
alter table clinic.practitioners add check (specialty <> '');

do $$
declare
  r record;
begin
  for r in
    select conname, conrelid::regclass as tbl
    from pg_constraint
    where conrelid = 'clinic.practitioners'::regclass
      and contype = 'c'
  loop
    execute format('alter table %s drop constraint %I', r.tbl, r.conname);
  end loop;
end
$$;

alter table clinic.practitioners
  add constraint practitioners_full_name_present check (length(trim(full_name)) > 0);
