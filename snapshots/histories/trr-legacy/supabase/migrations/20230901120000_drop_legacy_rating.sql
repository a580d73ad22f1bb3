-- legacy_rating came from the old spreadsheet; averages of user ratings
-- replace it. The view depends on the column, hence CASCADE.
ALTER TABLE core.shows DROP COLUMN IF EXISTS legacy_rating CASCADE;

CREATE OR REPLACE VIEW public.show_cards
WITH (security_invoker = true) AS
SELECT
    s.id,
    s.title,
    s.slug,
    n.name AS network,
    (SELECT avg(r.score)::numeric(3, 1) FROM core.show_ratings r WHERE r.show_id = s.id) AS avg_score
FROM core.shows s
LEFT JOIN core.networks n ON n.id = s.network_id;

GRANT SELECT ON public.show_cards TO anon, authenticated;

CREATE OR REPLACE FUNCTION core.episode_count(p_show_id uuid)
RETURNS bigint
LANGUAGE sql
STABLE
AS $$
    SELECT count(*)
    FROM core.episodes e
    JOIN core.seasons se ON se.id = e.season_id
    WHERE se.show_id = p_show_id
$$;
