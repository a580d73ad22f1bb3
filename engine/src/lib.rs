//! The trr-schema engine: SQL replay, diff, dependency-ordered planning,
//! SQL rendering, plan reports, applying plans to the repo, and live
//! introspection. Everything here works on [`schema::Catalog`] and never
//! knows where a Catalog came from.

pub mod apply;
pub mod approval;
pub mod backfill;
pub mod checkpoint;
pub mod config;
pub mod diff;
pub mod docs;
pub mod erd;
pub mod introspect;
pub mod plan;
pub mod replay;
pub mod report;
pub mod scratch;
pub mod shadow;
pub mod standin;
