-- Bootstrap: the extensions we use and our own schema.
create extension if not exists pgcrypto with schema extensions;
create extension if not exists citext with schema extensions;

create schema if not exists clinic;
create schema if not exists archive;
comment on schema clinic is 'Clinics, practitioners and appointments';

grant usage on schema clinic to anon, authenticated, service_role;
