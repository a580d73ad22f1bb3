//! What each change brings into existence, needs, removes and stops
//! needing: the keys from which the dependency graph's edges are drawn.

use crate::diff::Change;
use crate::diff::dependents::{columns_used, policy_refs};
use schema::refs::Refs;
use schema::{
    Catalog, Column, ConstraintKind, ForeignKey, Function, GrantTarget, Ident, IndexTarget,
    ObjectClass, QualName, Table, Trigger, TriggerEvent, View,
};

/// An object a change can create, remove or depend on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    Schema(Ident),
    Extension(Ident),
    Type(QualName),
    Table(QualName),
    Column(QualName, Ident),
    Constraint(QualName, Ident),
    /// A constraint added `NOT VALID` has been validated (what `SET NOT
    /// NULL` through a check and a constraint swap wait for).
    Validated(QualName, Ident),
    /// A column set NOT NULL by this plan: a primary key over it comes
    /// after, so that undoing them drops the key before `DROP NOT NULL`.
    NotNull(QualName, Ident),
    Index(QualName),
    /// Functions by name: calls do not say which overload. A drop of one
    /// overload is not ordered before the create of another by this key
    /// (see [`Key::FunctionId`]).
    Function(QualName),
    /// One function: its drop comes before its creation again.
    FunctionId(schema::FunctionId),
    Policy(QualName, Ident),
    Trigger(QualName, Ident),
    /// A column's type: created and removed by a type change, so whatever
    /// uses the column (views, policies, trigger conditions) is dropped
    /// before it and created after it.
    ColumnType(QualName, Ident),
    /// Default privileges for `(schema, kind)`: set before objects of that
    /// kind are created there, so they receive them.
    DefaultPrivileges(Option<Ident>, ObjectClass),
    /// A grantee's privileges on a table (or one of its columns): revokes
    /// remove it and grants create it, so revokes run first.
    Acl(QualName, Ident),
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
        ConstraintKind::Check { expr, .. } => {
            keys.extend(columns_of(table, &expr.columns()));
            keys.extend(Refs::of_expr(expr).functions.into_iter().map(Key::Function));
        }
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

/// What an expression, query or body uses, as keys resolved in `catalog`.
fn ref_keys(refs: &Refs, home: Option<&QualName>, catalog: &Catalog) -> Vec<Key> {
    let mut keys: Vec<Key> = refs.functions.iter().cloned().map(Key::Function).collect();
    keys.extend(refs.relations.iter().cloned().map(Key::Table));
    keys.extend(refs.types.iter().cloned().map(Key::Type));
    for (t, c) in columns_used(refs, home, catalog) {
        keys.push(Key::ColumnType(t.clone(), c.clone()));
        keys.push(Key::Column(t, c));
    }
    keys
}

fn default_keys(column: &Column) -> Vec<Key> {
    column
        .default
        .as_ref()
        .map(|d| {
            Refs::of_expr(d)
                .functions
                .into_iter()
                .map(Key::Function)
                .collect()
        })
        .unwrap_or_default()
}

/// Defaults in force when an object of `class` is created in `schema`.
fn default_privileges(schema: &Ident, class: ObjectClass) -> [Key; 2] {
    [
        Key::DefaultPrivileges(None, class),
        Key::DefaultPrivileges(Some(schema.clone()), class),
    ]
}

fn function_keys(f: &Function, catalog: &Catalog) -> Vec<Key> {
    let mut keys = vec![Key::Schema(f.name.schema.clone())];
    let mut types: Vec<&schema::SqlType> = f.args.iter().map(|a| &a.ty).collect();
    match &f.returns {
        schema::FunctionReturn::Type { ty } | schema::FunctionReturn::SetOf { ty } => {
            types.push(ty)
        }
        schema::FunctionReturn::Table { columns } => types.extend(columns.iter().map(|(_, t)| t)),
    }
    keys.extend(
        types
            .into_iter()
            .filter_map(|t| t.element().user_defined().map(Key::Type)),
    );
    // PostgreSQL checks SQL bodies at creation (check_function_bodies):
    // what they read and call must exist. PL/pgSQL bodies are checked
    // when they run.
    if f.language == "sql" {
        let refs = Refs::of_sql(&f.body);
        keys.extend(
            ref_keys(&refs, None, catalog)
                .into_iter()
                .filter(|k| k != &Key::Function(f.name.clone())),
        );
    }
    keys
}

