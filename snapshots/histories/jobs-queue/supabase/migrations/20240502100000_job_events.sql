create table queue.job_events (
  id bigint generated always as identity primary key,
  job_id bigint not null references queue.jobs (id) on delete cascade,
  from_state queue.job_state,
  to_state queue.job_state not null,
  at timestamptz not null default now()
);

create index job_events_job_id_idx on queue.job_events (job_id);
