CREATE SCHEMA core;
CREATE TABLE core.items (id bigint PRIMARY KEY, sku text NOT NULL, qty integer NOT NULL);
CREATE INDEX items_sku_key ON core.items (sku);
