pub mod apply;
pub mod backfill;
pub mod import;
pub mod plan;
pub mod replay;
