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

create trigger shows_touch before update on core.shows for each row execute function core.touch();
