create type queue.enqueue_result as (job_id bigint, deduplicated boolean);

alter table queue.jobs add column dedupe_key text;
-- Only live jobs take part in deduplication.
create unique index jobs_dedupe_key_idx on queue.jobs (queue_name, dedupe_key)
  where dedupe_key is not null and state in ('pending'::queue.job_state, 'running'::queue.job_state);

create or replace function queue.enqueue(p_queue text, p_kind text, p_payload jsonb, p_dedupe_key text default null)
returns queue.enqueue_result
language plpgsql
as $$
declare
  result queue.enqueue_result;
begin
  insert into queue.jobs (queue_name, kind, payload, dedupe_key)
  values (p_queue, p_kind, p_payload, p_dedupe_key)
  on conflict do nothing
  returning id, false into result.job_id, result.deduplicated;
  if result.job_id is null then
    select id, true into result.job_id, result.deduplicated
      from queue.jobs
     where queue_name = p_queue and dedupe_key = p_dedupe_key and state in ('pending', 'running');
  end if;
  return result;
end;
$$;
