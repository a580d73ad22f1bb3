create type queue.queue_stats as (queue_name text, pending bigint, running bigint, failed bigint);

create or replace function queue.stats()
returns setof queue.queue_stats
language sql
stable
as $$
  select queue_name,
         count(*) filter (where state = 'pending'),
         count(*) filter (where state = 'running'),
         count(*) filter (where state = 'failed')
    from queue.jobs
   group by queue_name;
$$;

grant execute on function queue.stats() to service_role;
grant all on all tables in schema queue to service_role;
