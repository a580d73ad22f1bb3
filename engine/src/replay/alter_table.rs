//! `ALTER TABLE [IF EXISTS] [ONLY] t action, …`: columns, defaults, NOT
//! NULL, identity, types, constraints, renames and `SET SCHEMA`.
//!
//! sqlparser does not read `DROP IDENTITY`, `DROP EXPRESSION` or `SET
//! SCHEMA`; for those the
//! statement is split into its actions here and the others are parsed one
//! by one (see [`replay_unparsed`]).

use super::create_table::{add_constraint, column_from_def, table_constraint};
use super::drop::{drop_column, drop_fks, referencing_fks};
use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::rename::{move_table, rename_column, rename_constraint};
use super::rls::{RlsChange, set_rls};
use super::using_index::unique_using_index;
use super::{Replay, display_name, q, qual_name, syntax_error};
use schema::{ConstraintKind, Ident, Identity, QualName, SqlType};
use sqlparser::ast::{self, AlterColumnOperation as Col, AlterTableOperation as Op};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

pub(super) enum Action {
    Parsed(Box<Op>),
    SetSchema(Ident),
    DropIdentity {
        column: Ident,
        if_exists: bool,
    },
    /// `ALTER COLUMN c DROP EXPRESSION`: a generated column becomes a plain
    /// one and keeps its values.
    DropExpression {
        column: Ident,
        if_exists: bool,
    },
}

pub(super) fn alter_table(
    r: &mut Replay,
    name: &ast::ObjectName,
    if_exists: bool,
    actions: Vec<Action>,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let mut table = qual_name(name)?;
    if !r.catalog.tables.contains_key(&table) {
        if if_exists {
            // Said, not silent: a table the replay lost (to a statement it
            // did not follow) would make every later change vanish here.
            notes.push(
                Remark::info(
                    "ALTER TABLE IF EXISTS",
                    "no such table in the replay: skipped",
                )
                .with_objects([table.to_string()]),
            );
            return Ok(());
        }
        return Err(super::missing_relation(&table));
    }
    let mut actions = actions;
    // PostgreSQL runs the subcommands pass by pass, not as written.
    actions.sort_by_key(pass);
    for action in actions {
        match action {
            Action::Parsed(op) => table = apply(r, table, *op, notes)?,
            Action::SetSchema(schema) => {
                r.require_schema(&schema)?;
                let to = QualName::new(schema, table.name.clone());
                if to != table {
                    move_table(r, &table, &to)?;
                    table = to;
                }
            }
            Action::DropIdentity { column, if_exists } => {
                let before = owned(r, &table);
                let c = column_mut(r, &table, &column)?;
                let dropped = c.identity.take().is_some();
                sync_sequences(r, &table, &before);
                if !dropped && !if_exists {
                    return Err(StmtError::invalid(format!(
                        "column {} of relation \"{}\" is not an identity column",
                        q(&column),
                        display_name(&table)
                    ))
                    .hint("use DROP IDENTITY IF EXISTS"));
                }
            }
            Action::DropExpression { column, if_exists } => {
                let c = column_mut(r, &table, &column)?;
                if c.generated.take().is_none() && !if_exists {
                    return Err(StmtError::invalid(format!(
                        "column {} of relation \"{}\" is not a stored generated column",
                        q(&column),
                        display_name(&table)
                    ))
                    .hint("use DROP EXPRESSION IF EXISTS"));
                }
            }
        }
    }
    Ok(())
}

