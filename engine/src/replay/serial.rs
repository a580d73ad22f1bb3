//! The sequences behind `serial` columns. The Catalog has no sequences; a
//! serial column is its type plus the default PostgreSQL prints for it
//! (`schema::names::serial_default`), and that default is where the
//! sequence's name is read back from when names must avoid it or follow a
//! table into another schema.

use super::Replay;
use schema::names::make_object_name;
use schema::{Ident, QualName};

/// `ChooseRelationName(table, column, "seq")`: `t_id_seq`, or with a
/// number when that relation name is taken in the schema.
pub(super) fn choose_sequence(r: &Replay, table: &QualName, column: &Ident) -> QualName {
    let mut pass = 0;
    loop {
        let label = if pass == 0 {
            "seq".to_string()
        } else {
            format!("seq{pass}")
        };
        let name = make_object_name(table.name.as_str(), Some(column.as_str()), &label);
        if !r.relation_taken(&table.schema, &name) {
            return QualName::new(table.schema.clone(), Ident::new(name));
        }
        pass += 1;
    }
}
