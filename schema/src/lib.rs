//! The trr-schema data model: the [`Catalog`] that every producer (KDL
//! loading, SQL replay, live introspection) builds and every consumer (diff,
//! plan) reads, plus the normalization that makes equal schemas compare
//! equal, and the KDL language.

pub mod catalog;
pub mod expr;
pub mod ident;
pub mod index_key;
pub mod intents;
pub mod lang;
pub mod names;
pub mod provided;
pub mod refs;
pub mod routines;
pub mod security;
pub mod source;
pub mod types;
pub mod views;

pub use catalog::*;
pub use expr::{Expr, ExprError, Query};
pub use ident::{Ident, QualName};
pub use intents::{Declared, Intents, Unmanaged};
pub use routines::*;
pub use security::*;
pub use source::Source;
pub use types::{SqlType, TypeError};
pub use views::*;
