BEGIN;

create table clinic.clinics (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  city text,
  phone text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger clinics_touch before update on clinic.clinics
  for each row execute function public.touch_updated_at();

alter table clinic.clinics enable row level security;
create policy "clinics are public" on clinic.clinics for select using (true);

COMMIT;
