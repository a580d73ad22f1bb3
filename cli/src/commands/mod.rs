pub mod apply;
pub mod import;
pub mod plan;
