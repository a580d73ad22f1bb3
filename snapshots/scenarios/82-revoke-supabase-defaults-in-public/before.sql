-- Tables in public: Supabase's default privileges give the API roles
-- everything on them.
create table public.profiles (
    id uuid primary key,
    display_name text not null
);
create table public.secrets (id bigint generated always as identity primary key, value text not null);
