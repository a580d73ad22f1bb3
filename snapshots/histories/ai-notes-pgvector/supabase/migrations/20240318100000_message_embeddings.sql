alter table public.messages add column embedding extensions.halfvec(1536);

create index messages_embedding_idx on public.messages using hnsw (embedding extensions.halfvec_cosine_ops) with (m = 16, ef_construction = 64);
