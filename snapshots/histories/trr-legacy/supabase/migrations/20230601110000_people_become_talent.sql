-- Product calls them "talent" everywhere; follow suit in the database.
BEGIN;

ALTER TABLE core.people RENAME TO talent;
ALTER INDEX core.people_pkey RENAME TO talent_pkey;

ALTER TABLE core.cast_members RENAME COLUMN person_id TO talent_id;
ALTER INDEX core.cast_members_person_id_idx RENAME TO cast_members_talent_id_idx;
ALTER TABLE core.cast_members
    RENAME CONSTRAINT cast_members_person_id_fkey TO cast_members_talent_id_fkey;

ALTER TABLE media.assets RENAME COLUMN person_id TO talent_id;

COMMIT;
