//! `CREATE TABLE`, plus the column and constraint building that
//! `ALTER TABLE … ADD` shares, including PostgreSQL's derived names.

use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, display_name, missing_relation, q, qual_name};
use schema::names::{NameLabel, choose_name, columns_addition};
use schema::{
    Column, Constraint, ConstraintKind, Deferral, Expr, FkAction, ForeignKey, Ident, Identity,
    PrimaryKey, QualName, SqlType, Table,
};
use sqlparser::ast::{self, ColumnOption, TableConstraint};

/// A constraint read from the statement, not yet named or attached.
#[derive(Clone, Debug)]
pub(super) struct PendingConstraint {
    pub name: Option<Ident>,
    pub kind: PendingKind,
}

#[derive(Clone, Debug)]
pub(super) enum PendingKind {
    PrimaryKey(Vec<Ident>),
    Unique {
        columns: Vec<Ident>,
        nulls_not_distinct: bool,
        deferral: Deferral,
    },
    Check {
        expr: Expr,
        no_inherit: bool,
    },
    ForeignKey {
        columns: Vec<Ident>,
        ref_table: QualName,
        ref_columns: Vec<Ident>,
        on_delete: FkAction,
        on_update: FkAction,
        match_full: bool,
        deferral: Deferral,
    },
}

impl PendingKind {
    /// PostgreSQL creates checks with the table, then the primary key and
    /// unique indexes, then foreign keys; names are derived in that order.
    fn phase(&self) -> u8 {
        match self {
            PendingKind::Check { .. } => 0,
            PendingKind::PrimaryKey(_) => 1,
            PendingKind::Unique { .. } => 2,
            PendingKind::ForeignKey { .. } => 3,
        }
    }
}

pub(super) fn create_table(
    r: &mut Replay,
    ct: &ast::CreateTable,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let text_label = "CREATE TABLE";
    if ct.temporary {
        notes.push(Remark::info(
            text_label,
            "temporary table, no schema effect",
        ));
        return Ok(());
    }
    if ct.query.is_some()
        || ct.like.is_some()
        || ct.partition_of.is_some()
        || ct.inherits.is_some()
        || ct.clone.is_some()
    {
        notes.push(Remark::not_followed(&format!(
            "{text_label} AS/LIKE/PARTITION OF/INHERITS"
        )));
        return Ok(());
    }
    if ct.partition_by.is_some() {
        notes.push(Remark::not_followed(&format!(
            "{text_label} … PARTITION BY: partitioning"
        )));
    }
    let name = qual_name(&ct.name)?;
    r.require_schema(&name.schema)?;
    if r.catalog.tables.contains_key(&name) {
        if ct.if_not_exists {
            return Ok(());
        }
        return Err(StmtError::duplicate(format!(
            "relation \"{}\" already exists",
            display_name(&name)
        ))
        .hint("use CREATE TABLE IF NOT EXISTS, or ALTER TABLE to change the existing table"));
    }
    if r.relation_taken(&name.schema, name.name.as_str()) || r.catalog.enums.contains_key(&name) {
        return Err(StmtError::duplicate(format!(
            "relation \"{}\" already exists",
            display_name(&name)
        ))
        .hint("an index, constraint or type already uses this name in the schema"));
    }

    let mut table = Table::new(name.clone());
    let mut pending = Vec::new();
    for def in &ct.columns {
        let (column, constraints) = column_from_def(r, &name, def, notes)?;
        if table.column(&column.name).is_some() {
            return Err(StmtError::duplicate(format!(
                "column {} specified more than once",
                q(&column.name)
            )));
        }
        table.columns.push(column);
        pending.extend(constraints);
    }
    for c in &ct.constraints {
        pending.push(table_constraint(c, notes)?);
    }
    // Primary-key columns are NOT NULL.
    for p in &pending {
        if let PendingKind::PrimaryKey(cols) = &p.kind {
            for col in cols {
                if let Some(c) = table.column_mut(col) {
                    c.nullable = false;
                }
            }
        }
    }
    r.catalog.tables.insert(name.clone(), table);
    pending.sort_by_key(|p| p.kind.phase());
    let pending = merge_duplicate_keys(pending);
    let mut pkeys = 0;
    for p in pending {
        if matches!(p.kind, PendingKind::PrimaryKey(_)) {
            pkeys += 1;
            if pkeys > 1 {
                return Err(StmtError::invalid(format!(
                    "multiple primary keys for table \"{}\" are not allowed",
                    display_name(&name)
                )));
            }
        }
        add_constraint(r, &name, p)?;
    }
    super::grant::grant_table_defaults(r, &name);
    Ok(())
}