/// The pass PostgreSQL runs a subcommand in (`AlterTablePass` in
/// `tablecmds.c`): drops, then type changes, then added columns, then
/// column attributes, then index-backed constraints, then other
/// constraints and defaults, then the rest. So `DROP CONSTRAINT c, ADD
/// CONSTRAINT c CHECK (x IS NULL), ADD COLUMN x int` is valid. (A type
/// change comes before added columns: PostgreSQL checks its column when it
/// reads the statement, so it cannot name one added by the same ALTER.)
fn pass(action: &Action) -> u8 {
    const DROP: u8 = 0;
    const ALTER_TYPE: u8 = 1;
    const ADD_COL: u8 = 4;
    const COL_ATTRS: u8 = 6;
    const ADD_INDEXCONSTR: u8 = 7;
    const ADD_OTHERCONSTR: u8 = 9;
    const MISC: u8 = 10;
    let op = match action {
        Action::DropIdentity { .. } | Action::DropExpression { .. } => return DROP,
        Action::SetSchema(_) => return MISC,
        Action::Parsed(op) => op.as_ref(),
    };
    match op {
        Op::DropColumn { .. } | Op::DropConstraint { .. } | Op::DropPrimaryKey { .. } => DROP,
        Op::AlterColumn { op, .. } => match op {
            Col::DropDefault | Col::DropNotNull => DROP,
            Col::SetDataType { .. } => ALTER_TYPE,
            Col::SetNotNull => COL_ATTRS,
            Col::SetDefault { .. } | Col::AddGenerated { .. } => ADD_OTHERCONSTR,
            _ => MISC,
        },
        Op::AddColumn { .. } => ADD_COL,
        Op::AddConstraint { constraint, .. } => match constraint {
            ast::TableConstraint::PrimaryKey(_)
            | ast::TableConstraint::Unique(_)
            | ast::TableConstraint::PrimaryKeyUsingIndex(_)
            | ast::TableConstraint::UniqueUsingIndex(_)
            | ast::TableConstraint::Exclude(_) => ADD_INDEXCONSTR,
            _ => ADD_OTHERCONSTR,
        },
        _ => MISC,
    }
}

fn column_mut<'a>(
    r: &'a mut Replay,
    table: &QualName,
    column: &Ident,
) -> StmtResult<&'a mut schema::Column> {
    let t = r.table_mut(table)?;
    let cols = super::create_table::column_list(t);
    t.column_mut(column).ok_or_else(|| {
        StmtError::missing(format!(
            "column {} of relation \"{}\" does not exist",
            q(column),
            display_name(table)
        ))
        .hint(format!("columns of \"{}\": {}", display_name(table), cols))
    })
}

/// The sequences `table` owns now.
fn owned(r: &Replay, table: &QualName) -> Vec<QualName> {
    r.catalog
        .tables
        .get(table)
        .map(super::serial::owned_sequences)
        .unwrap_or_default()
}

/// After an action that creates or drops a serial/identity sequence: a
/// new sequence receives the default privileges, a dropped one loses its
/// grants.
fn sync_sequences(r: &mut Replay, table: &QualName, before: &[QualName]) {
    let after = owned(r, table);
    for sequence in after.iter().filter(|s| !before.contains(s)) {
        r.catalog.grant_defaults(
            schema::GrantTarget::Sequence {
                sequence: sequence.clone(),
            },
            schema::ObjectClass::Sequence,
        );
    }
    for sequence in before.iter().filter(|s| !after.contains(s)) {
        r.catalog.forget_grants(&schema::GrantTarget::Sequence {
            sequence: sequence.clone(),
        });
    }
}

/// Applies one action; returns the table's name afterwards (RENAME TO).
fn apply(r: &mut Replay, table: QualName, op: Op, notes: &mut Vec<Remark>) -> StmtResult<QualName> {
    let before = owned(r, &table);
    let sequences_change = matches!(
        &op,
        Op::DropColumn { .. }
            | Op::AlterColumn {
                op: Col::AddGenerated { .. },
                ..
            }
    );
    let renamed = apply_op(r, table, op, notes)?;
    if sequences_change {
        sync_sequences(r, &renamed, &before);
    }
    Ok(renamed)
}

