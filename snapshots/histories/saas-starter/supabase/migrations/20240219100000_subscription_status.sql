alter table billing.subscriptions
  add constraint subscriptions_status_check
  check (status in ('trialing', 'active', 'past_due', 'canceled', 'unpaid'));

alter table billing.subscriptions add column trial_end timestamptz;

comment on table billing.subscriptions is 'Mirrors Stripe subscriptions (written by the webhook with the service role)';
