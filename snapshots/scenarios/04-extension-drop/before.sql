-- pg_trgm went to public (managed: a plan may drop it); pgcrypto to the
-- provided `extensions` schema.
CREATE EXTENSION pg_trgm;
CREATE EXTENSION pgcrypto SCHEMA extensions;
