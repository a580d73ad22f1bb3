create schema if not exists billing;
grant usage on schema billing to service_role;

create type billing.plan as enum ('free', 'pro', 'enterprise');

create table billing.customers (
  organisation_id uuid primary key references public.organisations on delete cascade,
  stripe_customer_id text not null unique,
  created_at timestamptz not null default now()
);

create table billing.subscriptions (
  id text primary key,
  organisation_id uuid not null references billing.customers (organisation_id) on delete cascade,
  plan billing.plan not null default 'free',
  status text not null,
  current_period_end timestamptz,
  cancel_at_period_end boolean not null default false,
  created_at timestamptz not null default now()
);

create index subscriptions_organisation_id_idx on billing.subscriptions (organisation_id);

alter table billing.customers enable row level security;
alter table billing.subscriptions enable row level security;
grant all on all tables in schema billing to service_role;
