-- Rebuild clinic.appointments: ends_at replaces minutes, and columns read
-- in a sensible order. Move the old table and its names out of the way,
-- create the new one, copy, drop the old one.
begin;

alter index clinic.appointments_practitioner_starts_idx rename to appointments_practitioner_starts_idx_old;
alter index clinic.appointments_patient_idx rename to appointments_patient_idx_old;
alter table clinic.appointments rename constraint appointments_pkey to appointments_old_pkey;
alter table clinic.appointments rename constraint appointments_status_check to appointments_old_status_check;
alter table clinic.appointments rename to appointments_old;

create table clinic.appointments (
  id bigserial primary key,
  clinic_id uuid not null references clinic.clinics (id),
  practitioner_id uuid not null references clinic.practitioners (id),
  patient_id uuid not null references public.patients (id) on delete cascade,
  room_id integer references clinic.rooms (id) on delete set null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'booked',
  note text,
  created_at timestamptz not null default now(),
  constraint appointments_status_check check (status in ('booked', 'cancelled', 'done', 'no_show')),
  constraint appointments_time_order check (ends_at > starts_at)
);

insert into clinic.appointments (id, clinic_id, practitioner_id, patient_id, room_id, starts_at, ends_at, status, note, created_at)
select id, clinic_id, practitioner_id, patient_id, room_id, starts_at,
       starts_at + make_interval(mins => minutes), status, note, created_at
from clinic.appointments_old;

drop table clinic.appointments_old;

alter sequence clinic.appointments_id_seq1 rename to appointments_id_seq;

create index appointments_practitioner_starts_idx on clinic.appointments (practitioner_id, starts_at);
create index appointments_patient_idx on clinic.appointments (patient_id);

alter table clinic.appointments enable row level security;
create policy "patients see their appointments" on clinic.appointments
  for select to authenticated using (patient_id = auth.uid());

commit;
