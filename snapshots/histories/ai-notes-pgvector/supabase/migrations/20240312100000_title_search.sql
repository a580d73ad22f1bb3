create index documents_title_trgm_idx on public.documents using gin (title extensions.gin_trgm_ops);

grant execute on function extensions.gtrgm_in(cstring) to authenticated;
grant execute on function extensions.similarity(text, text) to authenticated;
revoke execute on function extensions.unaccent(text) from anon;
