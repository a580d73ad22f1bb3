//! Renames and moves: columns, constraints, tables (`RENAME TO`, `SET
//! SCHEMA`), enums and schemas, carrying every reference along —
//! foreign keys elsewhere, index tables, column types, and identifiers
//! inside expressions.

use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, dependents, display_name, label_of, q};
use schema::routines::TriggerEvent;
use schema::{ConstraintKind, Expr, GrantTarget, Ident, IndexTarget, QualName, SqlType};
use sqlparser::ast::{self, VisitMut, VisitorMut};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::ops::ControlFlow;

/// `expr` with the bare column `from` renamed to `to`.
pub(super) fn rename_in_expr(expr: &Expr, from: &Ident, to: &Ident) -> Expr {
    let Ok(mut ast) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(expr.sql())
        .and_then(|mut p| p.parse_expr())
    else {
        return expr.clone();
    };
    struct Rename<'a>(&'a Ident, &'a Ident);
    impl VisitorMut for Rename<'_> {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut ast::Expr) -> ControlFlow<()> {
            if let ast::Expr::Identifier(id) = e
                && &Ident::from_ast(id) == self.0
            {
                *id = ast::Ident::with_quote('"', self.1.as_str());
            }
            ControlFlow::Continue(())
        }
    }
    let _ = ast.visit(&mut Rename(from, to));
    Expr::from_ast(ast)
}

pub(super) fn rename_column(
    r: &mut Replay,
    table: &QualName,
    from: &Ident,
    to: &Ident,
) -> StmtResult {
    let t = r.table_mut(table)?;
    if t.column(to).is_some() {
        return Err(StmtError::duplicate(format!(
            "column {} of relation \"{}\" already exists",
            q(to),
            display_name(table)
        )));
    }
    let Some(col) = t.column_mut(from) else {
        return Err(
            StmtError::missing(format!("column {} does not exist", q(from))).hint(format!(
                "columns of \"{}\": {}",
                display_name(table),
                super::create_table::column_list(t)
            )),
        );
    };
    col.name = to.clone();
    let swap = |c: &mut Ident| {
        if c == from {
            *c = to.clone();
        }
    };
    for c in &mut t.columns {
        if let Some(g) = &c.generated {
            c.generated = Some(rename_in_expr(g, from, to));
        }
    }
    if let Some(pk) = &mut t.primary_key {
        pk.columns.iter_mut().for_each(swap);
    }
    for c in t.constraints.values_mut() {
        match &mut c.kind {
            ConstraintKind::Unique { columns, .. } => columns.iter_mut().for_each(swap),
            ConstraintKind::Check { expr, .. } => *expr = rename_in_expr(expr, from, to),
            ConstraintKind::ForeignKey(fk) => fk.columns.iter_mut().for_each(swap),
        }
    }
    for t in r.catalog.tables.values_mut() {
        for c in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey(fk) = &mut c.kind
                && &fk.ref_table == table
            {
                fk.ref_columns.iter_mut().for_each(swap);
            }
        }
    }
    for i in r.catalog.indexes.values_mut().filter(|i| &i.table == table) {
        for k in &mut i.keys {
            match &mut k.target {
                IndexTarget::Column(c) => swap(c),
                IndexTarget::Expression(e) => *e = rename_in_expr(e, from, to),
            }
        }
        i.include.iter_mut().for_each(swap);
        if let Some(p) = &i.predicate {
            i.predicate = Some(rename_in_expr(p, from, to));
        }
    }
    follow_column(r, table, from, to);
    Ok(())
}

