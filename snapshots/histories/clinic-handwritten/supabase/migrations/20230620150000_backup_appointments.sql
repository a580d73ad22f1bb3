-- Keep a dated copy before the rebuild below (run-time name: not followed
-- offline, and `archive` is not managed).
do $$
declare
  backup_name text := 'appointments_' || to_char(now(), 'YYYYMMDD');
begin
  execute format('create table archive.%I as table clinic.appointments', backup_name);
end
$$;
