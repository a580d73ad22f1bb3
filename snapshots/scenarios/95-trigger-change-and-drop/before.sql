create schema core;
create table core.shows (
    id bigint generated always as identity primary key,
    title text not null,
    summary text,
    updated_at timestamptz not null default now()
);
create function core.touch() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

CREATE TRIGGER shows_touch BEFORE INSERT OR UPDATE ON core.shows FOR EACH ROW EXECUTE PROCEDURE core.touch();
CREATE TRIGGER shows_touch_again BEFORE UPDATE ON core.shows FOR EACH ROW EXECUTE FUNCTION core.touch();
