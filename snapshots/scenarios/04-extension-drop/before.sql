CREATE EXTENSION pg_trgm SCHEMA extensions;
CREATE EXTENSION pgcrypto SCHEMA extensions;
