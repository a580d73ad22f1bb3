//! Steps that create or drop a whole table.

use super::*;
use schema::{GrantTarget, ObjectClass};

pub(super) fn draft(change: &Change, env: &Env) -> Option<Parts> {
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
                lossy(recreate_table(t, env), table_loss(t)),
                vec![Hazard::AccessExclusiveLock, Hazard::DeletesData],
            ),
            Contract,
            5,
            None,
        ),
        _ => return None,
    })
}

/// The table as it was: columns, keys, its own constraints, comments,
/// indexes, row-level security, policies, triggers and privileges (its
/// own, its columns' and its serial/identity sequences'). Foreign keys
/// between dropped tables, and those of other tables pointing at it, are
/// steps of their own and come back in their rollbacks.
fn recreate_table(t: &schema::Table, env: &Env) -> String {
    let mut out = vec![create_table(t)];
    let mut comment = |target: CommentTarget, text: &Option<String>| {
        if let Some(text) = text {
            out.push(comment_sql(&target, Some(text)));
        }
    };
    comment(
        CommentTarget::Table {
            table: t.name.clone(),
        },
        &t.comment,
    );
    for c in &t.columns {
        comment(
            CommentTarget::Column {
                table: t.name.clone(),
                column: c.name.clone(),
            },
            &c.comment,
        );
    }
    for index in env.current.indexes_on(&t.name) {
        out.push(create_index(index, false));
        if let Some(text) = &index.comment {
            out.push(comment_sql(
                &CommentTarget::Index {
                    index: index.name.clone(),
                },
                Some(text),
            ));
        }
    }
    for action in super::rls::actions((false, false), (t.rls_enabled, t.rls_forced)) {
        out.push(format!("ALTER TABLE {} {action};", t.name));
    }
    for policy in env.current.policies_on(&t.name) {
        out.push(super::policies::create_policy(policy));
    }
    for trigger in env.current.triggers_on(&t.name) {
        out.push(super::routines::create_trigger(trigger, false));
    }
    let table = GrantTarget::Table {
        table: t.name.clone(),
    };
    out.extend(restore_grants(&table, ObjectClass::Table, env));
    for c in &t.columns {
        let column = GrantTarget::Column {
            table: t.name.clone(),
            column: c.name.clone(),
        };
        out.extend(restore_grants(&column, ObjectClass::Column, env));
        if let Some(sequence) = owned_sequence(&t.name, c) {
            let on = GrantTarget::Sequence { sequence };
            out.extend(restore_grants(&on, ObjectClass::Sequence, env));
        }
    }
    out.join("\n")
}

/// The sequence a serial or identity column owns (named as PostgreSQL
/// names it), which CREATE TABLE makes again.
fn owned_sequence(table: &QualName, c: &schema::Column) -> Option<QualName> {
    if c.identity.is_some() {
        let name =
            schema::names::make_object_name(table.name.as_str(), Some(c.name.as_str()), "seq");
        return Some(QualName::new(table.schema.clone(), Ident::new(name)));
    }
    c.default.as_ref().and_then(schema::names::serial_sequence)
}

fn table_loss(t: &schema::Table) -> String {
    let sequences = t
        .columns
        .iter()
        .any(|c| c.identity.is_some() || sql::serial_type(&t.name, c).is_some());
    format!(
        "the rows of {} are not restored{}",
        t.name,
        if sequences {
            " (its sequences start again)"
        } else {
            ""
        }
    )
}
