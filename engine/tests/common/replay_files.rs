//! Replaying literal migration files in the replay tests.

use engine::replay::{Replayed, replay_sources};
use schema::Source;

pub fn sources(files: &[(&str, &str)]) -> Vec<Source> {
    files
        .iter()
        .map(|(p, t)| Source::new(format!("supabase/migrations/{p}"), *t))
        .collect()
}

/// The replay of `files`, or a panic showing the error as a user reads it.
pub fn replay(files: &[(&str, &str)]) -> Replayed {
    match replay_sources(&sources(files)) {
        Ok(r) => r,
        Err(e) => panic!("replay failed:\n{}", e.render()),
    }
}

/// The replay of one file, `0001_test.sql`.
pub fn one(sql: &str) -> Replayed {
    replay(&[("0001_test.sql", sql)])
}
