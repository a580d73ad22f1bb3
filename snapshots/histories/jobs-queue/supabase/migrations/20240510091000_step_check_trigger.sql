-- A step may only depend on an earlier step of its workflow; checked at
-- commit, so a whole workflow can be inserted in any order.
create or replace function queue.check_step_dependency()
returns trigger
language plpgsql
as $$
begin
  if new.depends_on is not null and not exists (
    select 1 from queue.workflow_steps s
     where s.workflow_id = new.workflow_id and s.step = new.depends_on and s.step < new.step
  ) then
    raise exception 'step % of workflow % depends on a missing or later step', new.step, new.workflow_id;
  end if;
  return null;
end;
$$;

create constraint trigger workflow_steps_dependency
  after insert or update on queue.workflow_steps
  deferrable initially deferred
  for each row
  execute function queue.check_step_dependency();