fn apply_op(
    r: &mut Replay,
    table: QualName,
    op: Op,
    notes: &mut Vec<Remark>,
) -> StmtResult<QualName> {
    match op {
        Op::AddColumn {
            if_not_exists,
            column_def,
            ..
        } => {
            let (column, constraints) = column_from_def(r, &table, &column_def, notes)?;
            let t = r.table_mut(&table)?;
            if t.column(&column.name).is_some() {
                if if_not_exists {
                    return Ok(table);
                }
                return Err(StmtError::duplicate(format!(
                    "column {} of relation \"{}\" already exists",
                    q(&column.name),
                    display_name(&table)
                ))
                .hint("use ADD COLUMN IF NOT EXISTS"));
            }
            let before = super::serial::owned_sequences(t);
            t.columns.push(column);
            sync_sequences(r, &table, &before);
            for c in constraints {
                add_constraint(r, &table, c)?;
            }
        }
        Op::DropColumn {
            column_names,
            if_exists,
            drop_behavior,
            ..
        } => {
            let cascade = matches!(drop_behavior, Some(ast::DropBehavior::Cascade));
            for c in &column_names {
                let c = Ident::from_ast(c);
                if if_exists && r.table(&table)?.column(&c).is_none() {
                    continue;
                }
                drop_column(r, &table, &c, cascade)?;
            }
        }
        Op::AlterColumn { column_name, op } => {
            alter_column(r, &table, &Ident::from_ast(&column_name), op)?
        }
        Op::AddConstraint {
            constraint: ast::TableConstraint::UniqueUsingIndex(c),
            not_valid: false,
        } => unique_using_index(r, &table, &c, false)?,
        Op::AddConstraint {
            constraint: ast::TableConstraint::PrimaryKeyUsingIndex(c),
            not_valid: false,
        } => unique_using_index(r, &table, &c, true)?,
        Op::AddConstraint {
            constraint,
            not_valid,
        } => {
            // NOT VALID constraints exist (and are enforced for new rows);
            // they are marked until `VALIDATE CONSTRAINT`.
            let validatable = matches!(
                constraint,
                ast::TableConstraint::Check(_) | ast::TableConstraint::ForeignKey(_)
            );
            if not_valid && !validatable {
                return Err(StmtError::invalid(
                    "only check and foreign-key constraints can be marked NOT VALID",
                ));
            }
            let before: Vec<Ident> = r.table(&table)?.constraints.keys().cloned().collect();
            let p = table_constraint(&constraint, notes)?;
            add_constraint(r, &table, p)?;
            if not_valid {
                let t = r.table_mut(&table)?;
                if let Some(added) = t
                    .constraints
                    .values_mut()
                    .find(|c| !before.contains(&c.name))
                {
                    added.not_valid = true;
                }
            }
        }
        Op::DropConstraint {
            if_exists,
            name,
            drop_behavior,
        } => drop_constraint(r, &table, &Ident::from_ast(&name), if_exists, drop_behavior)?,
        Op::ValidateConstraint { name } => {
            let name = Ident::from_ast(&name);
            let t = r.table_mut(&table)?;
            if let Some(c) = t.constraints.get_mut(&name) {
                c.not_valid = false;
            } else if t.primary_key.as_ref().is_none_or(|pk| pk.name != name) {
                return Err(StmtError::missing(format!(
                    "constraint {} of relation \"{}\" does not exist",
                    q(&name),
                    display_name(&table)
                )));
            }
        }
        Op::RenameColumn {
            old_column_name,
            new_column_name,
        } => rename_column(
            r,
            &table,
            &Ident::from_ast(&old_column_name),
            &Ident::from_ast(&new_column_name),
        )?,
        Op::RenameConstraint { old_name, new_name } => rename_constraint(
            r,
            &table,
            &Ident::from_ast(&old_name),
            &Ident::from_ast(&new_name),
        )?,
        Op::RenameTable { table_name } => {
            let (ast::RenameTableNameKind::To(n) | ast::RenameTableNameKind::As(n)) = &table_name;
            let written = qual_name(n)?;
            if n.0.len() > 1 && written.schema != table.schema {
                return Err(
                    StmtError::invalid("RENAME TO cannot move a table to another schema")
                        .hint("use ALTER TABLE … SET SCHEMA"),
                );
            }
            let to = QualName::new(table.schema.clone(), written.name);
            move_table(r, &table, &to)?;
            return Ok(to);
        }
        Op::EnableRowLevelSecurity => set_rls(r, &table, RlsChange::Enable)?,
        Op::DisableRowLevelSecurity => set_rls(r, &table, RlsChange::Disable)?,
        Op::ForceRowLevelSecurity => set_rls(r, &table, RlsChange::Force)?,
        Op::NoForceRowLevelSecurity => set_rls(r, &table, RlsChange::NoForce)?,
        other => notes.push(unmodeled_action(&other).with_objects([format!(
            "{}.{}",
            table.schema.as_str(),
            table.name.as_str()
        )])),
    }
    Ok(table)
}

