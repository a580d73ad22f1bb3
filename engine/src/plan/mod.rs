//! Orders changes into a dependency graph and groups them into migration
//! files with SQL, rollback and hazards.

pub mod model;

pub use model::*;
use schema::Catalog;

/// Plans the migration from `current` to `desired`.
pub fn plan(_current: &Catalog, _desired: &Catalog, _options: &PlanOptions) -> Plan {
    todo!("helper C")
}
