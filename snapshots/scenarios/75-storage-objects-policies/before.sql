create policy "media read" on storage.objects for select to authenticated
    using (bucket_id = 'trr-media');
create policy "media upload" on storage.objects for insert to authenticated
    with check (bucket_id = 'trr-media');
