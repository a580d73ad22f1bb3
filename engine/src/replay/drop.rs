//! `DROP TABLE/INDEX/TYPE/SCHEMA/EXTENSION`, and the dependency effects
//! PostgreSQL applies when a table or column goes away: its indexes and
//! constraints go with it, and foreign keys elsewhere need CASCADE.

use super::dependents::{expr_uses_column, query_uses_column, views_reading};
use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::view::{depends_error, forget_view};
use super::{Replay, display_name, label_of, q, qual_name};
use schema::routines::TriggerEvent;
use schema::{ConstraintKind, GrantTarget, Ident, IndexTarget, QualName};
use sqlparser::ast;

pub(super) fn drop_objects(
    r: &mut Replay,
    object_type: ast::ObjectType,
    if_exists: bool,
    names: &[ast::ObjectName],
    cascade: bool,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    match object_type {
        ast::ObjectType::Table => {
            let tables: Vec<QualName> = names.iter().map(qual_name).collect::<StmtResult<_>>()?;
            let mut present = Vec::new();
            for t in tables {
                if r.catalog.tables.contains_key(&t) {
                    present.push(t);
                } else if !if_exists {
                    return Err(StmtError::missing(format!(
                        "table \"{}\" does not exist",
                        display_name(&t)
                    ))
                    .hint("use DROP TABLE IF EXISTS"));
                }
            }
            drop_tables(r, &present, cascade)
        }
        ast::ObjectType::Index => {
            for n in names {
                drop_index(r, &qual_name(n)?, if_exists)?;
            }
            Ok(())
        }
        ast::ObjectType::Type => {
            for n in names {
                drop_type(r, &qual_name(n)?, if_exists, cascade)?;
            }
            Ok(())
        }
        ast::ObjectType::Schema => {
            for n in names {
                let schema = match n.0.as_slice() {
                    [p] => p.as_ident().map(Ident::from_ast),
                    _ => None,
                }
                .ok_or_else(|| StmtError::invalid(format!("improper schema name: {n}")))?;
                drop_schema(r, &schema, if_exists, cascade)?;
            }
            Ok(())
        }
        ast::ObjectType::View | ast::ObjectType::MaterializedView => super::view::drop_views(
            r,
            names,
            object_type == ast::ObjectType::MaterializedView,
            if_exists,
            cascade,
        ),
        _ => {
            notes.push(Remark::not_followed(&label_of(text)));
            Ok(())
        }
    }
}

pub(super) fn drop_extensions(r: &mut Replay, drop: &ast::DropExtension) -> StmtResult {
    for name in &drop.names {
        let name = Ident::from_ast(name);
        if r.catalog.extensions.remove(&name).is_none() && !drop.if_exists {
            return Err(
                StmtError::missing(format!("extension {} does not exist", q(&name)))
                    .hint("use DROP EXTENSION IF EXISTS"),
            );
        }
    }
    Ok(())
}

/// Foreign keys (table, constraint) that reference `target`, restricted to
/// those using one of `columns` when given, outside of `excluded` tables.
pub(super) fn referencing_fks(
    r: &Replay,
    target: &QualName,
    columns: Option<&[Ident]>,
    excluded: &[QualName],
) -> Vec<(QualName, Ident)> {
    let mut out = Vec::new();
    for t in r.catalog.tables.values() {
        if excluded.contains(&t.name) {
            continue;
        }
        for c in t.constraints.values() {
            if let ConstraintKind::ForeignKey(fk) = &c.kind {
                let uses =
                    columns.is_none_or(|cols| fk.ref_columns.iter().any(|rc| cols.contains(rc)));
                if &fk.ref_table == target && uses {
                    out.push((t.name.clone(), c.name.clone()));
                }
            }
        }
    }
    out
}

fn dependents_error(what: &str, deps: &[(QualName, Ident)]) -> StmtError {
    let list: Vec<String> = deps
        .iter()
        .map(|(t, c)| format!("constraint {} on table \"{}\"", q(c), display_name(t)))
        .collect();
    StmtError::invalid(format!(
        "cannot drop {what} because other objects depend on it: {}",
        list.join(", ")
    ))
    .hint("use CASCADE to drop the dependent objects too, or drop them first")
}

