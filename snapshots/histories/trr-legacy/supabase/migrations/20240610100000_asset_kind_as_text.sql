-- Enum values cannot be removed, and marketing wants new kinds every month:
-- media.assets.kind becomes text with a check.
BEGIN;

ALTER TABLE media.assets ADD COLUMN kind_text text;
UPDATE media.assets SET kind_text = kind::text;

-- Takes media.assets.kind (and its index) with it.
DROP TYPE media.asset_kind CASCADE;

ALTER TABLE media.assets RENAME COLUMN kind_text TO kind;
ALTER TABLE media.assets ALTER COLUMN kind SET NOT NULL;
ALTER TABLE media.assets
    ADD CONSTRAINT assets_kind_check CHECK (kind IN ('poster', 'still', 'headshot', 'logo'));
CREATE INDEX IF NOT EXISTS assets_kind_idx ON media.assets (kind);

COMMIT;
