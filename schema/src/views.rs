//! Views and materialized views.

use crate::expr::Query;
use crate::ident::{Ident, QualName};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualName,
    pub materialized: bool,
    /// Column names given after the view name; empty when the query names
    /// them.
    pub columns: Vec<Ident>,
    pub query: Query,
    /// `WITH (security_invoker = true)` (views only).
    pub security_invoker: bool,
    /// `WITH (security_barrier = true)` (views only).
    pub security_barrier: bool,
    pub check_option: Option<CheckOption>,
    pub comment: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOption {
    Local,
    Cascaded,
}
