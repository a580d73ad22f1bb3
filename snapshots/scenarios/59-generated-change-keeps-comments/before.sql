CREATE SCHEMA core;
CREATE TABLE core.order_lines (
    id bigint PRIMARY KEY,
    price numeric(10,2) NOT NULL,
    quantity integer NOT NULL,
    total numeric(12,2),
    label text GENERATED ALWAYS AS ('#' || id::text) STORED
);
COMMENT ON COLUMN core.order_lines.total IS 'Line total';
COMMENT ON COLUMN core.order_lines.label IS 'Display label';
INSERT INTO core.order_lines (id, price, quantity, total) VALUES (1, 2.50, 4, 10.00);
