-- The checks on core.episodes were added over time under names nobody
-- remembers (and differ between environments): drop whatever is there and
-- add one named check.
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT conname, conrelid::regclass AS tbl
        FROM pg_constraint
        WHERE conrelid = 'core.episodes'::regclass
          AND contype = 'c'
    LOOP
        EXECUTE format('alter table %s drop constraint %I', r.tbl, r.conname);
    END LOOP;
END
$$;

ALTER TABLE core.episodes
    ADD CONSTRAINT episodes_numbers_valid
    CHECK (episode_number > 0 AND (runtime_minutes IS NULL OR runtime_minutes BETWEEN 1 AND 600));
