create schema core;
create function core.current_org() returns uuid
    language sql
    as $$ select nullif(auth.jwt() ->> 'org_id', '')::uuid $$;
