CREATE SCHEMA core;
CREATE TABLE core.show_distribution_agreements_by_territory (
    id uuid PRIMARY KEY,
    territory_reference_code_for_reporting text,
    window_start date
);
CREATE INDEX show_distribution_agreements_by_territory_window_start_index ON core.show_distribution_agreements_by_territory (window_start);
