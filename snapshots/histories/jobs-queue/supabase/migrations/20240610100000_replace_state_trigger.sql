-- Log state changes only for the columns that matter.
drop trigger if exists jobs_log_state_changes on queue.jobs;

create trigger jobs_log_state_changes
  after update of state on queue.jobs
  referencing old table as old_jobs new table as new_jobs
  for each statement
  execute function queue.log_state_changes();
