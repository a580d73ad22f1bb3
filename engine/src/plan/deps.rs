//! What each change brings into existence, needs, removes and stops
//! needing: the keys from which the dependency graph's edges are drawn.

use crate::diff::Change;
use schema::{Catalog, Column, ConstraintKind, ForeignKey, Ident, IndexTarget, QualName, Table};

/// An object a change can create, remove or depend on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Schema(Ident),
    Extension(Ident),
    Type(QualName),
    Table(QualName),
    Column(QualName, Ident),
    Constraint(QualName, Ident),
    Index(QualName),
}

#[derive(Debug, Default)]
pub struct Deps {
    pub creates: Vec<Key>,
    /// Must exist before this change: their creators come first.
    pub needs: Vec<Key>,
    pub removes: Vec<Key>,
    /// Used by the old state: their removers come after this change.
    pub releases: Vec<Key>,
    /// Types and defaults may come from any extension: created ones first.
    pub needs_extensions: bool,
    /// Dropped extensions only after this change.
    pub releases_extensions: bool,
}

fn column_type(column: &Column) -> Option<Key> {
    column.ty.element().user_defined().map(Key::Type)
}

/// The primary key, unique constraint or unique index a foreign key points at.
fn fk_target(catalog: &Catalog, fk: &ForeignKey) -> Vec<Key> {
    let mut keys = vec![Key::Table(fk.ref_table.clone())];
    keys.extend(
        fk.ref_columns
            .iter()
            .map(|c| Key::Column(fk.ref_table.clone(), c.clone())),
    );
    let mut wanted = fk.ref_columns.clone();
    wanted.sort();
    let same = |cols: &[Ident]| {
        let mut cols = cols.to_vec();
        cols.sort();
        cols == wanted
    };
    if let Some(table) = catalog.tables.get(&fk.ref_table) {
        if let Some(pk) = table.primary_key.as_ref().filter(|pk| same(&pk.columns)) {
            keys.push(Key::Constraint(fk.ref_table.clone(), pk.name.clone()));
        }
        for c in table.constraints.values() {
            if let ConstraintKind::Unique { columns, .. } = &c.kind
                && same(columns)
            {
                keys.push(Key::Constraint(fk.ref_table.clone(), c.name.clone()));
            }
        }
    }
    for index in catalog.indexes_on(&fk.ref_table) {
        let cols: Option<Vec<Ident>> = index
            .keys
            .iter()
            .map(|k| match &k.target {
                IndexTarget::Column(c) => Some(c.clone()),
                IndexTarget::Expression(_) => None,
            })
            .collect();
        if index.unique && index.predicate.is_none() && cols.is_some_and(|c| same(&c)) {
            keys.push(Key::Index(index.name.clone()));
        }
    }
    keys
}

fn columns_of(table: &QualName, columns: &[Ident]) -> Vec<Key> {
    columns
        .iter()
        .map(|c| Key::Column(table.clone(), c.clone()))
        .collect()
}

fn constraint_needs(catalog: &Catalog, table: &QualName, kind: &ConstraintKind) -> Vec<Key> {
    let mut keys = vec![Key::Table(table.clone())];
    match kind {
        ConstraintKind::Unique { columns, .. } => keys.extend(columns_of(table, columns)),
        ConstraintKind::Check { expr, .. } => keys.extend(columns_of(table, &expr.columns())),
        ConstraintKind::ForeignKey(fk) => {
            keys.extend(columns_of(table, &fk.columns));
            keys.extend(fk_target(catalog, fk));
        }
    }
    keys
}

fn table_keys(table: &Table) -> Vec<Key> {
    let mut keys = vec![Key::Table(table.name.clone())];
    keys.extend(
        table
            .columns
            .iter()
            .map(|c| Key::Column(table.name.clone(), c.name.clone())),
    );
    if let Some(pk) = &table.primary_key {
        keys.push(Key::Constraint(table.name.clone(), pk.name.clone()));
    }
    keys.extend(
        table
            .constraints
            .keys()
            .map(|n| Key::Constraint(table.name.clone(), n.clone())),
    );
    keys
}

fn col(table: &QualName, column: &Ident) -> Key {
    Key::Column(table.clone(), column.clone())
}