/// PostgreSQL builds one index for identical primary-key/unique
/// definitions in one `CREATE TABLE` (`transformIndexConstraints`); a
/// later duplicate lends its name to an unnamed earlier one.
fn merge_duplicate_keys(pending: Vec<PendingConstraint>) -> Vec<PendingConstraint> {
    fn key(k: &PendingKind) -> Option<(&Vec<Ident>, bool, Deferral)> {
        match k {
            PendingKind::PrimaryKey(cols) => Some((cols, false, Deferral::NotDeferrable)),
            PendingKind::Unique {
                columns,
                nulls_not_distinct,
                deferral,
            } => Some((columns, *nulls_not_distinct, *deferral)),
            _ => None,
        }
    }
    let mut out: Vec<PendingConstraint> = Vec::new();
    for p in pending {
        if let Some(k) = key(&p.kind)
            && let Some(prior) = out.iter_mut().find(|o| key(&o.kind) == Some(k))
        {
            if prior.name.is_none() {
                prior.name = p.name;
            }
            continue;
        }
        out.push(p);
    }
    out
}

/// A column and the constraints written on it.
pub(super) fn column_from_def(
    r: &Replay,
    table: &QualName,
    def: &ast::ColumnDef,
    notes: &mut Vec<Remark>,
) -> StmtResult<(Column, Vec<PendingConstraint>)> {
    let name = Ident::from_ast(&def.name);
    let written = def.data_type.to_string();
    let bad_type = |e: schema::TypeError| {
        StmtError::invalid(e.to_string()).hint("write a PostgreSQL type such as text, integer, timestamptz, numeric(10,2) or schema.enum_name")
    };
    let mut column = match SqlType::parse_serial(&written).map_err(bad_type)? {
        Some(serial) => {
            let mut c = Column::new(name.clone(), serial.ty);
            c.nullable = false;
            c.default = Some(schema::names::serial_default(
                &super::serial::choose_sequence(r, table, &name),
            ));
            c
        }
        None => Column::new(name.clone(), SqlType::parse(&written).map_err(bad_type)?),
    };
    let mut pending = Vec::new();
    for opt in &def.options {
        let cname = opt.name.as_ref().map(Ident::from_ast);
        match &opt.option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => column.default = super::serial::column_default(e),
            ColumnOption::PrimaryKey(pk) => {
                column.nullable = false;
                pending.push(PendingConstraint {
                    name: cname.or_else(|| pk.name.as_ref().map(Ident::from_ast)),
                    kind: PendingKind::PrimaryKey(vec![name.clone()]),
                });
            }
            ColumnOption::Unique(u) => pending.push(PendingConstraint {
                name: cname.or_else(|| u.name.as_ref().map(Ident::from_ast)),
                kind: PendingKind::Unique {
                    columns: vec![name.clone()],
                    nulls_not_distinct: matches!(
                        u.nulls_distinct,
                        ast::NullsDistinctOption::NotDistinct
                    ),
                    deferral: deferral(u.characteristics.as_ref()),
                },
            }),
            ColumnOption::ForeignKey(fk) => {
                let mut p = foreign_key(fk)?;
                if let PendingKind::ForeignKey { columns, .. } = &mut p.kind {
                    *columns = vec![name.clone()];
                }
                p.name = cname.or(p.name);
                pending.push(p);
            }
            ColumnOption::Check(c) => pending.push(PendingConstraint {
                name: cname.or_else(|| c.name.as_ref().map(Ident::from_ast)),
                kind: PendingKind::Check {
                    expr: Expr::from_ast((*c.expr).clone()),
                    no_inherit: c.no_inherit,
                },
            }),
            ColumnOption::Generated {
                generated_as,
                generation_expr,
                ..
            } => match (generated_as, generation_expr) {
                (_, Some(e)) => column.generated = Some(Expr::from_ast(e.clone())),
                (ast::GeneratedAs::Always, None) => {
                    column.identity = Some(Identity::Always);
                    column.nullable = false;
                }
                (ast::GeneratedAs::ByDefault, None) => {
                    column.identity = Some(Identity::ByDefault);
                    column.nullable = false;
                }
                (ast::GeneratedAs::ExpStored, None) => {
                    return Err(StmtError::invalid(
                        "GENERATED ALWAYS AS needs an expression",
                    ));
                }
            },
            ColumnOption::Collation(c) => {
                notes.push(Remark::not_followed(&format!(
                    "COLLATE {c} on column {}",
                    q(&name)
                )));
            }
            other => {
                return Err(StmtError::invalid(format!(
                    "column option `{other}` is not PostgreSQL or is not supported by the replay"
                ))
                .hint("check the spelling; the replay does not read this option yet"));
            }
        }
    }
    if column.identity.is_some() && column.default.is_some() {
        return Err(StmtError::invalid(format!(
            "both default and identity specified for column {} of table \"{}\"",
            q(&name),
            display_name(table)
        )));
    }
    Ok((column, pending))
}

