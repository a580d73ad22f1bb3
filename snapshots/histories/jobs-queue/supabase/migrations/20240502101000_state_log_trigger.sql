-- One statement-level trigger logs every state change of a batch update,
-- reading the transition tables instead of firing once per row.
create or replace function queue.log_state_changes()
returns trigger
language plpgsql
as $$
begin
  insert into queue.job_events (job_id, from_state, to_state)
  select n.id, o.state, n.state
    from new_jobs n
    join old_jobs o on o.id = n.id
   where n.state is distinct from o.state;
  return null;
end;
$$;

create trigger jobs_log_state_changes
  after update on queue.jobs
  referencing old table as old_jobs new table as new_jobs
  for each statement
  execute function queue.log_state_changes();
