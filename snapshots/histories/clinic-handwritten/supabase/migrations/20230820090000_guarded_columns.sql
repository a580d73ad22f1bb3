do $$
begin
  if not exists (
    select 1 from information_schema.columns
    where table_schema = 'clinic' and table_name = 'clinics' and column_name = 'timezone'
  ) then
    alter table clinic.clinics add column timezone text not null default 'Europe/London';
  end if;
  if exists (
    select 1 from pg_indexes where schemaname = 'clinic' and indexname = 'practitioners_clinic_id_idx'
  ) then
    drop index clinic.practitioners_clinic_id_idx;
  end if;
end
$$;

create index if not exists practitioners_clinic_specialty_idx on clinic.practitioners (clinic_id, specialty);
