-- TRR backend: first migration. Schemas for the show catalogue (core) and
-- uploaded media (media); user-facing tables stay in public like every
-- Supabase starter.
create extension if not exists pgcrypto with schema extensions;

create schema if not exists core;
create schema if not exists media;

grant usage on schema core to anon, authenticated, service_role;
grant usage on schema media to anon, authenticated, service_role;

comment on schema core is 'TV shows, seasons, episodes and cast tracked by TRR';

-- Realtime is set up by the platform, but local stacks created before the
-- CLI shipped it do not have the publication.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
        CREATE PUBLICATION supabase_realtime;
    END IF;
END
$$;