pub(super) fn rename_constraint(
    r: &mut Replay,
    table: &QualName,
    from: &Ident,
    to: &Ident,
) -> StmtResult {
    let schema = table.schema.clone();
    let t = r.table(table)?;
    let index_backed = t.primary_key.as_ref().is_some_and(|pk| &pk.name == from)
        || t.constraints
            .get(from)
            .is_some_and(|c| matches!(c.kind, ConstraintKind::Unique { .. }));
    let exists = t.primary_key.as_ref().is_some_and(|pk| &pk.name == from)
        || t.constraints.contains_key(from);
    if !exists {
        return Err(StmtError::missing(format!(
            "constraint {} for table \"{}\" does not exist",
            q(from),
            display_name(table)
        )));
    }
    if t.constraints.contains_key(to) || t.primary_key.as_ref().is_some_and(|pk| &pk.name == to) {
        return Err(StmtError::duplicate(format!(
            "constraint {} for relation \"{}\" already exists",
            q(to),
            display_name(table)
        )));
    }
    if index_backed && r.relation_taken(&schema, to.as_str()) {
        return Err(StmtError::duplicate(format!(
            "relation {} already exists",
            q(to)
        )));
    }
    let t = r.table_mut(table)?;
    if let Some(pk) = t.primary_key.as_mut().filter(|pk| &pk.name == from) {
        pk.name = to.clone();
    } else if let Some(mut c) = t.constraints.remove(from) {
        c.name = to.clone();
        t.constraints.insert(to.clone(), c);
    }
    Ok(())
}

/// Moves (renames and/or re-schemas) a table and everything pointing at it.
pub(super) fn move_table(r: &mut Replay, from: &QualName, to: &QualName) -> StmtResult {
    if r.relation_taken(&to.schema, to.name.as_str()) || r.catalog.enums.contains_key(to) {
        return Err(StmtError::duplicate(format!(
            "relation \"{}\" already exists",
            display_name(to)
        )));
    }
    let mut t = r
        .catalog
        .tables
        .remove(from)
        .ok_or_else(|| super::missing_relation(from))?;
    t.name = to.clone();
    // A serial column's sequence moves with its table.
    if to.schema != from.schema {
        for c in &mut t.columns {
            if let Some(seq) = c.default.as_ref().and_then(schema::names::serial_sequence)
                && seq.schema == from.schema
            {
                let moved = QualName::new(to.schema.clone(), seq.name);
                c.default = Some(schema::names::serial_default(&moved));
            }
        }
    }
    r.catalog.tables.insert(to.clone(), t);
    for t in r.catalog.tables.values_mut() {
        for c in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey(fk) = &mut c.kind
                && &fk.ref_table == from
            {
                fk.ref_table = to.clone();
            }
        }
    }
    // Indexes follow their table into its new schema.
    let moved: Vec<QualName> = r
        .catalog
        .indexes
        .values()
        .filter(|i| &i.table == from)
        .map(|i| i.name.clone())
        .collect();
    for name in moved {
        if let Some(mut i) = r.catalog.indexes.remove(&name) {
            i.table = to.clone();
            i.name = QualName::new(to.schema.clone(), name.name.clone());
            r.catalog.indexes.insert(i.name.clone(), i);
        }
    }
    // Sequences a table owns move with it to another schema.
    if to.schema != from.schema {
        let moved: Vec<schema::Grant> = r
            .catalog
            .grants
            .iter()
            .filter(|g| matches!(&g.on, GrantTarget::Sequence { sequence } if sequence.schema == from.schema))
            .filter(|g| {
                r.catalog.tables.get(to).is_some_and(|t| {
                    super::serial::owned_sequences(t).iter().any(|s| {
                        matches!(&g.on, GrantTarget::Sequence { sequence } if sequence.name == s.name)
                    })
                })
            })
            .cloned()
            .collect();
        for mut g in moved {
            r.catalog.grants.remove(&g);
            if let GrantTarget::Sequence { sequence } = &g.on {
                g.on = GrantTarget::Sequence {
                    sequence: QualName::new(to.schema.clone(), sequence.name.clone()),
                };
            }
            r.catalog.grants.insert(g);
        }
    }
    follow_relation(r, from, to);
    Ok(())
}

