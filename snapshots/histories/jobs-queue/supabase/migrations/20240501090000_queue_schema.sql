create schema if not exists queue;
grant usage on schema queue to service_role;
comment on schema queue is 'Background jobs and workflows';

create type queue.job_state as enum ('pending', 'running', 'succeeded', 'failed', 'cancelled');
