CREATE SCHEMA core;
CREATE TABLE core.order_lines (
    id bigint PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    quantity integer NOT NULL
);
