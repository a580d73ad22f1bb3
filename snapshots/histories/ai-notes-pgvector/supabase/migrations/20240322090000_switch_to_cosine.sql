-- Inner product assumed normalised vectors; the new model's are not.
drop index if exists public.document_sections_embedding_idx;

create index document_sections_embedding_cosine_idx on public.document_sections
  using hnsw (embedding extensions.vector_cosine_ops);

create or replace function public.match_document_sections(embedding extensions.vector(384), match_threshold float)
returns setof public.document_sections
language sql
stable
as $$
  select *
  from public.document_sections
  where document_sections.embedding <=> embedding < 1 - match_threshold
  order by document_sections.embedding <=> embedding;
$$;
