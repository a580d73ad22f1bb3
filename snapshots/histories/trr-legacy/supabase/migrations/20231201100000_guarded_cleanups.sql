-- A batch of fixes that must be safe to run on prod, staging and fresh
-- local stacks, which drifted apart during the summer.

-- TMDB ids, plus their unique index, only where the column is missing.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'core' AND table_name = 'shows' AND column_name = 'tmdb_id'
    ) THEN
        ALTER TABLE core.shows ADD COLUMN tmdb_id integer;
        CREATE UNIQUE INDEX shows_tmdb_id_key ON core.shows (tmdb_id) WHERE tmdb_id IS NOT NULL;
    END IF;
END
$$;

-- cast_members_show_person_key already leads with show_id.
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_indexes
        WHERE schemaname = 'core' AND indexname = 'cast_members_show_id_idx'
    ) THEN
        DROP INDEX core.cast_members_show_id_idx;
    END IF;
END
$$;

-- Episodes imported from the old tracker call it "runtime".
DO $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'core' AND table_name = 'episodes' AND column_name = 'runtime'
    ) THEN
        ALTER TABLE core.episodes RENAME COLUMN runtime TO runtime_minutes;
    ELSIF NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_schema = 'core' AND table_name = 'episodes' AND column_name = 'synopsis'
    ) THEN
        ALTER TABLE core.episodes ADD COLUMN synopsis text;
    ELSE
        RAISE NOTICE 'core.episodes already up to date';
    END IF;
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_policies
        WHERE schemaname = 'core' AND tablename = 'show_ratings' AND policyname = 'Ratings are public'
    ) THEN
        CREATE POLICY "Ratings are public" ON core.show_ratings FOR SELECT USING (true);
    END IF;
END
$$;

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgname = 'show_ratings_set_updated_at'
          AND tgrelid = 'core.show_ratings'::regclass
    ) THEN
        CREATE TRIGGER show_ratings_set_updated_at
            BEFORE UPDATE ON core.show_ratings
            FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
    END IF;
END
$$;

-- The analytics role exists on prod only; create it elsewhere.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'trr_analytics') THEN
        GRANT USAGE ON SCHEMA core TO trr_analytics;
    ELSE
        BEGIN
            CREATE ROLE trr_analytics NOLOGIN;
        EXCEPTION
            WHEN duplicate_object THEN NULL;
        END;
        GRANT USAGE ON SCHEMA core TO trr_analytics;
    END IF;
    GRANT SELECT ON ALL TABLES IN SCHEMA core TO trr_analytics;
END
$$;
