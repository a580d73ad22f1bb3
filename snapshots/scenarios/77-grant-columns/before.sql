create schema core;
create table core.profiles (id uuid primary key, display_name text not null, bio text, email text not null);
grant select (id, display_name, bio) on core.profiles to anon;
grant update (display_name) on core.profiles to authenticated;
