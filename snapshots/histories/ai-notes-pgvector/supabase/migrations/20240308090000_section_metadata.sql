alter table public.document_sections add column token_count integer;
alter table public.document_sections add column heading text;
alter table public.document_sections add column position integer not null default 0;

create index document_sections_document_id_position_idx on public.document_sections (document_id, position);
