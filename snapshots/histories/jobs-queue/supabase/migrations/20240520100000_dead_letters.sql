create table queue.dead_letters (
  job_id bigint primary key,
  kind text not null,
  payload jsonb not null,
  last_error text,
  failed_at timestamptz not null default now()
);

create or replace function queue.bury_failed_jobs()
returns trigger
language plpgsql
as $$
begin
  insert into queue.dead_letters (job_id, kind, payload)
  select n.id, n.kind, n.payload
    from new_rows n
   where n.state = 'failed' and n.attempts >= n.max_attempts
  on conflict (job_id) do nothing;
  return null;
end;
$$;

create trigger jobs_bury_failed
  after update on queue.jobs
  referencing new table as new_rows
  for each statement
  execute function queue.bury_failed_jobs();