pub(super) fn drop_fks(r: &mut Replay, deps: &[(QualName, Ident)]) {
    for (t, c) in deps {
        if let Some(t) = r.catalog.tables.get_mut(t) {
            t.constraints.remove(c);
        }
    }
}

pub(super) fn drop_tables(r: &mut Replay, tables: &[QualName], cascade: bool) -> StmtResult {
    let mut deps = Vec::new();
    for t in tables {
        deps.extend(referencing_fks(r, t, None, tables));
    }
    if !deps.is_empty() && !cascade {
        let what = tables
            .iter()
            .map(|t| format!("table \"{}\"", display_name(t)))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(dependents_error(&what, &deps));
    }
    let views = views_reading(r, tables);
    if !views.is_empty() && !cascade {
        let what = tables
            .iter()
            .map(|t| format!("table \"{}\"", display_name(t)))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(depends_error(
            &what,
            &views
                .iter()
                .map(|v| format!("view {}", display_name(v)))
                .collect::<Vec<_>>(),
        ));
    }
    drop_fks(r, &deps);
    for v in &views {
        forget_view(r, v);
    }
    for t in tables {
        if let Some(table) = r.catalog.tables.remove(t) {
            for sequence in super::serial::owned_sequences(&table) {
                r.catalog.forget_grants(&GrantTarget::Sequence { sequence });
            }
        }
        r.catalog.indexes.retain(|_, i| &i.table != t);
        r.catalog.policies.retain(|(on, _), _| on != t);
        r.catalog.triggers.retain(|(on, _), _| on != t);
        r.catalog
            .forget_grants(&GrantTarget::Table { table: t.clone() });
    }
    Ok(())
}

fn drop_index(r: &mut Replay, name: &QualName, if_exists: bool) -> StmtResult {
    if r.catalog.indexes.remove(name).is_some() {
        return Ok(());
    }
    if let Some(t) = r.catalog.tables.values().find(|t| {
        t.name.schema == name.schema
            && (t
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.name == name.name)
                || t.constraints
                    .get(&name.name)
                    .is_some_and(|c| matches!(c.kind, ConstraintKind::Unique { .. })))
    }) {
        return Err(StmtError::invalid(format!(
            "cannot drop index {} because constraint {} on table \"{}\" requires it",
            q(&name.name),
            q(&name.name),
            display_name(&t.name)
        ))
        .hint(format!(
            "drop the constraint instead: ALTER TABLE {} DROP CONSTRAINT {}",
            t.name, name.name
        )));
    }
    if if_exists {
        return Ok(());
    }
    Err(
        StmtError::missing(format!("index \"{}\" does not exist", display_name(name)))
            .hint("use DROP INDEX IF EXISTS"),
    )
}

/// Columns (table, column) whose type is `ty` or an array of it.
fn columns_of_type(r: &Replay, ty: &QualName) -> Vec<(QualName, Ident)> {
    let mut out = Vec::new();
    for t in r.catalog.tables.values() {
        for c in &t.columns {
            if c.ty.user_defined().as_ref() == Some(ty) {
                out.push((t.name.clone(), c.name.clone()));
            }
        }
    }
    out
}

fn drop_type(r: &mut Replay, name: &QualName, if_exists: bool, cascade: bool) -> StmtResult {
    if !r.catalog.enums.contains_key(name) {
        if if_exists {
            return Ok(());
        }
        return Err(
            StmtError::missing(format!("type \"{}\" does not exist", display_name(name)))
                .hint("use DROP TYPE IF EXISTS"),
        );
    }
    let users = columns_of_type(r, name);
    if !users.is_empty() {
        if !cascade {
            let list: Vec<String> = users
                .iter()
                .map(|(t, c)| format!("column {} of table \"{}\"", q(c), display_name(t)))
                .collect();
            return Err(StmtError::invalid(format!(
                "cannot drop type \"{}\" because other objects depend on it: {}",
                display_name(name),
                list.join(", ")
            ))
            .hint("use CASCADE to drop those columns too, or change their type first"));
        }
        for (t, c) in users {
            drop_column(r, &t, &c, true)?;
        }
    }
    r.catalog.enums.remove(name);
    Ok(())
}

