create table public.profiles (
  id uuid not null references auth.users on delete cascade,
  email extensions.citext not null,
  full_name text,
  avatar_path text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (id)
);

alter table public.profiles enable row level security;

create policy "Profiles are visible to their owner" on public.profiles
  for select to authenticated using ((select auth.uid()) = id);
create policy "Owners update their profile" on public.profiles
  for update to authenticated using ((select auth.uid()) = id) with check ((select auth.uid()) = id);

create trigger handle_updated_at before update on public.profiles
  for each row execute procedure extensions.moddatetime (updated_at);

create function public.handle_new_user()
returns trigger
language plpgsql
security definer set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name)
  values (new.id, new.email, new.raw_user_meta_data ->> 'full_name');
  return new;
end;
$$;

create trigger on_auth_user_created
  after insert on auth.users
  for each row execute procedure public.handle_new_user();
