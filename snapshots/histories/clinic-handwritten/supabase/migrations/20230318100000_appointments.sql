create table clinic.appointments (
  id bigserial primary key,
  clinic_id uuid not null references clinic.clinics (id),
  practitioner_id uuid not null references clinic.practitioners (id),
  patient_id uuid not null references public.patients (id) on delete cascade,
  starts_at timestamptz not null,
  minutes integer not null default 30 check (minutes > 0),
  status text not null default 'booked',
  note text,
  created_at timestamptz not null default now()
);

create index appointments_practitioner_starts_idx on clinic.appointments (practitioner_id, starts_at);
create index appointments_patient_idx on clinic.appointments (patient_id);

alter table clinic.appointments enable row level security;
create policy "patients see their appointments" on clinic.appointments
  for select to authenticated using (patient_id = auth.uid());