fn drop_schema(r: &mut Replay, schema: &Ident, if_exists: bool, cascade: bool) -> StmtResult {
    if !r.catalog.schemas.contains_key(schema) {
        if if_exists {
            return Ok(());
        }
        return Err(
            StmtError::missing(format!("schema {} does not exist", q(schema)))
                .hint("use DROP SCHEMA IF EXISTS"),
        );
    }
    let tables: Vec<QualName> = r
        .catalog
        .tables
        .keys()
        .filter(|t| &t.schema == schema)
        .cloned()
        .collect();
    let enums: Vec<QualName> = r
        .catalog
        .enums
        .keys()
        .filter(|t| &t.schema == schema)
        .cloned()
        .collect();
    let exts: Vec<Ident> = r
        .catalog
        .extensions
        .values()
        .filter(|e| e.schema.as_ref() == Some(schema))
        .map(|e| e.name.clone())
        .collect();
    let views: Vec<QualName> = r
        .catalog
        .views
        .keys()
        .filter(|v| &v.schema == schema)
        .cloned()
        .collect();
    let functions: Vec<schema::FunctionId> = r
        .catalog
        .functions
        .keys()
        .filter(|f| &f.name.schema == schema)
        .cloned()
        .collect();
    if !cascade
        && (!tables.is_empty()
            || !enums.is_empty()
            || !exts.is_empty()
            || !views.is_empty()
            || !functions.is_empty())
    {
        let mut what: Vec<String> = tables.iter().map(|t| format!("table {}", t)).collect();
        what.extend(views.iter().map(|v| format!("view {}", v)));
        what.extend(functions.iter().map(|f| format!("function {}", f)));
        what.extend(enums.iter().map(|e| format!("type {}", e)));
        what.extend(exts.iter().map(|e| format!("extension {}", e)));
        return Err(StmtError::invalid(format!(
            "cannot drop schema {} because other objects depend on it: {}",
            q(schema),
            what.join(", ")
        ))
        .hint("use DROP SCHEMA … CASCADE to drop everything in it"));
    }
    for v in views_reading(r, &views).iter().chain(&views) {
        forget_view(r, v);
    }
    drop_tables(r, &tables, true)?;
    for f in functions {
        r.catalog
            .triggers
            .retain(|_, t| !(f.arg_types.is_empty() && t.function == f.name));
        r.catalog.functions.remove(&f);
        r.catalog
            .forget_grants(&GrantTarget::Function { function: f });
    }
    r.catalog
        .grants
        .retain(|g| !matches!(&g.on, GrantTarget::Schema { schema: s } if s == schema));
    r.catalog
        .default_privileges
        .retain(|d| d.schema.as_ref() != Some(schema));
    for e in &enums {
        drop_type(r, e, false, true)?;
    }
    for e in exts {
        r.catalog.extensions.remove(&e);
    }
    r.catalog.schemas.remove(schema);
    Ok(())
}

