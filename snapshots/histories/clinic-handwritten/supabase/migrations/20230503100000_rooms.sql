create table clinic.rooms (
  id serial primary key,
  clinic_id uuid not null references clinic.clinics (id) on delete cascade,
  label text not null,
  unique (clinic_id, label)
);

alter table clinic.appointments add column room_id integer references clinic.rooms (id) on delete set null;

alter table clinic.rooms enable row level security;
create policy "rooms are public" on clinic.rooms for select using (true);
