CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY);
CREATE TABLE core.shows (id uuid PRIMARY KEY, org_id uuid NOT NULL REFERENCES core.orgs (id));
