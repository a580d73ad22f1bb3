create or replace function queue.dequeue(p_queue text, p_worker text, p_limit integer default 1)
returns setof queue.job_record
language sql
as $$
  update queue.jobs j
     set state = 'running', locked_at = now(), locked_by = p_worker, attempts = j.attempts + 1
   where j.id in (
     select id from queue.jobs
      where queue_name = p_queue and state = 'pending' and run_at <= now()
      order by priority desc, run_at
      limit p_limit
      for update skip locked
   )
  returning j.id, j.kind, j.payload, j.attempts;
$$;

revoke execute on function queue.dequeue(text, text, integer) from public;
grant execute on function queue.dequeue(text, text, integer) to service_role;
