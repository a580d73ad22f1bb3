pub mod apply;
pub mod backfill;
pub mod docs;
pub mod erd;
pub mod import;
pub mod plan;
pub mod replay;
