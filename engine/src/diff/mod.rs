//! Compares a current and a desired Catalog into a list of [`Change`]s.

pub mod change;

pub use change::Change;
use schema::{Catalog, Ident};

/// The changes that turn `current` into `desired`, considering only objects
/// in `managed` schemas (everything else is never touched).
pub fn diff(_current: &Catalog, _desired: &Catalog, _managed: &[Ident]) -> Vec<Change> {
    todo!("helper C")
}