/// An `ALTER TABLE` action the replay does not apply: harmless to the
/// Catalog when it only touches what the Catalog does not model (owner, RLS,
/// triggers, storage settings, validation state), otherwise not followed.
fn unmodeled_action(op: &Op) -> Remark {
    let text = op.to_string();
    let label = format!("ALTER TABLE … {text}");
    let upper = text.to_ascii_uppercase();
    const OUTSIDE: &[&str] = &[
        "OWNER TO",
        "ENABLE ",
        "DISABLE ",
        "REPLICA IDENTITY",
        "SET (",
        "RESET (",
        "CLUSTER ON",
        "SET WITHOUT CLUSTER",
        "SET LOGGED",
        "SET UNLOGGED",
        "SET TABLESPACE",
        "VALIDATE CONSTRAINT",
    ];
    if OUTSIDE.iter().any(|p| upper.starts_with(p)) {
        Remark::outside_model(&label)
    } else {
        Remark::not_followed(&label)
    }
}

/// PostgreSQL refuses a column type change under a view, policy or
/// trigger condition that uses the column (they would need re-parsing).
fn type_change_blocked(r: &Replay, table: &QualName, column: &Ident) -> StmtResult {
    use super::dependents::{expr_uses_column, query_uses_column};
    let c = &r.catalog;
    let why = if let Some(v) = c
        .views
        .values()
        .find(|v| query_uses_column(&v.query, table, column))
    {
        Some((
            "by a view or rule",
            format!(
                "view {} depends on column {}",
                display_name(&v.name),
                q(column)
            ),
        ))
    } else if let Some(p) = c.policies_on(table).find(|p| {
        p.using
            .as_ref()
            .is_some_and(|e| expr_uses_column(e, column))
            || p.check
                .as_ref()
                .is_some_and(|e| expr_uses_column(e, column))
    }) {
        Some((
            "in a policy definition",
            format!("policy {} on table {}", q(&p.name), display_name(table)),
        ))
    } else {
        c.triggers_on(table)
            .find(|t| t.when.as_ref().is_some_and(|e| expr_uses_column(e, column)))
            .map(|t| {
                (
                    "in a trigger definition",
                    format!("trigger {} on table {}", q(&t.name), display_name(table)),
                )
            })
    };
    match why {
        Some((used_by, detail)) => Err(StmtError::invalid(format!(
            "cannot alter type of a column used {used_by}: {detail}"
        ))
        .hint("drop it first, change the type, then create it again")),
        None => Ok(()),
    }
}