pub(super) fn deferral(c: Option<&ast::ConstraintCharacteristics>) -> Deferral {
    let Some(c) = c else {
        return Deferral::NotDeferrable;
    };
    match (c.deferrable, c.initially) {
        (_, Some(ast::DeferrableInitial::Deferred)) => Deferral::DeferrableInitiallyDeferred,
        (Some(true), _) => Deferral::DeferrableInitiallyImmediate,
        _ => Deferral::NotDeferrable,
    }
}

fn fk_action(a: Option<ast::ReferentialAction>) -> FkAction {
    match a {
        None | Some(ast::ReferentialAction::NoAction) => FkAction::NoAction,
        Some(ast::ReferentialAction::Restrict) => FkAction::Restrict,
        Some(ast::ReferentialAction::Cascade) => FkAction::Cascade,
        Some(ast::ReferentialAction::SetNull) => FkAction::SetNull,
        Some(ast::ReferentialAction::SetDefault) => FkAction::SetDefault,
    }
}

fn foreign_key(fk: &ast::ForeignKeyConstraint) -> StmtResult<PendingConstraint> {
    if matches!(
        fk.match_kind,
        Some(ast::ConstraintReferenceMatchKind::Partial)
    ) {
        return Err(StmtError::invalid("MATCH PARTIAL not yet implemented")
            .hint("PostgreSQL does not support it either"));
    }
    Ok(PendingConstraint {
        name: fk.name.as_ref().map(Ident::from_ast),
        kind: PendingKind::ForeignKey {
            columns: fk.columns.iter().map(Ident::from_ast).collect(),
            ref_table: qual_name(&fk.foreign_table)?,
            ref_columns: fk.referred_columns.iter().map(Ident::from_ast).collect(),
            on_delete: fk_action(fk.on_delete),
            on_update: fk_action(fk.on_update),
            match_full: matches!(fk.match_kind, Some(ast::ConstraintReferenceMatchKind::Full)),
            deferral: deferral(fk.characteristics.as_ref()),
        },
    })
}

