pub mod apply;
pub mod plan;
pub mod replay;
