-- Refuse to go on when the data has duplicated episode numbers: the unique
-- index below would fail half-way through a deploy otherwise.
DO $$
DECLARE
    dupes integer;
BEGIN
    SELECT count(*) INTO dupes
    FROM (
        SELECT season_id, episode_number
        FROM core.episodes
        GROUP BY season_id, episode_number
        HAVING count(*) > 1
    ) d;
    IF dupes > 0 THEN
        RAISE EXCEPTION 'core.episodes has % duplicated (season_id, episode_number) pairs; fix them first', dupes;
    END IF;
END
$$;

CREATE UNIQUE INDEX IF NOT EXISTS episodes_season_id_episode_number_key
    ON core.episodes (season_id, episode_number);
