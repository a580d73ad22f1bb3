alter table public.documents add column status text not null default 'pending';
alter table public.documents add constraint documents_status_check check (status in ('pending', 'embedding', 'ready', 'failed'));
alter table public.documents add column error text;

create index documents_owner_status_idx on public.documents (owner_id, status);
