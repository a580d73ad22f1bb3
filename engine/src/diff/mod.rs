//! Compares a current and a desired Catalog into a list of [`Change`]s.
//!
//! Scope rules (the safe choices):
//! - Schemas, enums, tables and indexes are compared only inside the
//!   `managed` schemas; objects elsewhere are never created, changed or
//!   dropped. `public` is never created or dropped (it always exists).
//! - Extensions are global: one declared in `desired` is created (or moved
//!   to its declared schema); one missing from `desired` is dropped only when
//!   it lives in a managed schema (no schema counts as `public`), so an
//!   extension installed by the platform in an unmanaged schema survives.
//! - Enum labels can only be added (`ALTER TYPE … ADD VALUE`). Removing or
//!   reordering labels drops and recreates the type when no column in
//!   `current` uses it; otherwise it is an [`Change::UnsupportedEnumChange`]
//!   that the plan reports instead of guessing a type swap.
//! - Renames are out of scope: a renamed object is a drop plus a create.
//! - Column order is not compared (PostgreSQL cannot reorder columns).

pub mod change;
mod columns;
mod comments;
mod constraints;
mod enums;
mod extensions;
mod indexes;
mod schemas;
mod tables;
#[cfg(test)]
mod test_support;

pub use change::{Change, EnumPosition};
pub(crate) use indexes::columns as index_columns;
use schema::{Catalog, Ident, QualName};
use std::collections::BTreeSet;

/// The changes that turn `current` into `desired`, considering only objects
/// in `managed` schemas (everything else is never touched).
pub fn diff(current: &Catalog, desired: &Catalog, managed: &[Ident]) -> Vec<Change> {
    let ctx = Ctx {
        full_current: current,
        current: current.restricted_to(managed),
        desired: desired.restricted_to(managed),
        managed,
    };
    let mut out = Vec::new();
    schemas::diff(&ctx, &mut out);
    extensions::diff(&ctx, &mut out);
    let recreated_enums = enums::diff(&ctx, &mut out);
    let fresh = tables::diff(&ctx, &mut out);
    indexes::diff(&ctx, &fresh, &mut out);
    comments::diff(&ctx, &recreated_enums, &fresh, &mut out);
    out
}

/// Both Catalogs restricted to the managed schemas, plus the full current
/// one (enum usage is checked everywhere).
pub(crate) struct Ctx<'a> {
    pub full_current: &'a Catalog,
    pub current: Catalog,
    pub desired: Catalog,
    pub managed: &'a [Ident],
}

/// Objects whose current incarnation disappears and comes back in this plan
/// (so their comments, indexes and constraints must be set again).
#[derive(Default)]
pub(crate) struct Fresh {
    /// Columns dropped and added again in one statement.
    pub columns: BTreeSet<(QualName, Ident)>,
    /// Indexes dropped (by the column recreation) that must be recreated.
    pub indexes: BTreeSet<QualName>,
}
