-- Keep a dated copy of core.shows before pruning, outside the schemas the
-- app reads.
create schema if not exists archive;

do $$
begin
    execute format(
        'create table if not exists archive.%I as table core.shows',
        'shows_backup_' || to_char(now(), 'YYYYMMDD')
    );
end
$$;

delete from core.shows
where status = 'cancelled'
  and premiere_date < now() - interval '10 years';

-- Normalize slugs through a scratch table named after the run, dropped at once.
do $$
declare
    scratch text := 'slug_fix_' || to_char(now(), 'YYYYMMDDHH24MISS');
begin
    execute format('create table core.%I as select id, lower(slug) as slug from core.shows', scratch);
    execute format('update core.shows s set slug = f.slug from core.%I f where f.id = s.id', scratch);
    execute format('drop table core.%I', scratch);
end
$$;
