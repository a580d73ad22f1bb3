-- Some environments got the check by hand: add it only where missing.
do $$
begin
  if not exists (
    select 1 from pg_constraint
    where conrelid = 'clinic.appointments'::regclass
      and conname = 'appointments_status_check'
  ) then
    alter table clinic.appointments
      add constraint appointments_status_check
      check (status in ('booked', 'cancelled', 'done', 'no_show'));
  end if;
end
$$;
