//! Scratch databases for the replay tests (see `engine::scratch`).

pub use engine::scratch::ScratchDb;