/// Renames an enum (or moves it to another schema), retyping its columns.
pub(super) fn move_enum(r: &mut Replay, from: &QualName, to: &QualName) {
    if let Some(mut e) = r.catalog.enums.remove(from) {
        e.name = to.clone();
        r.catalog.enums.insert(to.clone(), e);
    }
    for t in r.catalog.tables.values_mut() {
        for c in &mut t.columns {
            if c.ty.user_defined().as_ref() == Some(from) {
                let suffix = if c.ty.is_array() { "[]" } else { "" };
                if let Ok(ty) = SqlType::parse(&format!("{to}{suffix}")) {
                    c.ty = ty;
                }
            }
        }
    }
}

/// `ALTER SCHEMA … RENAME TO`; other actions are notes.
pub(super) fn alter_schema(
    r: &mut Replay,
    alter: &ast::AlterSchema,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let from = match alter.name.0.as_slice() {
        [p] => p.as_ident().map(Ident::from_ast),
        _ => None,
    }
    .ok_or_else(|| StmtError::invalid(format!("improper schema name: {}", alter.name)))?;
    for op in &alter.operations {
        let ast::AlterSchemaOperation::Rename { name } = op else {
            notes.push(Remark::not_followed(&label_of(text)));
            continue;
        };
        let to = match name.0.as_slice() {
            [p] => p.as_ident().map(Ident::from_ast),
            _ => None,
        }
        .ok_or_else(|| StmtError::invalid(format!("improper schema name: {name}")))?;
        if !r.catalog.schemas.contains_key(&from) {
            if alter.if_exists {
                return Ok(());
            }
            return Err(StmtError::missing(format!(
                "schema {} does not exist",
                q(&from)
            )));
        }
        if r.schema_exists(&to) {
            return Err(StmtError::duplicate(format!(
                "schema {} already exists",
                q(&to)
            )));
        }
        let mut s = r.catalog.schemas.remove(&from).expect("checked above");
        s.name = to.clone();
        r.catalog.schemas.insert(to.clone(), s);
        let tables: Vec<QualName> = r
            .catalog
            .tables
            .keys()
            .filter(|t| t.schema == from)
            .cloned()
            .collect();
        for t in tables {
            move_table(r, &t, &QualName::new(to.clone(), t.name.clone()))?;
        }
        let enums: Vec<QualName> = r
            .catalog
            .enums
            .keys()
            .filter(|e| e.schema == from)
            .cloned()
            .collect();
        for e in enums {
            move_enum(r, &e, &QualName::new(to.clone(), e.name.clone()));
        }
        let views: Vec<QualName> = r
            .catalog
            .views
            .keys()
            .filter(|v| v.schema == from)
            .cloned()
            .collect();
        for v in views {
            super::view::move_view(r, &v, &QualName::new(to.clone(), v.name.clone()))?;
        }
        let functions: Vec<schema::FunctionId> = r
            .catalog
            .functions
            .keys()
            .filter(|f| f.name.schema == from)
            .cloned()
            .collect();
        for f in functions {
            let moved = QualName::new(to.clone(), f.name.name.clone());
            super::function::move_function(r, &f, moved)?;
        }
        let schema_grants: Vec<schema::Grant> = r
            .catalog
            .grants
            .iter()
            .filter(|g| matches!(&g.on, GrantTarget::Schema { schema } if *schema == from))
            .cloned()
            .collect();
        for mut g in schema_grants {
            r.catalog.grants.remove(&g);
            g.on = GrantTarget::Schema { schema: to.clone() };
            r.catalog.grants.insert(g);
        }
        let defaults: Vec<schema::DefaultPrivilege> = r
            .catalog
            .default_privileges
            .iter()
            .filter(|d| d.schema.as_ref() == Some(&from))
            .cloned()
            .collect();
        for mut d in defaults {
            r.catalog.default_privileges.remove(&d);
            d.schema = Some(to.clone());
            r.catalog.default_privileges.insert(d);
        }
        for ext in r.catalog.extensions.values_mut() {
            if ext.schema.as_ref() == Some(&from) {
                ext.schema = Some(to.clone());
            }
        }
    }
    Ok(())
}