fn key_columns(cols: &[ast::IndexColumn]) -> StmtResult<Vec<Ident>> {
    cols.iter()
        .map(|c| match &c.column.expr {
            ast::Expr::Identifier(id) => Ok(Ident::from_ast(id)),
            other => Err(StmtError::invalid(format!(
                "a constraint key must be a column, not `{other}`"
            ))
            .hint("use a unique index for expressions: CREATE UNIQUE INDEX … ON t (lower(x))")),
        })
        .collect()
}

/// A table-level constraint from `CREATE TABLE` or `ALTER TABLE … ADD`.
pub(super) fn table_constraint(
    c: &TableConstraint,
    notes: &mut Vec<Remark>,
) -> StmtResult<PendingConstraint> {
    // The Catalog keeps no INCLUDE columns for constraints: say so.
    let include = match c {
        TableConstraint::PrimaryKey(pk) => &pk.include,
        TableConstraint::Unique(u) => &u.include,
        _ => &Vec::new(),
    };
    if !include.is_empty() {
        notes.push(Remark::not_followed(&format!(
            "INCLUDE on constraint `{c}`"
        )));
    }
    Ok(match c {
        TableConstraint::PrimaryKey(pk) => PendingConstraint {
            name: pk.name.as_ref().map(Ident::from_ast),
            kind: PendingKind::PrimaryKey(key_columns(&pk.columns)?),
        },
        TableConstraint::Unique(u) => PendingConstraint {
            name: u.name.as_ref().map(Ident::from_ast),
            kind: PendingKind::Unique {
                columns: key_columns(&u.columns)?,
                nulls_not_distinct: matches!(
                    u.nulls_distinct,
                    ast::NullsDistinctOption::NotDistinct
                ),
                deferral: deferral(u.characteristics.as_ref()),
            },
        },
        TableConstraint::Check(c) => PendingConstraint {
            name: c.name.as_ref().map(Ident::from_ast),
            kind: PendingKind::Check {
                expr: Expr::from_ast((*c.expr).clone()),
                no_inherit: c.no_inherit,
            },
        },
        TableConstraint::ForeignKey(fk) => foreign_key(fk)?,
        other => {
            return Err(StmtError::invalid(format!(
                "constraint `{other}` is not supported by the replay"
            ))
            .hint("exclusion constraints and `USING INDEX` are not modeled yet"));
        }
    })
}

