create extension if not exists pgcrypto with schema extensions;
create extension if not exists citext with schema extensions;
create extension if not exists moddatetime with schema extensions;

comment on schema public is 'SaaS starter: tenants and their data';
