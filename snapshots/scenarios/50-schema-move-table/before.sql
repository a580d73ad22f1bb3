CREATE SCHEMA core;
CREATE SCHEMA media;
CREATE TABLE core.images (id uuid PRIMARY KEY, url text NOT NULL);
