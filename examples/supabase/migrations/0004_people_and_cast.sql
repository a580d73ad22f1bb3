-- 0004: people and who is cast in which season.

CREATE TABLE core.people (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    full_name         text NOT NULL,
    instagram_handle  text UNIQUE,
    born_on           date,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX people_full_name_lower_idx ON core.people (lower(full_name));

CREATE TABLE core.cast_members (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    season_id      uuid NOT NULL REFERENCES core.seasons (id) ON DELETE CASCADE,
    person_id      uuid NOT NULL REFERENCES core.people (id) ON DELETE RESTRICT,
    role           core.cast_role NOT NULL DEFAULT 'main',
    billing_order  smallint,
    CONSTRAINT cast_members_season_person_key UNIQUE (season_id, person_id),
    CONSTRAINT cast_members_billing_order_check CHECK (billing_order IS NULL OR billing_order > 0)
);
COMMENT ON TABLE core.cast_members IS 'Who appears in which season';

CREATE INDEX cast_members_person_id_idx ON core.cast_members (person_id);
