create table public.document_sections (
  id bigint primary key generated always as identity,
  document_id bigint not null references public.documents on delete cascade,
  content text not null,
  embedding extensions.vector(384)
);

create index on public.document_sections using hnsw (embedding extensions.vector_ip_ops);

alter table public.document_sections enable row level security;

create policy "Users can query their own document sections" on public.document_sections
  for select to authenticated using (
    document_id in (select id from public.documents where owner_id = auth.uid())
  );