fn alter_column(r: &mut Replay, table: &QualName, column: &Ident, op: Col) -> StmtResult {
    if matches!(op, Col::SetDataType { .. }) {
        type_change_blocked(r, table, column)?;
    }
    let in_pk = r
        .table(table)?
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(column));
    let c = column_mut(r, table, column)?;
    let identity_err = || {
        StmtError::invalid(format!(
            "column {} of relation \"{}\" is an identity column",
            q(column),
            display_name(table)
        ))
    };
    match op {
        Col::SetNotNull => c.nullable = false,
        Col::DropNotNull => {
            if in_pk {
                return Err(StmtError::invalid(format!(
                    "column {} is in a primary key",
                    q(column)
                )));
            }
            if c.identity.is_some() {
                return Err(identity_err().hint("drop the identity first"));
            }
            c.nullable = true;
        }
        Col::SetDefault { value } => {
            if c.identity.is_some() {
                return Err(identity_err().hint("use ALTER COLUMN … DROP IDENTITY first"));
            }
            c.default = super::serial::column_default(&value);
        }
        Col::DropDefault => c.default = None,
        Col::SetDataType { data_type, .. } => {
            let written = data_type.to_string();
            if SqlType::parse_serial(&written).ok().flatten().is_some() {
                return Err(StmtError::invalid(format!("type \"{}\" does not exist", written.to_lowercase()))
                    .hint("serial is only a shorthand in CREATE TABLE / ADD COLUMN; use integer plus a sequence"));
            }
            c.ty = SqlType::parse(&written).map_err(|e| StmtError::invalid(e.to_string()))?;
        }
        Col::AddGenerated { generated_as, .. } => {
            if c.identity.is_some() {
                return Err(StmtError::invalid(format!(
                    "column {} of relation \"{}\" is already an identity column",
                    q(column),
                    display_name(table)
                )));
            }
            if c.default.is_some() {
                return Err(StmtError::invalid(format!(
                    "column {} of relation \"{}\" already has a default value",
                    q(column),
                    display_name(table)
                ))
                .hint("DROP DEFAULT first"));
            }
            if c.nullable {
                return Err(StmtError::invalid(format!(
                    "column {} of relation \"{}\" must be declared NOT NULL before identity can be added",
                    q(column),
                    display_name(table)
                ))
                .hint("ALTER COLUMN … SET NOT NULL first"));
            }
            c.identity = Some(match generated_as {
                Some(ast::GeneratedAs::ByDefault) => Identity::ByDefault,
                _ => Identity::Always,
            });
        }
        other => {
            return Err(StmtError::invalid(format!(
                "ALTER COLUMN … {other} is not supported by the replay"
            )));
        }
    }
    Ok(())
}

fn drop_constraint(
    r: &mut Replay,
    table: &QualName,
    name: &Ident,
    if_exists: bool,
    behavior: Option<ast::DropBehavior>,
) -> StmtResult {
    let t = r.table(table)?;
    let key_columns = if t.primary_key.as_ref().is_some_and(|pk| &pk.name == name) {
        t.primary_key.as_ref().map(|pk| pk.columns.clone())
    } else {
        match t.constraints.get(name).map(|c| &c.kind) {
            None => {
                if if_exists {
                    return Ok(());
                }
                return Err(StmtError::missing(format!(
                    "constraint {} of relation \"{}\" does not exist",
                    q(name),
                    display_name(table)
                ))
                .hint("use DROP CONSTRAINT IF EXISTS"));
            }
            Some(ConstraintKind::Unique { columns, .. }) => Some(columns.clone()),
            Some(_) => None,
        }
    };
    // Foreign keys rely on the unique index of exactly these columns.
    if let Some(cols) = key_columns {
        let deps: Vec<_> = referencing_fks(r, table, None, &[])
            .into_iter()
            .filter(|(t, c)| {
                r.catalog.tables[t]
                    .constraints
                    .get(c)
                    .is_some_and(|c| match &c.kind {
                        ConstraintKind::ForeignKey(fk) => {
                            let mut a = fk.ref_columns.clone();
                            let mut b = cols.clone();
                            a.sort();
                            b.sort();
                            a == b
                        }
                        _ => false,
                    })
            })
            .collect();
        if !deps.is_empty() && !matches!(behavior, Some(ast::DropBehavior::Cascade)) {
            let list: Vec<String> = deps
                .iter()
                .map(|(t, c)| format!("constraint {} on table \"{}\"", q(c), display_name(t)))
                .collect();
            return Err(StmtError::invalid(format!(
                "cannot drop constraint {} on table \"{}\" because other objects depend on it: {}",
                q(name),
                display_name(table),
                list.join(", ")
            ))
            .hint("use DROP CONSTRAINT … CASCADE to drop the foreign keys too"));
        }
        drop_fks(r, &deps);
    }
    let t = r.table_mut(table)?;
    if t.primary_key.as_ref().is_some_and(|pk| &pk.name == name) {
        t.primary_key = None;
    } else {
        t.constraints.remove(name);
    }
    Ok(())
}

