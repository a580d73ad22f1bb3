comment on table clinic.appointments is 'One booked slot with a practitioner';
comment on column clinic.appointments.ends_at is 'Exclusive end of the slot';
comment on table public.patients is 'One row per signed-up patient (auth.users)';
