alter table queue.jobs add column last_error text;
alter table queue.jobs add column finished_at timestamptz;
alter table queue.jobs add constraint jobs_finished_after_created check (finished_at is null or finished_at >= created_at);
