CREATE SCHEMA core;
CREATE TYPE core.show_status AS ENUM ('active', 'ended');
CREATE TYPE core.kind AS ENUM ('series', 'special');
