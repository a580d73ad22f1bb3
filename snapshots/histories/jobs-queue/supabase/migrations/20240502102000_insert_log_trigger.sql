create or replace function queue.log_inserted_jobs()
returns trigger
language plpgsql
as $$
begin
  insert into queue.job_events (job_id, to_state)
  select id, state from inserted;
  return null;
end;
$$;

create trigger jobs_log_inserts
  after insert on queue.jobs
  referencing new table as inserted
  for each statement
  execute function queue.log_inserted_jobs();
