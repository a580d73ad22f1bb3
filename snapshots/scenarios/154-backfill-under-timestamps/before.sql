-- A project that used `timestamps` before backfills skipped its trigger:
-- the function still has the old body, and a trigger of its own on the
-- table stamps an audit column on every update.
CREATE SCHEMA core;
CREATE FUNCTION core.set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = ''
AS $$begin new.updated_at := now(); return new; end;$$;
CREATE FUNCTION core.touch_revision() RETURNS trigger
    LANGUAGE plpgsql
AS $$begin new.revision := old.revision + 1; return new; end;$$;
CREATE TABLE core.shows (
    id bigint PRIMARY KEY,
    title text NOT NULL,
    revision int NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER shows_set_updated_at BEFORE UPDATE ON core.shows
    FOR EACH ROW EXECUTE FUNCTION core.set_updated_at();
CREATE TRIGGER shows_touch_revision BEFORE UPDATE ON core.shows
    FOR EACH ROW EXECUTE FUNCTION core.touch_revision();
