alter table public.document_sections
  add column fts tsvector generated always as (to_tsvector('english', content)) stored;

create index document_sections_fts_idx on public.document_sections using gin (fts);

comment on column public.document_sections.embedding is 'gte-small embedding (384 dimensions)';
