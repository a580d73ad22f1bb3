//! `trr-schema.toml`.