/// `current` describes what drops release; `desired` what creates need.
pub fn deps(change: &Change, current: &Catalog, desired: &Catalog) -> Deps {
    let mut d = Deps::default();
    match change {
        Change::CreateSchema(s) => d.creates.push(Key::Schema(s.name.clone())),
        Change::DropSchema(s) => d.removes.push(Key::Schema(s.name.clone())),
        Change::CreateExtension(e) => {
            d.creates.push(Key::Extension(e.name.clone()));
            d.needs.extend(e.schema.clone().map(Key::Schema));
        }
        Change::DropExtension(e) => {
            d.removes.push(Key::Extension(e.name.clone()));
            d.releases.extend(e.schema.clone().map(Key::Schema));
        }
        Change::AlterExtensionSchema { name, from, to } => {
            d.creates.push(Key::Extension(name.clone()));
            d.needs.extend(to.clone().map(Key::Schema));
            d.releases.extend(from.clone().map(Key::Schema));
        }
        Change::CreateEnum(e) => {
            d.creates.push(Key::Type(e.name.clone()));
            d.needs.push(Key::Schema(e.name.schema.clone()));
        }
        Change::DropEnum { enum_, .. } => {
            d.removes.push(Key::Type(enum_.name.clone()));
            d.releases.push(Key::Schema(enum_.name.schema.clone()));
        }
        Change::AddEnumValue { name, .. } => d.creates.push(Key::Type(name.clone())),
        Change::UnsupportedEnumChange { .. } => {}
        Change::CreateTable(t) => {
            d.creates.extend(table_keys(t));
            d.needs.push(Key::Schema(t.name.schema.clone()));
            d.needs.extend(t.columns.iter().filter_map(column_type));
            d.needs_extensions = true;
        }
        Change::DropTable(t) => {
            d.removes.extend(table_keys(t));
            d.removes.extend(
                current
                    .indexes_on(&t.name)
                    .map(|i| Key::Index(i.name.clone())),
            );
            d.releases.push(Key::Schema(t.name.schema.clone()));
            d.releases.extend(t.columns.iter().filter_map(column_type));
            for c in t.constraints.values() {
                if let ConstraintKind::ForeignKey(fk) = &c.kind
                    && fk.ref_table != t.name
                {
                    d.releases.extend(fk_target(current, fk));
                }
            }
            d.releases_extensions = true;
        }
        Change::AddColumn { table, column } => {
            d.creates.push(col(table, &column.name));
            d.needs.push(Key::Table(table.clone()));
            d.needs.extend(column_type(column));
            if let Some(g) = &column.generated {
                d.needs.extend(columns_of(table, &g.columns()));
            }
            d.needs_extensions = true;
        }
        Change::DropColumn { table, column } => {
            d.removes.push(col(table, &column.name));
            d.releases.extend(column_type(column));
            d.releases_extensions = true;
        }
        Change::AlterColumnType {
            table,
            column,
            from,
            to,
        } => {
            d.needs.push(col(table, column));
            d.needs.extend(to.element().user_defined().map(Key::Type));
            d.releases
                .extend(from.element().user_defined().map(Key::Type));
            d.needs_extensions = true;
        }
        Change::SetDefault { table, column, .. } => {
            d.needs.push(col(table, column));
            d.needs_extensions = true;
        }
        Change::DropDefault { table, column, .. }
        | Change::SetNotNull { table, column }
        | Change::DropNotNull { table, column }
        | Change::AddIdentity { table, column, .. }
        | Change::DropIdentity { table, column, .. }
        | Change::SetIdentity { table, column, .. } => d.needs.push(col(table, column)),
        Change::DropGenerated { table, column, .. } => d.needs.push(col(table, &column.name)),
        Change::RecreateColumn {
            table, from, to, ..
        } => {
            d.creates.push(col(table, &to.name));
            d.needs.push(Key::Table(table.clone()));
            d.needs.extend(column_type(to));
            if let Some(g) = &to.generated {
                d.needs.extend(columns_of(table, &g.columns()));
            }
            d.releases.extend(column_type(from));
            d.needs_extensions = true;
        }
        Change::AddPrimaryKey { table, pk } => {
            d.creates
                .push(Key::Constraint(table.clone(), pk.name.clone()));
            d.needs.push(Key::Table(table.clone()));
            d.needs.extend(columns_of(table, &pk.columns));
        }
        Change::DropPrimaryKey { table, pk, .. } => {
            d.removes
                .push(Key::Constraint(table.clone(), pk.name.clone()));
            d.releases.extend(columns_of(table, &pk.columns));
        }
        Change::AddConstraint { table, constraint } => {
            d.creates
                .push(Key::Constraint(table.clone(), constraint.name.clone()));
            d.needs
                .extend(constraint_needs(desired, table, &constraint.kind));
        }
        Change::DropConstraint {
            table, constraint, ..
        } => {
            d.removes
                .push(Key::Constraint(table.clone(), constraint.name.clone()));
            let mut released = constraint_needs(current, table, &constraint.kind);
            released.retain(|k| k != &Key::Table(table.clone()));
            d.releases.extend(released);
        }
        Change::CreateIndex(i) => {
            d.creates.push(Key::Index(i.name.clone()));
            d.needs.push(Key::Table(i.table.clone()));
            d.needs
                .extend(columns_of(&i.table, &crate::diff::index_columns(i)));
            d.needs_extensions = true;
        }
        Change::DropIndex { index, .. } => {
            d.removes.push(Key::Index(index.name.clone()));
            d.releases
                .extend(columns_of(&index.table, &crate::diff::index_columns(index)));
            d.releases_extensions = true;
        }
        Change::SetComment { target, .. } => d.needs.push(match target {
            schema::CommentTarget::Schema { schema } => Key::Schema(schema.clone()),
            schema::CommentTarget::Enum { name } => Key::Type(name.clone()),
            schema::CommentTarget::Table { table } => Key::Table(table.clone()),
            schema::CommentTarget::Column { table, column } => col(table, column),
            schema::CommentTarget::Index { index } => Key::Index(index.clone()),
        }),
    }
    d
}
