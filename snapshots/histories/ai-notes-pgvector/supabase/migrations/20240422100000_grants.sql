grant select, insert on public.documents to authenticated;
grant select on public.document_sections to authenticated;
grant select, insert, update, delete on public.chats, public.messages to authenticated;
revoke all on public.usage_events from anon;
grant execute on function public.match_document_sections(extensions.vector, double precision) to authenticated;
