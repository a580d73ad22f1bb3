create table queue.jobs (
  id bigint generated always as identity primary key,
  queue_name text not null default 'default',
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  state queue.job_state not null default 'pending',
  priority smallint not null default 0,
  attempts integer not null default 0,
  max_attempts integer not null default 5 check (max_attempts > 0),
  run_at timestamptz not null default now(),
  locked_at timestamptz,
  locked_by text,
  created_at timestamptz not null default now()
);

create index jobs_fetch_idx on queue.jobs (queue_name, priority desc, run_at) where state = 'pending';

alter table queue.jobs enable row level security;
