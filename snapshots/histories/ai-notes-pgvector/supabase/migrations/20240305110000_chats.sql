create type public.chat_role as enum ('system', 'user', 'assistant');

create table public.chats (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users on delete cascade,
  title text,
  created_at timestamptz not null default now()
);

create table public.messages (
  id bigint primary key generated always as identity,
  chat_id uuid not null references public.chats on delete cascade,
  role public.chat_role not null,
  content text not null,
  tokens integer,
  created_at timestamptz not null default now()
);

create index messages_chat_id_created_at_idx on public.messages (chat_id, created_at);

alter table public.chats enable row level security;
alter table public.messages enable row level security;

create policy "Owners use their chats" on public.chats
  for all to authenticated using (owner_id = auth.uid()) with check (owner_id = auth.uid());
create policy "Owners use their messages" on public.messages
  for all to authenticated
  using (chat_id in (select id from public.chats where owner_id = auth.uid()))
  with check (chat_id in (select id from public.chats where owner_id = auth.uid()));