/// Names (when unnamed) and attaches a constraint, checking what
/// PostgreSQL checks. `creating` is true inside `CREATE TABLE`.
pub(super) fn add_constraint(r: &mut Replay, table: &QualName, p: PendingConstraint) -> StmtResult {
    let schema = table.schema.clone();
    let t = r.table(table)?;
    let missing_col =
        |c: &Ident| {
            StmtError::missing(format!("column {} named in key does not exist", q(c))).hint(
                format!("columns of \"{}\": {}", display_name(table), column_list(t)),
            )
        };
    // Check that key columns exist.
    match &p.kind {
        PendingKind::PrimaryKey(cols)
        | PendingKind::Unique { columns: cols, .. }
        | PendingKind::ForeignKey { columns: cols, .. } => {
            if let Some(c) = cols.iter().find(|c| t.column(c).is_none()) {
                return Err(missing_col(c));
            }
        }
        PendingKind::Check { expr, .. } => {
            if let Some(c) = expr.columns().iter().find(|c| t.column(c).is_none()) {
                return Err(
                    StmtError::missing(format!("column {} does not exist", q(c))).hint(format!(
                        "columns of \"{}\": {}",
                        display_name(table),
                        column_list(t)
                    )),
                );
            }
        }
    }
    let table_ident = table.name.clone();
    let name = match (&p.name, &p.kind) {
        (Some(n), PendingKind::PrimaryKey(_) | PendingKind::Unique { .. }) => {
            if r.relation_taken(&schema, n.as_str()) {
                return Err(StmtError::duplicate(format!(
                    "relation {} already exists",
                    q(n)
                )));
            }
            if t.constraints.contains_key(n) {
                return Err(StmtError::duplicate(format!(
                    "constraint {} for relation \"{}\" already exists",
                    q(n),
                    display_name(table)
                )));
            }
            n.clone()
        }
        (Some(n), _) => {
            if t.constraints.contains_key(n)
                || t.primary_key.as_ref().is_some_and(|pk| &pk.name == n)
            {
                return Err(StmtError::duplicate(format!(
                    "constraint {} for relation \"{}\" already exists",
                    q(n),
                    display_name(table)
                )));
            }
            n.clone()
        }
        (None, PendingKind::PrimaryKey(_)) => {
            choose_name(&table_ident, None, NameLabel::PrimaryKey, |n| {
                r.relation_taken(&schema, n) || r.constraint_taken(&schema, n)
            })
        }
        (None, PendingKind::Unique { columns, .. }) => {
            let addition = columns_addition(&names_of(columns));
            choose_name(&table_ident, Some(&addition), NameLabel::Unique, |n| {
                r.relation_taken(&schema, n) || r.constraint_taken(&schema, n)
            })
        }
        (None, PendingKind::Check { expr, .. }) => {
            // One referenced column names the check after it; otherwise none.
            let cols = expr.columns();
            let addition = match cols.as_slice() {
                [only] => Some(only.as_str().to_string()),
                _ => None,
            };
            choose_name(&table_ident, addition.as_deref(), NameLabel::Check, |n| {
                r.constraint_taken(&schema, n)
            })
        }
        (None, PendingKind::ForeignKey { columns, .. }) => {
            let addition = columns_addition(&names_of(columns));
            choose_name(&table_ident, Some(&addition), NameLabel::ForeignKey, |n| {
                r.constraint_taken(&schema, n)
            })
        }
    };
    let kind = match p.kind {
        PendingKind::PrimaryKey(columns) => {
            let t = r.table_mut(table)?;
            if t.primary_key.is_some() {
                return Err(StmtError::invalid(format!(
                    "multiple primary keys for table \"{}\" are not allowed",
                    display_name(table)
                )));
            }
            for c in &columns {
                if let Some(col) = t.column_mut(c) {
                    col.nullable = false;
                }
            }
            t.primary_key = Some(PrimaryKey { name, columns });
            return Ok(());
        }
        PendingKind::Unique {
            columns,
            nulls_not_distinct,
            deferral,
        } => ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
            deferral,
        },
        PendingKind::Check { expr, no_inherit } => ConstraintKind::Check { expr, no_inherit },
        PendingKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
            match_full,
            deferral,
        } => {
            let ref_columns = resolve_reference(r, &ref_table, ref_columns)?;
            if ref_columns.len() != columns.len() {
                return Err(StmtError::invalid(
                    "number of referencing and referenced columns for foreign key disagree",
                ));
            }
            ConstraintKind::ForeignKey(ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_update,
                match_full,
                deferral,
            })
        }
    };
    r.table_mut(table)?
        .constraints
        .insert(name.clone(), Constraint::new(name, kind));
    Ok(())
}

