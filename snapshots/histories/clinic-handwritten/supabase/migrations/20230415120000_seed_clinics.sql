insert into clinic.clinics (name, city) values
  ('Harbour Street Clinic', 'Bristol'),
  ('Northgate Health', 'Leeds')
on conflict do nothing;
