CREATE SCHEMA core;
CREATE TABLE core.orgs (id uuid PRIMARY KEY);
CREATE TABLE core.networks (id uuid PRIMARY KEY);
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    owner_id uuid NOT NULL,
    CONSTRAINT shows_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES core.orgs (id)
);
