create schema core;
create table core.tickets (
    id bigint generated always as identity primary key,
    status varchar(20) not null,
    changed_at timestamptz
);
create function core.note_status_change() returns trigger language plpgsql as $$
begin
  new.changed_at := now();
  return new;
end;
$$;
create trigger tickets_status_changed before update of status on core.tickets
    for each row when (old.status is distinct from new.status)
    execute function core.note_status_change();
