create table public.patients (
  id uuid primary key references auth.users on delete cascade,
  full_name text,
  birth_date date,
  phone text,
  created_at timestamptz not null default now()
);

alter table public.patients enable row level security;

create policy "patients read themselves" on public.patients
  for select to authenticated using (id = auth.uid());
create policy "patients update themselves" on public.patients
  for update to authenticated using (id = auth.uid());

create or replace function public.handle_new_patient()
returns trigger
language plpgsql
security definer set search_path = ''
as $$
begin
  insert into public.patients (id, full_name)
  values (new.id, new.raw_user_meta_data ->> 'full_name');
  return new;
end;
$$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute procedure public.handle_new_patient();
