//! Scratch PostgreSQL databases for the replay tests: a uniquely named
//! database created for one test and dropped at the end.

#![allow(dead_code)]

use postgres::{Client, NoTls};
use std::sync::atomic::{AtomicUsize, Ordering};

const ADMIN_URL: &str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5";

/// A database that exists for the lifetime of this value.
pub struct ScratchDb {
    pub name: String,
    pub client: Client,
}

impl ScratchDb {
    /// Creates a fresh database, or returns `None` (after printing why) when
    /// no server is reachable. With `CI=true` a missing server is a failure.
    pub fn create(prefix: &str) -> Option<ScratchDb> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let mut admin = match Client::connect(ADMIN_URL, NoTls) {
            Ok(c) => c,
            Err(e) => {
                if std::env::var("CI").as_deref() == Ok("true") {
                    panic!(
                        "PostgreSQL is required in CI but is not reachable at 127.0.0.1:5432: {e}"
                    );
                }
                eprintln!("skipping: no PostgreSQL at 127.0.0.1:5432 ({e})");
                return None;
            }
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        let name = format!(
            "trr_{prefix}_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            nanos % 1_000_000_000
        );
        admin
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create scratch database");
        let client = Client::connect(
            &ADMIN_URL.replace("dbname=postgres", &format!("dbname={name}")),
            NoTls,
        )
        .expect("connect to scratch database");
        Some(ScratchDb { name, client })
    }
}

impl Drop for ScratchDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = Client::connect(ADMIN_URL, NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ));
        }
    }
}
