//! Scratch databases for tests and shadow replays: created with a unique
//! name, dropped when done.
