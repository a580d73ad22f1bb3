//! Steps that create or drop a whole table.

use super::*;

pub(super) fn draft(change: &Change) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::CreateTable(t) => (
            step(
                obj(K::Table, &t.name),
                Create,
                format!("create table {} ({} columns)", t.name, t.columns.len()),
                create_table(t),
                sql_rollback(format!("DROP TABLE {};", t.name)),
                vec![],
            ),
            Expand,
            14,
            None,
        ),
        Change::DropTable(t) => (
            step(
                obj(K::Table, &t.name),
                Drop,
                format!("drop table {}", t.name),
                format!("DROP TABLE {};", t.name),
                irreversible(format!("the rows of {} are deleted", t.name)),
                vec![Hazard::AccessExclusiveLock, Hazard::DeletesData],
            ),
            Contract,
            5,
            None,
        ),
        _ => return None,
    })
}
