CREATE SCHEMA core;
CREATE TABLE core.episodes (
    show_id bigint NOT NULL,
    number int NOT NULL,
    runtime text,
    views int NOT NULL DEFAULT 0,
    PRIMARY KEY (show_id, number)
);