/// The referenced columns, resolving an omitted list to the target's
/// primary key. Tables in platform schemas (`auth.users`) that no
/// migration creates are taken on trust.
fn resolve_reference(r: &Replay, target: &QualName, written: Vec<Ident>) -> StmtResult<Vec<Ident>> {
    let Some(t) = r.catalog.tables.get(target) else {
        let external = !r.catalog.schemas.contains_key(&target.schema)
            && target.schema.as_str() != schema::ident::DEFAULT_SCHEMA
            && r.schema_exists(&target.schema);
        if external && !written.is_empty() {
            return Ok(written);
        }
        if let Some(pk) = external
            .then(|| {
                schema::provided::platform_primary_key(target.schema.as_str(), target.name.as_str())
            })
            .flatten()
        {
            return Ok(pk.iter().map(|c| Ident::new(*c)).collect());
        }
        if external {
            return Err(StmtError::invalid(format!(
                "cannot resolve the primary key of \"{}\", which no migration creates",
                display_name(target)
            ))
            .hint(format!(
                "name the referenced column: REFERENCES {target} (id)"
            )));
        }
        return Err(missing_relation(target));
    };
    if written.is_empty() {
        return t
            .primary_key
            .as_ref()
            .map(|pk| pk.columns.clone())
            .ok_or_else(|| {
                StmtError::invalid(format!(
                    "there is no primary key for referenced table \"{}\"",
                    display_name(target)
                ))
                .hint("name the referenced columns explicitly")
            });
    }
    if let Some(c) = written.iter().find(|c| t.column(c).is_none()) {
        return Err(StmtError::missing(format!(
            "column {} referenced in foreign key constraint does not exist",
            q(c)
        )));
    }
    Ok(written)
}

fn names_of(cols: &[Ident]) -> Vec<String> {
    cols.iter().map(|c| c.as_str().to_string()).collect()
}

pub(super) fn column_list(t: &Table) -> String {
    let names: Vec<String> = t.columns.iter().map(|c| c.name.quoted()).collect();
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::{ConstraintKind, Identity, QualName, Source, Table};

    fn table(sql: &str, name: &str) -> Table {
        let r = replay_sources(&[Source::new("m.sql", sql)])
            .unwrap_or_else(|e| panic!("{}", e.render()));
        r.catalog.tables[&QualName::from(name)].clone()
    }

    /// PostgreSQL stores no default for a null constant: `DEFAULT NULL`
    /// is the same column as none, in CREATE and in ALTER.
    #[test]
    fn default_null_is_no_default() {
        let t = table(
            "create table t (a text default null, b text default null::text, c int default 1);\n\
             alter table t alter column c set default null;",
            "public.t",
        );
        assert!(t.columns.iter().all(|c| c.default.is_none()), "{t:?}");
    }

    #[test]
    fn columns_take_their_options() {
        let t = table(
            "create table t (id int generated always as identity primary key, a serial, b text not null default 'x', c int null)",
            "public.t",
        );
        assert_eq!(t.columns[0].identity, Some(Identity::Always));
        assert!(!t.columns[0].nullable);
        assert_eq!(
            t.columns[1].default.as_ref().unwrap().sql(),
            "nextval('public.t_a_seq'::regclass)"
        );
        assert_eq!(t.columns[2].default.as_ref().unwrap().sql(), "'x'");
        assert!(t.columns[3].nullable && !t.columns[2].nullable);
        assert_eq!(t.primary_key.unwrap().name.as_str(), "t_pkey");
    }

    #[test]
    fn duplicate_keys_become_one_constraint() {
        let t = table(
            "create table t (a int unique, unique (a), constraint named unique (a))",
            "public.t",
        );
        assert_eq!(
            t.constraints.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["named"]
        );
    }

    #[test]
    fn fk_without_columns_uses_the_primary_key() {
        let t = table(
            "create table p (a int, b int, primary key (a, b)); create table c (x int, y int, foreign key (x, y) references p)",
            "public.c",
        );
        let ConstraintKind::ForeignKey(fk) = &t.constraints.values().next().unwrap().kind else {
            panic!()
        };
        assert_eq!(
            fk.ref_columns
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>(),
            ["a", "b"]
        );
    }

    #[test]
    fn refuses_what_postgres_refuses() {
        for sql in [
            "create table t (a int, a text)",
            "create table t (a int primary key, b int, primary key (b))",
            "create table t (a int references nope)",
            "create table t (a int, unique (b))",
            "create table t (a int generated always as identity default 1)",
        ] {
            assert!(
                replay_sources(&[Source::new("m.sql", sql)]).is_err(),
                "{sql}"
            );
        }
    }
}
