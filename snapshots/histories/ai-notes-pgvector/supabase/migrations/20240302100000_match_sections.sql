create or replace function public.match_document_sections(embedding extensions.vector(384), match_threshold float)
returns setof public.document_sections
language plpgsql
as $$
#variable_conflict use_variable
begin
  return query
  select *
  from public.document_sections
  where document_sections.embedding <#> embedding < -match_threshold
  order by document_sections.embedding <#> embedding;
end;
$$;
