create table queue.workflows (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_at timestamptz not null default now()
);

create table queue.workflow_steps (
  workflow_id uuid not null references queue.workflows (id) on delete cascade,
  step integer not null,
  kind text not null,
  depends_on integer,
  primary key (workflow_id, step)
);

alter table queue.jobs add column workflow_id uuid references queue.workflows (id) on delete set null;
alter table queue.jobs add column step integer;
