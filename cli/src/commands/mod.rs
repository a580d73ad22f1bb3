pub mod apply;
pub mod import;
pub mod plan;
pub mod replay;
