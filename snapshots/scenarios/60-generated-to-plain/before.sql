CREATE SCHEMA core;
CREATE TABLE core.order_lines (
    id bigint PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    total numeric(12,2) GENERATED ALWAYS AS (price * quantity) STORED
);
COMMENT ON COLUMN core.order_lines.total IS 'Line total';
INSERT INTO core.order_lines (id, price, quantity) VALUES (1, 2.50, 4);
