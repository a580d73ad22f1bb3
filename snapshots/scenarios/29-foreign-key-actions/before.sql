CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY);
