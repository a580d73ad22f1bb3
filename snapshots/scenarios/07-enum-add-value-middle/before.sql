CREATE SCHEMA core;
CREATE TYPE core.show_status AS ENUM ('active', 'ended');
