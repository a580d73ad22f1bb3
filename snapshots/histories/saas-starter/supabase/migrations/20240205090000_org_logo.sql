alter table public.organisations add column logo_path text;
alter table public.organisations add column billing_email extensions.citext;

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('org-logos', 'org-logos', true, 1048576, array['image/png', 'image/jpeg', 'image/svg+xml'])
on conflict (id) do nothing;

create policy "Organisation logos are public" on storage.objects
  for select using (bucket_id = 'org-logos');
