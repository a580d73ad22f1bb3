-- Transition tables rule out `UPDATE OF state`: keep one statement-level
-- trigger for every update, renamed to say what it does, and the insert
-- log under a clearer name.
drop trigger if exists jobs_log_state_changes on queue.jobs;

create trigger jobs_log_state_transitions
  after update on queue.jobs
  referencing new table as new_jobs old table as old_jobs
  for each statement
  execute function queue.log_state_changes();

alter trigger jobs_log_inserts on queue.jobs rename to jobs_log_insertions;
