insert into storage.buckets (id, name, public)
values ('avatars', 'avatars', true), ('org-files', 'org-files', false)
on conflict (id) do nothing;

create policy "Avatar images are publicly accessible" on storage.objects
  for select using (bucket_id = 'avatars');

create policy "Users upload their own avatar" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

create policy "Members read organisation files" on storage.objects
  for select to authenticated
  using (bucket_id = 'org-files' and public.is_member_of(((storage.foldername(name))[1])::uuid));

create policy "Members upload organisation files" on storage.objects
  for insert to authenticated
  with check (bucket_id = 'org-files' and public.is_member_of(((storage.foldername(name))[1])::uuid));
