-- Rebuild core.cast_members so its columns read in a sensible order
-- (and gain last_season / updated_at). PostgreSQL cannot reorder columns, so:
-- move the old table and its index names out of the way, create the new
-- table, copy, recreate what hung off the old one, drop the old one.
BEGIN;

ALTER INDEX core.cast_members_show_person_key RENAME TO cast_members_show_person_key_old;
ALTER INDEX core.cast_members_talent_id_idx RENAME TO cast_members_talent_id_idx_old;
ALTER INDEX IF EXISTS core.cast_members_show_id_idx RENAME TO cast_members_show_id_idx_old;
ALTER TABLE core.cast_members RENAME CONSTRAINT cast_members_pkey TO cast_members_old_pkey;
ALTER TABLE core.cast_members RENAME TO cast_members_old;

-- cast_members_id_seq still belongs to cast_members_old.id, so PostgreSQL
-- names the new serial's sequence cast_members_id_seq1.
CREATE TABLE core.cast_members (
    id bigserial PRIMARY KEY,
    show_id uuid NOT NULL REFERENCES core.shows(id) ON DELETE CASCADE,
    talent_id uuid NOT NULL REFERENCES core.talent(id) ON DELETE CASCADE,
    credit core.credit_kind NOT NULL DEFAULT 'main',
    first_season integer,
    last_season integer,
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT cast_members_seasons_check CHECK (last_season IS NULL OR last_season >= first_season)
);

INSERT INTO core.cast_members (id, show_id, talent_id, credit, first_season, notes, created_at, updated_at)
SELECT id, show_id, talent_id, credit, first_season, notes, created_at, created_at
FROM core.cast_members_old;

SELECT setval(
    pg_get_serial_sequence('core.cast_members', 'id'),
    coalesce((SELECT max(id) FROM core.cast_members), 0) + 1,
    false
);

CREATE UNIQUE INDEX cast_members_show_person_key ON core.cast_members (show_id, talent_id);
CREATE INDEX cast_members_talent_id_idx ON core.cast_members (talent_id);

CREATE TRIGGER cast_members_set_updated_at
    BEFORE UPDATE ON core.cast_members
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE core.cast_members ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Public read" ON core.cast_members FOR SELECT USING (true);
GRANT SELECT ON core.cast_members TO anon, authenticated;
GRANT ALL ON core.cast_members TO service_role;

-- CASCADE: episode_appearances' foreign key still points at the old table.
DROP TABLE core.cast_members_old CASCADE;

ALTER SEQUENCE core.cast_members_id_seq1 RENAME TO cast_members_id_seq;

ALTER TABLE core.episode_appearances
    ADD CONSTRAINT episode_appearances_cast_member_id_fkey
    FOREIGN KEY (cast_member_id) REFERENCES core.cast_members(id) ON DELETE CASCADE;

COMMIT;