fn trigger_keys(t: &Trigger, catalog: &Catalog) -> Vec<Key> {
    let mut keys = vec![
        Key::Table(t.table.clone()),
        Key::Function(t.function.clone()),
    ];
    for event in &t.events {
        if let TriggerEvent::Update { columns } = event {
            keys.extend(columns_of(&t.table, columns));
        }
    }
    if let Some(when) = &t.when {
        keys.extend(ref_keys(&Refs::of_expr(when), Some(&t.table), catalog));
    }
    keys
}

fn view_keys(v: &View, catalog: &Catalog) -> Vec<Key> {
    let mut keys = vec![Key::Schema(v.name.schema.clone())];
    keys.extend(ref_keys(&Refs::of_query(&v.query), None, catalog));
    keys.retain(|k| k != &Key::Table(v.name.clone()));
    keys
}

fn policy_keys(p: &schema::Policy, catalog: &Catalog) -> Vec<Key> {
    let mut keys = vec![Key::Table(p.table.clone())];
    keys.extend(ref_keys(&policy_refs(p), Some(&p.table), catalog));
    keys
}

/// The object a grant is on, as the key of what creates it, and the
/// table-level ACL key revokes and grants share.
fn grant_keys(on: &GrantTarget, grantee: &Ident, catalog: &Catalog) -> (Vec<Key>, Option<Key>) {
    match on {
        GrantTarget::Schema { schema } => (vec![Key::Schema(schema.clone())], None),
        GrantTarget::Table { table } => (
            vec![Key::Table(table.clone())],
            Some(Key::Acl(table.clone(), grantee.clone())),
        ),
        GrantTarget::Column { table, column } => (
            vec![col(table, column)],
            Some(Key::Acl(table.clone(), grantee.clone())),
        ),
        GrantTarget::Sequence { sequence } => {
            let owner = catalog.tables.values().find_map(|t| {
                crate::diff::owned_sequences(t)
                    .into_iter()
                    .find(|(_, s)| s == sequence)
                    .map(|(c, _)| col(&t.name, &c))
            });
            (owner.into_iter().collect(), None)
        }
        GrantTarget::Function { function } => (vec![Key::Function(function.name.clone())], None),
    }
}

fn col(table: &QualName, column: &Ident) -> Key {
    Key::Column(table.clone(), column.clone())
}

