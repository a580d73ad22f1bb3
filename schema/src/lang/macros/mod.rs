//! Macros: nodes that expand into ordinary declarations (columns,
//! triggers, functions, policies, grants) before validation, so the
//! Catalog — and therefore `plan` — only ever sees plain objects.

pub mod access;
mod timestamps;

use super::decl::Decls;
use super::errors::Sink;

/// Expands every macro of every table, in place.
pub fn expand(decls: &mut Decls, sink: &mut Sink) {
    timestamps::expand(decls);
    access::expand(decls, sink);
}
