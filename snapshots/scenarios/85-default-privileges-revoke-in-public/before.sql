create table public.notes (id bigint generated always as identity primary key, body text not null);
alter default privileges in schema public revoke all on sequences from anon;