/// A statement sqlparser refused. For `ALTER TABLE` with actions it cannot
/// read (`SET SCHEMA`, `DROP IDENTITY`, `DROP EXPRESSION`), split the
/// actions and replay them;
/// `None` means this is not such a statement (report the parse error).
pub(super) fn replay_unparsed(
    r: &mut Replay,
    text: &str,
    notes: &mut Vec<Remark>,
) -> Option<StmtResult> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, text)
        .tokenize_with_location()
        .ok()?;
    let offset = |t: &sqlparser::tokenizer::TokenWithSpan| {
        schema::Source::new("", text)
            .offset_of(t.span.start.line as usize, t.span.start.column as usize)
    };
    let toks: Vec<_> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let kw = |i: usize, w: &str| matches!(toks.get(i).map(|t| &t.token), Some(Token::Word(x)) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    if !(kw(0, "alter") && kw(1, "table")) {
        return None;
    }
    let mut i = 2;
    let if_exists = kw(i, "if") && kw(i + 1, "exists");
    if if_exists {
        i += 2;
    }
    if kw(i, "only") {
        i += 1;
    }
    // The table name: word (. word)?, then an optional `*`.
    let name_start = i;
    if !matches!(toks.get(i).map(|t| &t.token), Some(Token::Word(_))) {
        return None;
    }
    i += 1;
    if matches!(toks.get(i).map(|t| &t.token), Some(Token::Period)) {
        if !matches!(toks.get(i + 1).map(|t| &t.token), Some(Token::Word(_))) {
            return None;
        }
        i += 2;
    }
    let name_text = &text[offset(toks[name_start])..toks.get(i).map_or(text.len(), |t| offset(t))];
    if matches!(toks.get(i).map(|t| &t.token), Some(Token::Mul)) {
        i += 1;
    }
    // Split the actions at top-level commas.
    let mut actions: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0i32;
    let mut start = i;
    for (j, t) in toks.iter().enumerate().skip(i) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                actions.push((start, j));
                start = j + 1;
            }
            _ => {}
        }
    }
    actions.push((start, toks.len()));
    let header = format!("ALTER TABLE {name_text} ");
    let mut parsed = Vec::new();
    let mut special = false;
    for (a, b) in actions {
        let words: Vec<String> = toks[a..b]
            .iter()
            .map(|t| match &t.token {
                Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
                other => other.to_string(),
            })
            .collect();
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        let ident_at = |k: usize| match &toks[a + k].token {
            Token::Word(w) => Some(Ident::from_ast(&ast::Ident {
                value: w.value.clone(),
                quote_style: w.quote_style,
                span: toks[a + k].span,
            })),
            _ => None,
        };
        match w.as_slice() {
            ["set", "schema", _] => {
                special = true;
                parsed.push(Action::SetSchema(ident_at(2)?));
            }
            [
                "alter",
                "column",
                _,
                "drop",
                what @ ("identity" | "expression"),
                rest @ ..,
            ]
            | [
                "alter",
                _,
                "drop",
                what @ ("identity" | "expression"),
                rest @ ..,
            ] if matches!(rest, [] | ["if", "exists"]) => {
                special = true;
                let col = if w[1] == "column" && w.len() > 4 && w[4] == *what {
                    2
                } else {
                    1
                };
                let (column, if_exists) = (ident_at(col)?, !rest.is_empty());
                parsed.push(if *what == "identity" {
                    Action::DropIdentity { column, if_exists }
                } else {
                    Action::DropExpression { column, if_exists }
                });
            }
            _ => {
                let start = toks.get(a).map_or(text.len(), |t| offset(t));
                let end = toks.get(b).map_or(text.len(), |t| offset(t));
                let sub = format!("{header}{}", &text[start..end]);
                let stmt = Parser::new(&PostgreSqlDialect {})
                    .try_with_sql(&sub)
                    .and_then(|mut p| p.parse_statements());
                match stmt.as_deref() {
                    Ok([ast::Statement::AlterTable(at)]) => parsed.extend(
                        at.operations
                            .iter()
                            .cloned()
                            .map(|op| Action::Parsed(Box::new(op))),
                    ),
                    Ok(_) => return None,
                    Err(e) => return Some(Err(syntax_error(&sub, e, header.len(), start))),
                }
            }
        }
    }
    if !special {
        return None;
    }
    let name = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(name_text)
        .and_then(|mut p| p.parse_object_name(false))
        .ok()?;
    Some(alter_table(r, &name, if_exists, parsed, notes))
}

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::{QualName, Source};

    fn replay(sql: &str) -> Result<crate::replay::Replayed, crate::replay::ReplayError> {
        replay_sources(&[Source::new("m.sql", sql)])
    }

    #[test]
    fn set_schema_and_drop_identity_are_read_without_sqlparser() {
        let r = replay(
            "create schema app; create table t (id int generated by default as identity, x int);
             alter table t alter column id drop identity, set schema app;",
        )
        .unwrap();
        let t = &r.catalog.tables[&QualName::from("app.t")];
        assert!(t.columns[0].identity.is_none());
        assert!(replay("create table t (id int); alter table t alter id drop identity").is_err());
        assert!(
            replay("create table t (id int); alter table t alter id drop identity if exists")
                .is_ok()
        );
        assert!(replay("create table t (id int); alter table t set schema nowhere").is_err());
    }

    #[test]
    fn drop_expression_keeps_a_plain_column() {
        let base = "create table t (a int, b int generated always as (a * 2) stored);";
        let r = replay(&format!(
            "{base} alter table t alter column b drop expression;"
        ))
        .unwrap();
        let t = &r.catalog.tables[&QualName::from("public.t")];
        assert!(t.columns[1].generated.is_none());
        assert_eq!(t.columns[1].ty.as_str(), "integer");
        assert!(replay(&format!("{base} alter table t alter a drop expression")).is_err());
        assert!(
            replay(&format!(
                "{base} alter table t alter a drop expression if exists"
            ))
            .is_ok()
        );
    }

    #[test]
    fn identity_needs_not_null_and_no_default() {
        assert!(
            replay(
                "create table t (id int); alter table t alter id add generated always as identity"
            )
            .is_err()
        );
        assert!(replay("create table t (id int not null default 1); alter table t alter id add generated always as identity").is_err());
    }

    #[test]
    fn dropping_a_referenced_key_needs_cascade() {
        let base = "create table p (id int primary key); create table c (p int references p);";
        assert!(replay(&format!("{base} alter table p drop constraint p_pkey")).is_err());
        let r = replay(&format!(
            "{base} alter table p drop constraint p_pkey cascade"
        ))
        .unwrap();
        assert!(
            r.catalog.tables[&QualName::from("public.c")]
                .constraints
                .is_empty()
        );
    }

    #[test]
    fn renaming_a_table_updates_references_and_indexes() {
        let r = replay(
            "create table p (id int primary key); create table c (p int references p); create index c_p on c (p);
             alter table c rename to kids; alter table p rename to parents;",
        )
        .unwrap();
        assert_eq!(
            r.catalog.indexes[&QualName::from("public.c_p")].table,
            QualName::from("public.kids")
        );
        let kids = &r.catalog.tables[&QualName::from("public.kids")];
        let schema::ConstraintKind::ForeignKey(fk) =
            &kids.constraints.values().next().unwrap().kind
        else {
            panic!()
        };
        assert_eq!(fk.ref_table, QualName::from("public.parents"));
    }
}
