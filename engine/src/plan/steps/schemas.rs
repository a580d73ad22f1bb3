//! Steps for schemas and extensions.

use super::*;

pub(super) fn draft(change: &Change) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::CreateSchema(s) => (
            step(
                obj(K::Schema, &s.name),
                Create,
                format!("create schema {}", s.name),
                format!("CREATE SCHEMA {};", s.name),
                sql_rollback(format!("DROP SCHEMA {};", s.name)),
                vec![],
            ),
            Expand,
            10,
            None,
        ),
        Change::DropSchema(s) => (
            step(
                obj(K::Schema, &s.name),
                Drop,
                format!("drop schema {}", s.name),
                format!("DROP SCHEMA {};", s.name),
                sql_rollback(create_schema(s)),
                vec![],
            ),
            Contract,
            8,
            None,
        ),
        Change::CreateExtension(e) => (
            step(
                obj(K::Extension, &e.name),
                Create,
                match &e.schema {
                    Some(s) => format!("create extension {} in schema {s}", e.name),
                    None => format!("create extension {}", e.name),
                },
                create_extension(e),
                sql_rollback(format!("DROP EXTENSION {};", e.name)),
                vec![],
            ),
            Expand,
            11,
            None,
        ),
        Change::DropExtension(e) => (
            step(
                obj(K::Extension, &e.name),
                Drop,
                format!("drop extension {}", e.name),
                format!("DROP EXTENSION {};", e.name),
                sql_rollback(create_extension(e)),
                vec![Hazard::DeletesData],
            ),
            Contract,
            7,
            None,
        ),
        Change::AlterExtensionSchema { name, from, to } => {
            let public = Ident::new(schema::ident::DEFAULT_SCHEMA);
            let (from, to) = (
                from.clone().unwrap_or(public.clone()),
                to.clone().unwrap_or(public),
            );
            (
                step(
                    obj(K::Extension, name),
                    Alter,
                    format!("move extension {name} from schema {from} to {to}"),
                    format!("ALTER EXTENSION {name} SET SCHEMA {to};"),
                    sql_rollback(format!("ALTER EXTENSION {name} SET SCHEMA {from};")),
                    vec![],
                ),
                Expand,
                11,
                None,
            )
        }
        _ => return None,
    })
}
