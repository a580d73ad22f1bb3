-- "handle" becomes "slug", and every show gets one.
ALTER TABLE core.shows RENAME COLUMN handle TO slug;

UPDATE core.shows
SET slug = trim(both '-' from lower(regexp_replace(title, '[^a-zA-Z0-9]+', '-', 'g')))
WHERE slug IS NULL;

ALTER TABLE core.shows ALTER COLUMN slug SET NOT NULL;

-- Staging already got this constraint from a hotfix; add it only where missing.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint
        WHERE conname = 'shows_slug_key'
          AND conrelid = 'core.shows'::regclass
    ) THEN
        ALTER TABLE core.shows ADD CONSTRAINT shows_slug_key UNIQUE (slug);
    END IF;
END
$$;
