//! Reads a live database's `pg_catalog` into a Catalog.
