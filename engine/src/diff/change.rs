//! One difference between two Catalogs.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {}
