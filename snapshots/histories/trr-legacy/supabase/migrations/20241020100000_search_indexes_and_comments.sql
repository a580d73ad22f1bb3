-- Search by name ignores case; the airing list only looks at airing shows.
CREATE INDEX IF NOT EXISTS talent_lower_full_name_idx ON core.talent (lower(full_name));
CREATE INDEX IF NOT EXISTS shows_airing_premiere_idx ON core.shows (premiere_date DESC) WHERE status = 'airing';

COMMENT ON COLUMN core.shows.slug IS 'URL handle, unique across shows';
COMMENT ON TABLE core.talent IS 'People who appear on shows';
COMMENT ON INDEX core.shows_airing_premiere_idx IS 'Home page: airing shows, newest first';

-- Talent without a single credit came from a bad import.
DELETE FROM core.talent t
WHERE NOT EXISTS (SELECT 1 FROM core.cast_members c WHERE c.talent_id = t.id);

INSERT INTO core.talent (full_name)
SELECT DISTINCT initcap(p.display_name)
FROM public.profiles p
WHERE p.is_admin AND p.display_name IS NOT NULL;
