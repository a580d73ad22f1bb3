-- Ratings grow a text body and become reviews. Some preview branches were
-- cut after a manual rename, so only rename what is still there.
DO $$
BEGIN
    IF to_regclass('core.show_ratings') IS NOT NULL AND to_regclass('core.show_reviews') IS NULL THEN
        ALTER TABLE core.show_ratings RENAME TO show_reviews;
        ALTER INDEX core.show_ratings_user_id_idx RENAME TO show_reviews_user_id_idx;
        ALTER TABLE core.show_reviews ADD COLUMN IF NOT EXISTS body text;
    END IF;
END
$$;

ALTER TABLE IF EXISTS core.show_reviews
    ADD COLUMN IF NOT EXISTS contains_spoilers boolean NOT NULL DEFAULT false;