/// Drops a column with PostgreSQL's effects: indexes and constraints of
/// the table that use it go too; foreign keys elsewhere need CASCADE.
pub(super) fn drop_column(
    r: &mut Replay,
    table: &QualName,
    column: &Ident,
    cascade: bool,
) -> StmtResult {
    let t = r.table(table)?;
    if t.column(column).is_none() {
        return Err(StmtError::missing(format!(
            "column {} of relation \"{}\" does not exist",
            q(column),
            display_name(table)
        ))
        .hint("use DROP COLUMN IF EXISTS"));
    }
    // Foreign keys in other tables (or this one) pointing at the column.
    let deps: Vec<(QualName, Ident)> =
        referencing_fks(r, table, Some(std::slice::from_ref(column)), &[])
            .into_iter()
            .filter(|(t, _)| t != table)
            .collect();
    if !deps.is_empty() && !cascade {
        return Err(dependents_error(
            &format!("column {} of table \"{}\"", q(column), display_name(table)),
            &deps,
        ));
    }
    // Views, policies and triggers using the column.
    let mut views: Vec<QualName> = r
        .catalog
        .views
        .values()
        .filter(|v| query_uses_column(&v.query, table, column))
        .map(|v| v.name.clone())
        .collect();
    let policies: Vec<schema::PolicyKey> = r
        .catalog
        .policies_on(table)
        .filter(|p| {
            p.using
                .as_ref()
                .is_some_and(|e| expr_uses_column(e, column))
                || p.check
                    .as_ref()
                    .is_some_and(|e| expr_uses_column(e, column))
        })
        .map(|p| p.key())
        .collect();
    let triggers: Vec<schema::TriggerKey> = r
        .catalog
        .triggers_on(table)
        .filter(|t| {
            t.when.as_ref().is_some_and(|e| expr_uses_column(e, column))
                || t.events.iter().any(
                    |e| matches!(e, TriggerEvent::Update { columns } if columns.contains(column)),
                )
        })
        .map(|t| t.key())
        .collect();
    let used = !(views.is_empty() && policies.is_empty() && triggers.is_empty());
    if used && !cascade {
        let mut what: Vec<String> = views
            .iter()
            .map(|v| format!("view {}", display_name(v)))
            .collect();
        what.extend(
            policies
                .iter()
                .map(|(t, p)| format!("policy {} on table {}", q(p), display_name(t))),
        );
        what.extend(
            triggers
                .iter()
                .map(|(t, n)| format!("trigger {} on table {}", q(n), display_name(t))),
        );
        return Err(depends_error(
            &format!("column {} of table \"{}\"", q(column), display_name(table)),
            &what,
        ));
    }
    let mut also = views_reading(r, &views);
    also.append(&mut views);
    for v in &also {
        forget_view(r, v);
    }
    for p in policies {
        r.catalog.policies.remove(&p);
    }
    for t in triggers {
        r.catalog.triggers.remove(&t);
    }
    r.catalog.forget_grants(&GrantTarget::Column {
        table: table.clone(),
        column: column.clone(),
    });
    drop_fks(r, &deps);
    let t = r.table_mut(table)?;
    t.columns.retain(|c| &c.name != column);
    if t.primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(column))
    {
        t.primary_key = None;
    }
    t.constraints.retain(|_, c| match &c.kind {
        ConstraintKind::Unique { columns, .. } => !columns.contains(column),
        ConstraintKind::Check { expr, .. } => !expr.columns().contains(column),
        ConstraintKind::ForeignKey(fk) => {
            !(fk.columns.contains(column)
                || (&fk.ref_table == table && fk.ref_columns.contains(column)))
        }
    });
    r.catalog.indexes.retain(|_, i| {
        if &i.table != table {
            return true;
        }
        let in_keys = i.keys.iter().any(|k| match &k.target {
            IndexTarget::Column(c) => c == column,
            IndexTarget::Expression(e) => e.columns().contains(column),
        });
        let in_pred = i
            .predicate
            .as_ref()
            .is_some_and(|p| p.columns().contains(column));
        !(in_keys || in_pred || i.include.contains(column))
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::{QualName, Source};

    fn replay(sql: &str) -> Result<crate::replay::Replayed, crate::replay::ReplayError> {
        replay_sources(&[Source::new("m.sql", sql)])
    }

    #[test]
    fn dropping_a_column_drops_what_uses_it() {
        let r = replay(
            "create table t (a int, b int, unique (a, b), check (a > b)); create index t_e on t ((a + 1));
             create index t_p on t (b) where a > 0; alter table t drop column a;",
        )
        .unwrap();
        assert!(
            r.catalog.tables[&QualName::from("public.t")]
                .constraints
                .is_empty()
        );
        assert!(r.catalog.indexes.is_empty());
    }

    #[test]
    fn drop_schema_needs_cascade_when_not_empty() {
        assert!(replay("create schema s; create table s.t (a int); drop schema s").is_err());
        let r = replay("create schema s; create type s.e as enum ('a'); create table s.t (a s.e); drop schema s cascade").unwrap();
        assert!(
            r.catalog.tables.is_empty()
                && r.catalog.enums.is_empty()
                && r.catalog.schemas.is_empty()
        );
    }

    #[test]
    fn missing_objects_need_if_exists() {
        assert!(replay("drop table nope").is_err());
        assert!(replay("drop index nope").is_err());
        assert!(replay("drop type nope").is_err());
        assert!(replay("drop extension nope").is_err());
        assert!(replay("drop table if exists nope; drop index concurrently if exists nope; drop type if exists nope").is_ok());
    }
}
