//! Small Catalog builders for the diff unit tests.

use schema::*;

pub fn id(s: &str) -> Ident {
    Ident::new(s)
}

pub fn qn(s: &str) -> QualName {
    QualName::from(s)
}

pub fn col(name: &str, ty: &str) -> Column {
    let mut c = Column::new(id(name), SqlType::parse(ty).unwrap());
    c.nullable = false;
    c
}

pub fn table(name: &str, cols: &[(&str, &str)]) -> Table {
    let mut t = Table::new(qn(name));
    t.columns = cols.iter().map(|(n, ty)| col(n, ty)).collect();
    t
}

pub fn catalog(schemas: &[&str], tables: Vec<Table>) -> Catalog {
    let mut c = Catalog::default();
    for s in schemas {
        c.schemas.insert(
            id(s),
            Schema {
                name: id(s),
                comment: None,
            },
        );
    }
    for t in tables {
        c.tables.insert(t.name.clone(), t);
    }
    c
}

pub fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: id(name),
        kind,
        not_valid: false,
    }
}

pub fn fk(cols: &[&str], ref_table: &str, ref_cols: &[&str]) -> ConstraintKind {
    ConstraintKind::ForeignKey(ForeignKey {
        columns: cols.iter().map(|c| id(c)).collect(),
        ref_table: qn(ref_table),
        ref_columns: ref_cols.iter().map(|c| id(c)).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_full: false,
        deferral: Deferral::NotDeferrable,
    })
}

pub fn unique(cols: &[&str], nulls_not_distinct: bool) -> ConstraintKind {
    ConstraintKind::Unique {
        columns: cols.iter().map(|c| id(c)).collect(),
        nulls_not_distinct,
        deferral: Deferral::NotDeferrable,
    }
}

pub fn index(name: &str, table: &str, cols: &[&str]) -> Index {
    let table = qn(table);
    Index {
        name: QualName::new(table.schema.clone(), id(name)),
        table,
        unique: false,
        method: "btree".into(),
        keys: cols
            .iter()
            .map(|c| schema::index_key::parse_index_key(c).unwrap())
            .collect(),
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        with: Default::default(),
        comment: None,
    }
}

pub fn core() -> Vec<Ident> {
    vec![id("core"), id("public")]
}

pub fn ty(s: &str) -> SqlType {
    SqlType::parse(s).unwrap()
}

pub fn function(name: &str, args: &[(&str, &str)], returns: &str, body: &str) -> Function {
    Function {
        name: qn(name),
        args: args
            .iter()
            .map(|(n, t)| FunctionArg {
                mode: ArgMode::In,
                name: Some(id(n)),
                ty: ty(t),
                default: None,
            })
            .collect(),
        returns: FunctionReturn::Type {
            ty: if returns == "trigger" {
                SqlType::canonical(returns)
            } else {
                ty(returns)
            },
        },
        language: if returns == "trigger" {
            "plpgsql"
        } else {
            "sql"
        }
        .into(),
        body: body.into(),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        config: Default::default(),
        comment: None,
    }
}

pub fn with_functions(functions: Vec<Function>) -> Catalog {
    let mut c = catalog(&["core"], vec![]);
    for f in functions {
        c.functions.insert(f.id(), f);
    }
    c
}

pub fn view(name: &str, query: &str) -> View {
    View {
        name: qn(name),
        materialized: false,
        columns: vec![],
        query: Query::parse(query).unwrap(),
        security_invoker: false,
        security_barrier: false,
        check_option: None,
        comment: None,
    }
}

pub fn with_views(tables: Vec<Table>, views: Vec<View>) -> Catalog {
    let mut c = catalog(&["core"], tables);
    for v in views {
        c.views.insert(v.name.clone(), v);
    }
    c
}

pub fn policy(
    table: &str,
    name: &str,
    command: PolicyCommand,
    roles: &[&str],
    using: Option<&str>,
    check: Option<&str>,
) -> Policy {
    Policy {
        name: id(name),
        table: qn(table),
        permissive: true,
        command,
        roles: roles.iter().map(|r| id(r)).collect(),
        using: using.map(|e| Expr::parse(e).unwrap()),
        check: check.map(|e| Expr::parse(e).unwrap()),
    }
}

pub fn with_policies(tables: Vec<Table>, policies: Vec<Policy>) -> Catalog {
    let mut c = catalog(&["core"], tables);
    for p in policies {
        c.policies.insert(p.key(), p);
    }
    c
}

pub fn trigger(table: &str, name: &str, function: &str) -> Trigger {
    Trigger {
        name: id(name),
        table: qn(table),
        timing: TriggerTiming::Before,
        events: vec![TriggerEvent::Update { columns: vec![] }],
        for_each_row: true,
        when: None,
        function: qn(function),
        args: vec![],
        old_table: None,
        new_table: None,
        constraint: None,
    }
}