/// Carries everything that names the relation `from` over to `to`:
/// grants on it and its columns, its policies and triggers, and the
/// queries and policy expressions that read it.
pub(super) fn follow_relation(r: &mut Replay, from: &QualName, to: &QualName) {
    let moved: Vec<schema::Grant> = r
        .catalog
        .grants
        .iter()
        .filter(|g| {
            matches!(&g.on, GrantTarget::Table { table } | GrantTarget::Column { table, .. } if table == from)
        })
        .cloned()
        .collect();
    for mut g in moved {
        r.catalog.grants.remove(&g);
        g.on = match g.on {
            GrantTarget::Column { column, .. } => GrantTarget::Column {
                table: to.clone(),
                column,
            },
            _ => GrantTarget::Table { table: to.clone() },
        };
        r.catalog.grants.insert(g);
    }
    let policies: Vec<schema::PolicyKey> = r
        .catalog
        .policies
        .keys()
        .filter(|(t, _)| t == from)
        .cloned()
        .collect();
    for key in policies {
        if let Some(mut p) = r.catalog.policies.remove(&key) {
            p.table = to.clone();
            r.catalog.policies.insert(p.key(), p);
        }
    }
    let triggers: Vec<schema::TriggerKey> = r
        .catalog
        .triggers
        .keys()
        .filter(|(t, _)| t == from)
        .cloned()
        .collect();
    for key in triggers {
        if let Some(mut t) = r.catalog.triggers.remove(&key) {
            t.table = to.clone();
            r.catalog.triggers.insert(t.key(), t);
        }
    }
    for v in r.catalog.views.values_mut() {
        v.query = dependents::rename_relation_in_query(&v.query, from, to);
    }
    for p in r.catalog.policies.values_mut() {
        p.using = p
            .using
            .as_ref()
            .map(|e| dependents::rename_relation_in_expr(e, from, to));
        p.check = p
            .check
            .as_ref()
            .map(|e| dependents::rename_relation_in_expr(e, from, to));
    }
}

/// A column rename seen by what depends on the column: column grants,
/// the table's policies and triggers, and views reading the table.
fn follow_column(r: &mut Replay, table: &QualName, from: &Ident, to: &Ident) {
    let moved: Vec<schema::Grant> = r
        .catalog
        .grants
        .iter()
        .filter(|g| matches!(&g.on, GrantTarget::Column { table: t, column } if t == table && column == from))
        .cloned()
        .collect();
    for mut g in moved {
        r.catalog.grants.remove(&g);
        g.on = GrantTarget::Column {
            table: table.clone(),
            column: to.clone(),
        };
        r.catalog.grants.insert(g);
    }
    for p in r
        .catalog
        .policies
        .values_mut()
        .filter(|p| &p.table == table)
    {
        p.using = p
            .using
            .as_ref()
            .map(|e| dependents::rename_column_in_expr(e, from, to));
        p.check = p
            .check
            .as_ref()
            .map(|e| dependents::rename_column_in_expr(e, from, to));
    }
    for t in r
        .catalog
        .triggers
        .values_mut()
        .filter(|t| &t.table == table)
    {
        t.when = t
            .when
            .as_ref()
            .map(|e| dependents::rename_column_in_expr(e, from, to));
        for e in &mut t.events {
            if let TriggerEvent::Update { columns } = e {
                for c in columns.iter_mut().filter(|c| *c == from) {
                    *c = to.clone();
                }
            }
        }
    }
    for v in r.catalog.views.values_mut() {
        v.query = dependents::rename_column_in_query(&v.query, table, from, to);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_identifiers_inside_expressions() {
        let e = Expr::parse("char_length(title) > 0 AND title <> subtitle").unwrap();
        let out = rename_in_expr(&e, &Ident::new("title"), &Ident::new("Name"));
        assert_eq!(
            out,
            Expr::parse("char_length(\"Name\") > 0 AND \"Name\" <> subtitle").unwrap()
        );
        let out = rename_in_expr(&e, &Ident::new("title"), &Ident::new("name"));
        assert_eq!(
            out,
            Expr::parse("char_length(name) > 0 AND name <> subtitle").unwrap()
        );
    }
}
