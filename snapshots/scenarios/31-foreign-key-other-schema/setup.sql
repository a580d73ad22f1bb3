CREATE SCHEMA other;
CREATE TABLE other.orgs (id uuid PRIMARY KEY, name text NOT NULL);
