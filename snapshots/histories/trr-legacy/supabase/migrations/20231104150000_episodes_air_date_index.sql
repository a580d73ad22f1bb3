-- Own file: CREATE INDEX CONCURRENTLY cannot run inside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS episodes_air_date_idx
    ON core.episodes (air_date DESC)
    WHERE air_date IS NOT NULL;
