create table queue.schedules (
  name text primary key,
  queue_name text not null default 'default',
  kind text not null,
  payload jsonb not null default '{}'::jsonb,
  every interval not null check (every >= interval '1 minute'),
  next_run_at timestamptz not null default now(),
  enabled boolean not null default true
);

create index schedules_due_idx on queue.schedules (next_run_at) where enabled;
