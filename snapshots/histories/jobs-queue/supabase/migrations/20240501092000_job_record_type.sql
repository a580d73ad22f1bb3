-- What dequeue returns to a worker.
create type queue.job_record as (
  id bigint,
  kind text,
  payload jsonb,
  attempts integer
);
