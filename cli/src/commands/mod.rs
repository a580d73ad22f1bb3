pub mod apply;
pub mod plan;