/// `current` describes what drops release; `desired` what creates need.
pub fn deps(change: &Change, current: &Catalog, desired: &Catalog) -> Deps {
    let mut d = Deps::default();
    match change {
        Change::CreateSchema(s) => {
            d.creates.push(Key::Schema(s.name.clone()));
            d.needs
                .push(Key::DefaultPrivileges(None, ObjectClass::Schema));
        }
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
            d.needs
                .extend(default_privileges(&e.name.schema, ObjectClass::Type));
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
            d.needs.extend(t.columns.iter().flat_map(default_keys));
            d.needs
                .extend(default_privileges(&t.name.schema, ObjectClass::Table));
            d.needs
                .extend(default_privileges(&t.name.schema, ObjectClass::Sequence));
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
            d.releases.extend(t.columns.iter().flat_map(default_keys));
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
            d.needs.extend(default_keys(column));
            d.needs
                .extend(default_privileges(&table.schema, ObjectClass::Sequence));
            if let Some(g) = &column.generated {
                d.needs.extend(columns_of(table, &g.columns()));
            }
            d.needs_extensions = true;
        }
        Change::DropColumn { table, column } => {
            d.removes.push(col(table, &column.name));
            d.removes
                .push(Key::ColumnType(table.clone(), column.name.clone()));
            d.releases.extend(column_type(column));
            d.releases.extend(default_keys(column));
            d.releases_extensions = true;
        }
        Change::AlterColumnType {
            table,
            column,
            from,
            to,
        } => {
            d.needs.push(col(table, column));
            d.creates
                .push(Key::ColumnType(table.clone(), column.clone()));
            d.removes
                .push(Key::ColumnType(table.clone(), column.clone()));
            d.needs.extend(to.element().user_defined().map(Key::Type));
            d.releases
                .extend(from.element().user_defined().map(Key::Type));
            d.needs_extensions = true;
        }
        Change::SetDefault {
            table,
            column,
            from,
            to,
        } => {
            d.needs.push(col(table, column));
            d.needs
                .extend(Refs::of_expr(to).functions.into_iter().map(Key::Function));
            if let Some(from) = from {
                d.releases
                    .extend(Refs::of_expr(from).functions.into_iter().map(Key::Function));
            }
            d.needs_extensions = true;
        }
        Change::DropDefault {
            table,
            column,
            from,
        } => {
            d.needs.push(col(table, column));
            d.releases
                .extend(Refs::of_expr(from).functions.into_iter().map(Key::Function));
        }
        Change::SetNotNull { table, column } => {
            // Proven by the validated helper check, which the step drops.
            let check = crate::diff::helpers::not_null_check_name(table, column);
            d.needs.push(col(table, column));
            d.needs.push(Key::Constraint(table.clone(), check.clone()));
            d.needs.push(Key::Validated(table.clone(), check));
            d.creates.push(Key::NotNull(table.clone(), column.clone()));
        }
        Change::DropNotNull { table, column }
        | Change::AddIdentity { table, column, .. }
        | Change::DropIdentity { table, column, .. }
        | Change::SetIdentity { table, column, .. } => d.needs.push(col(table, column)),
        Change::DropGenerated { table, column, .. } => d.needs.push(col(table, &column.name)),
        Change::RecreateColumn {
            table, from, to, ..
        } => {
            d.creates.push(col(table, &to.name));
            d.creates
                .push(Key::ColumnType(table.clone(), to.name.clone()));
            d.removes
                .push(Key::ColumnType(table.clone(), to.name.clone()));
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
            d.needs.extend(
                pk.columns
                    .iter()
                    .map(|c| Key::NotNull(table.clone(), c.clone())),
            );
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
        Change::ValidateConstraint { table, constraint } => {
            d.creates
                .push(Key::Validated(table.clone(), constraint.name.clone()));
            d.needs
                .push(Key::Constraint(table.clone(), constraint.name.clone()));
        }
        Change::AttachUnique { table, constraint } => {
            d.creates
                .push(Key::Constraint(table.clone(), constraint.name.clone()));
            d.needs.push(Key::Index(QualName::new(
                table.schema.clone(),
                constraint.name.clone(),
            )));
            d.needs
                .extend(constraint_needs(desired, table, &constraint.kind));
        }
        Change::SwapConstraint {
            table,
            old,
            new,
            helper,
        } => {
            d.creates
                .push(Key::Constraint(table.clone(), new.name.clone()));
            d.needs.push(Key::Constraint(table.clone(), helper.clone()));
            d.needs.push(Key::Validated(table.clone(), helper.clone()));
            d.needs.extend(constraint_needs(desired, table, &new.kind));
            let mut released = constraint_needs(current, table, &old.kind);
            released.retain(|k| k != &Key::Table(table.clone()));
            d.releases.extend(released);
        }
        Change::SwapIndex { old, new, helper } => {
            d.creates.push(Key::Index(new.name.clone()));
            d.needs.push(Key::Index(helper.clone()));
            d.needs
                .extend(columns_of(&new.table, &crate::diff::index_columns(new)));
            d.releases
                .extend(columns_of(&old.table, &crate::diff::index_columns(old)));
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
        Change::SetRls { table, .. } => d.needs.push(Key::Table(table.clone())),
        Change::CreatePolicy { policy, .. } => {
            d.creates
                .push(Key::Policy(policy.table.clone(), policy.name.clone()));
            d.needs.extend(policy_keys(policy, desired));
        }
        Change::DropPolicy { policy, .. } => {
            d.removes
                .push(Key::Policy(policy.table.clone(), policy.name.clone()));
            d.releases.extend(policy_keys(policy, current));
        }
        Change::RenamePolicy { from, to } => {
            d.creates
                .push(Key::Policy(to.table.clone(), to.name.clone()));
            d.removes
                .push(Key::Policy(from.table.clone(), from.name.clone()));
            d.needs.push(Key::Table(to.table.clone()));
        }
        Change::AlterPolicy { from, to } => {
            d.needs.extend(policy_keys(to, desired));
            d.releases.extend(policy_keys(from, current));
        }
        Change::Grant { on, grantee, .. } => {
            let (needs, acl) = grant_keys(on, grantee, desired);
            d.needs.extend(needs);
            d.creates.extend(acl);
        }
        Change::Revoke { on, grantee, .. } => {
            let (needs, acl) = grant_keys(on, grantee, desired);
            d.needs.extend(needs);
            d.removes.extend(acl);
        }
        Change::DefaultPrivileges {
            schema, objects, ..
        } => {
            d.creates
                .push(Key::DefaultPrivileges(schema.clone(), *objects));
            d.needs.extend(schema.clone().map(Key::Schema));
        }
        Change::CreateFunction { function, .. } => {
            d.creates.push(Key::Function(function.name.clone()));
            d.creates.push(Key::FunctionId(function.id()));
            d.needs.extend(function_keys(function, desired));
            d.needs.extend(default_privileges(
                &function.name.schema,
                ObjectClass::Function,
            ));
            d.needs_extensions = true;
        }
        Change::ReplaceFunction { from, to } => {
            d.creates.push(Key::Function(to.name.clone()));
            d.needs.extend(function_keys(to, desired));
            d.releases.extend(function_keys(from, current));
            d.needs_extensions = true;
        }
        Change::DropFunction { function, .. } => {
            d.removes.push(Key::Function(function.name.clone()));
            d.removes.push(Key::FunctionId(function.id()));
            d.releases.extend(function_keys(function, current));
            d.releases_extensions = true;
        }
        Change::CreateTrigger(t) => {
            d.creates
                .push(Key::Trigger(t.table.clone(), t.name.clone()));
            d.needs.extend(trigger_keys(t, desired));
        }
        Change::ReplaceTrigger { from, to } => {
            d.needs.extend(trigger_keys(to, desired));
            d.releases.extend(trigger_keys(from, current));
        }
        Change::DropTrigger { trigger, .. } => {
            d.removes
                .push(Key::Trigger(trigger.table.clone(), trigger.name.clone()));
            d.releases.extend(trigger_keys(trigger, current));
        }
        Change::CreateView(v) => {
            d.creates.push(Key::Table(v.name.clone()));
            d.needs.extend(view_keys(v, desired));
            d.needs
                .extend(default_privileges(&v.name.schema, ObjectClass::Table));
            d.needs_extensions = true;
        }
        Change::ReplaceView { from, to } => {
            d.creates.push(Key::Table(to.name.clone()));
            d.needs.extend(view_keys(to, desired));
            d.releases.extend(view_keys(from, current));
        }
        Change::AlterViewOptions { to, .. } => d.needs.push(Key::Table(to.name.clone())),
        Change::DropView { view, .. } => {
            d.removes.push(Key::Table(view.name.clone()));
            d.releases.extend(view_keys(view, current));
            d.releases_extensions = true;
        }
        Change::SetRoutineComment { target, .. } => d.needs.push(match target {
            crate::diff::RoutineComment::Function(id) => Key::Function(id.name.clone()),
            crate::diff::RoutineComment::View { name, .. } => Key::Table(name.clone()),
        }),
    }
    d
}