/// One line per change, for compact assertions.
pub fn brief(changes: &[super::Change]) -> Vec<String> {
    use super::Change::*;
    changes
        .iter()
        .map(|c| match c {
            CreateSchema(s) => format!("create schema {}", s.name),
            DropSchema(s) => format!("drop schema {}", s.name),
            CreateExtension(e) => format!("create extension {}", e.name),
            DropExtension(e) => format!("drop extension {}", e.name),
            AlterExtensionSchema { name, .. } => format!("move extension {name}"),
            CreateEnum(e) => format!("create enum {}", e.name),
            DropEnum { enum_, replaced } => format!("drop enum {} replaced={replaced}", enum_.name),
            AddEnumValue {
                name,
                value,
                position,
            } => format!("add {value} to {name} {position:?}"),
            UnsupportedEnumChange { from, used_by, .. } => {
                format!("unsupported {} used by {}", from.name, used_by.join(","))
            }
            CreateTable(t) => format!(
                "create table {} ({} constraints)",
                t.name,
                t.constraints.len()
            ),
            DropTable(t) => format!("drop table {}", t.name),
            AddColumn { table, column } => format!("add column {table}.{}", column.name),
            DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            AlterColumnType { column, to, .. } => format!("type {column} {to}"),
            SetDefault { column, to, .. } => format!("set default {column} {to}"),
            DropDefault { column, .. } => format!("drop default {column}"),
            SetNotNull { column, .. } => format!("set not null {column}"),
            DropNotNull { column, .. } => format!("drop not null {column}"),
            AddIdentity { column, .. } => format!("add identity {column}"),
            DropIdentity { column, .. } => format!("drop identity {column}"),
            SetIdentity { column, .. } => format!("set identity {column}"),
            DropGenerated { column, .. } => format!("drop generated {}", column.name),
            RecreateColumn {
                to, destroys_data, ..
            } => format!("recreate {} destroys={destroys_data}", to.name),
            AddPrimaryKey { pk, .. } => format!("add pk {}", pk.name),
            DropPrimaryKey { pk, replaced, .. } => {
                format!("drop pk {} replaced={replaced}", pk.name)
            }
            AddConstraint { constraint, .. } => format!(
                "add constraint {}{}",
                constraint.name,
                if constraint.not_valid {
                    " not valid"
                } else {
                    ""
                }
            ),
            ValidateConstraint { constraint, .. } => {
                format!("validate constraint {}", constraint.name)
            }
            AttachUnique { constraint, .. } => format!("attach unique {}", constraint.name),
            SwapConstraint { new, helper, .. } => {
                format!("swap constraint {} from {helper}", new.name)
            }
            SwapIndex { new, helper, .. } => format!("swap index {} from {helper}", new.name),
            DropConstraint {
                constraint,
                replaced,
                ..
            } => format!("drop constraint {} replaced={replaced}", constraint.name),
            CreateIndex(i) => format!("create index {}", i.name),
            DropIndex { index, replaced } => {
                format!("drop index {} replaced={replaced}", index.name)
            }
            SetComment { target, to, .. } => format!("comment {target:?} {to:?}"),
            SetRls { table, to, .. } => format!("rls {table} {to:?}"),
            CreatePolicy { policy, replaces } => format!(
                "create policy {} on {} replaces={}",
                policy.name,
                policy.table,
                replaces.is_some()
            ),
            DropPolicy { policy, replaced } => format!(
                "drop policy {} on {} replaced={replaced}",
                policy.name, policy.table
            ),
            AlterPolicy { to, .. } => format!("alter policy {} on {}", to.name, to.table),
            RenamePolicy { from, to } => {
                format!("rename policy {} on {} to {}", from.name, to.table, to.name)
            }
            Grant {
                on,
                grantee,
                privileges,
                grant_option,
                ..
            } => format!(
                "grant {} on {on} to {grantee} option={grant_option}",
                privileges
                    .iter()
                    .map(|p| p.sql())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Revoke {
                on,
                grantee,
                privileges,
                grant_option_only,
                ..
            } => format!(
                "revoke {} on {on} from {grantee} option_only={grant_option_only}",
                privileges
                    .iter()
                    .map(|p| p.sql())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DefaultPrivileges {
                schema,
                objects,
                grantee,
                privileges,
                grant,
                ..
            } => format!(
                "default privileges {:?} {objects:?} {grantee} grant={grant} {privileges:?}",
                schema.as_ref().map(|s| s.as_str())
            ),
            CreateFunction { function, replaces } => format!(
                "create function {} replaces={}",
                function.id(),
                replaces.is_some()
            ),
            ReplaceFunction { to, .. } => format!("replace function {}", to.id()),
            DropFunction { function, replaced } => {
                format!("drop function {} replaced={replaced}", function.id())
            }
            CreateTrigger(t) => format!("create trigger {} on {}", t.name, t.table),
            ReplaceTrigger { to, .. } => format!("replace trigger {} on {}", to.name, to.table),
            DropTrigger { trigger, replaced } => format!(
                "drop trigger {} on {} replaced={replaced}",
                trigger.name, trigger.table
            ),
            CreateView(v) => format!("create view {}", v.name),
            ReplaceView { to, .. } => format!("replace view {}", to.name),
            AlterViewOptions { to, .. } => format!("view options {}", to.name),
            DropView { view, replaced } => format!("drop view {} replaced={replaced}", view.name),
            SetRoutineComment { target, to, .. } => format!("comment {target:?} {to:?}"),
        })
        .collect()
}
