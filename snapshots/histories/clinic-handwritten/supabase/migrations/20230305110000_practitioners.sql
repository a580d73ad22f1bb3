create table clinic.practitioners (
  id uuid primary key default gen_random_uuid(),
  clinic_id uuid not null references clinic.clinics (id) on delete cascade,
  user_id uuid references auth.users on delete set null,
  full_name text not null,
  email extensions.citext,
  specialty text,
  created_at timestamptz not null default now()
);

create index practitioners_clinic_id_idx on clinic.practitioners (clinic_id);
create unique index practitioners_email_key on clinic.practitioners (email) where email is not null;

alter table clinic.practitioners enable row level security;
create policy "practitioners are public" on clinic.practitioners for select using (true);
create policy "practitioners edit themselves" on clinic.practitioners
  for update to authenticated using (user_id = auth.uid()) with check (user_id = auth.uid());
