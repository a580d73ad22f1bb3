//! `CREATE [OR REPLACE] VIEW`, `CREATE MATERIALIZED VIEW`, `ALTER [MATERIALIZED]
//! VIEW` (rename, schema, options, column rename) and `DROP [MATERIALIZED]
//! VIEW`. sqlparser reads neither `WITH [LOCAL|CASCADED] CHECK OPTION`
//! nor `WITH [NO] DATA` after the query; those are read from the tokens
//! and blanked first.

use super::blank::{blank, tokens};
use super::dependents::views_reading;
use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, display_name, label_of, q, qual_name};
use schema::views::CheckOption;
use schema::{GrantTarget, Ident, QualName, Query, View};
use sqlparser::ast;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// The trailing check option, and the text with the trailing clauses
/// blanked.
fn pre_read(text: &str) -> (String, Option<CheckOption>) {
    let Some(toks) = tokens(text) else {
        return (text.to_string(), None);
    };
    let mut end = toks.len();
    if matches!(toks.last().map(|t| &t.token), Some(Token::SemiColon)) {
        end -= 1;
    }
    let toks = &toks[..end];
    let n = toks.len();
    let at = |i: usize, w: &str| i < n && toks[i].is(w);
    // `WITH [NO] DATA` (materialized views).
    if n >= 2 && at(n - 1, "data") {
        let start = if at(n - 2, "no") && n >= 3 && at(n - 3, "with") {
            Some(n - 3)
        } else if at(n - 2, "with") {
            Some(n - 2)
        } else {
            None
        };
        if let Some(s) = start {
            return (blank(text, &[(toks[s].start, toks[n - 1].end)]), None);
        }
    }
    // `WITH [LOCAL | CASCADED] CHECK OPTION`.
    if n >= 3 && at(n - 1, "option") && at(n - 2, "check") {
        let (start, option) = if n >= 4 && at(n - 3, "local") && at(n - 4, "with") {
            (Some(n - 4), CheckOption::Local)
        } else if n >= 4 && at(n - 3, "cascaded") && at(n - 4, "with") {
            (Some(n - 4), CheckOption::Cascaded)
        } else if at(n - 3, "with") {
            (Some(n - 3), CheckOption::Cascaded)
        } else {
            (None, CheckOption::Cascaded)
        };
        if let Some(s) = start {
            return (
                blank(text, &[(toks[s].start, toks[n - 1].end)]),
                Some(option),
            );
        }
    }
    (text.to_string(), None)
}

/// A boolean reloption's value: a bare name means true.
fn option_bool(value: Option<&ast::Expr>) -> StmtResult<bool> {
    let Some(v) = value else { return Ok(true) };
    let s = match v {
        ast::Expr::Value(ast::ValueWithSpan {
            value: ast::Value::Boolean(b),
            ..
        }) => return Ok(*b),
        ast::Expr::Value(ast::ValueWithSpan {
            value: ast::Value::SingleQuotedString(s),
            ..
        }) => s.to_lowercase(),
        ast::Expr::Value(ast::ValueWithSpan {
            value: ast::Value::Number(n, _),
            ..
        }) => n.clone(),
        ast::Expr::Identifier(id) => id.value.to_lowercase(),
        other => other.to_string().to_lowercase(),
    };
    match s.as_str() {
        "true" | "on" | "yes" | "1" => Ok(true),
        "false" | "off" | "no" | "0" => Ok(false),
        _ => Err(StmtError::invalid(format!(
            "invalid value for boolean option: {v}"
        ))),
    }
}

/// Applies `WITH (…)` / `SET (…)` options to a view.
fn apply_options(view: &mut View, options: &[ast::SqlOption]) -> StmtResult {
    for o in options {
        let (key, value) = match o {
            ast::SqlOption::Ident(n) => (n.to_string().to_lowercase(), None),
            ast::SqlOption::KeyValue { key, value } => {
                (key.to_string().to_lowercase(), Some(value))
            }
            other => {
                return Err(StmtError::invalid(format!(
                    "unrecognized view option {other}"
                )));
            }
        };
        if view.materialized {
            // Storage parameters of a materialized view are not modeled.
            continue;
        }
        match key.as_str() {
            "security_invoker" => view.security_invoker = option_bool(value)?,
            "security_barrier" => view.security_barrier = option_bool(value)?,
            "check_option" => {
                let v = value.map(|v| v.to_string().trim_matches('\'').to_lowercase());
                view.check_option = match v.as_deref() {
                    Some("local") => Some(CheckOption::Local),
                    Some("cascaded") => Some(CheckOption::Cascaded),
                    _ => {
                        return Err(StmtError::invalid(
                            "invalid value for enum option \"check_option\"",
                        )
                        .hint("valid values are \"local\" and \"cascaded\""));
                    }
                }
            }
            other => {
                return Err(
                    StmtError::invalid(format!("unrecognized parameter \"{other}\""))
                        .hint("views take security_invoker, security_barrier and check_option"),
                );
            }
        }
    }
    Ok(())
}

pub(super) fn create_view(r: &mut Replay, text: &str, _notes: &mut Vec<Remark>) -> StmtResult {
    let (readable, check) = pre_read(text);
    let stmt = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&readable)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| super::syntax_error(&readable, &e, 0, 0))?;
    let [ast::Statement::CreateView(cv)] = stmt.as_slice() else {
        return Err(StmtError::new(
            super::ReplayErrorKind::Syntax,
            "syntax error: expected one CREATE VIEW statement",
        ));
    };
    let name = qual_name(&cv.name)?;
    r.require_schema(&name.schema)?;
    let mut view = View {
        name: name.clone(),
        materialized: cv.materialized,
        columns: cv
            .columns
            .iter()
            .map(|c| Ident::from_ast(&c.name))
            .collect(),
        query: Query::from_ast((*cv.query).clone()),
        security_invoker: false,
        security_barrier: false,
        check_option: check,
        comment: None,
    };
    if let ast::CreateTableOptions::With(options) = &cv.options {
        apply_options(&mut view, options)?;
    }
    view.fold_columns();
    if let Some(existing) = r.catalog.views.get(&name) {
        if cv.if_not_exists {
            return Ok(());
        }
        if !cv.or_replace || existing.materialized || view.materialized {
            return Err(StmtError::duplicate(format!(
                "relation \"{}\" already exists",
                display_name(&name)
            ))
            .hint("use CREATE OR REPLACE VIEW, or drop it first"));
        }
        // OR REPLACE keeps the view's privileges and comment.
        view.comment = existing.comment.clone();
        r.catalog.views.insert(name, view);
        return Ok(());
    }
    if r.relation_taken(&name.schema, name.name.as_str()) || r.catalog.enums.contains_key(&name) {
        if cv.if_not_exists {
            return Ok(());
        }
        return Err(StmtError::duplicate(format!(
            "relation \"{}\" already exists",
            display_name(&name)
        )));
    }
    r.catalog.views.insert(name.clone(), view);
    super::grant::grant_table_defaults(r, &name);
    Ok(())
}

/// Column names given after the view name become aliases in the query,
/// as PostgreSQL's deparsed query shows them; the list stays only for
/// outputs the query cannot name (`*`).
fn view_kind(materialized: bool) -> &'static str {
    if materialized {
        "materialized view"
    } else {
        "view"
    }
}

/// The view `name`, which must be of the kind the statement says.
fn existing(r: &Replay, name: &QualName, materialized: bool) -> StmtResult<Option<()>> {
    match r.catalog.views.get(name) {
        Some(v) if v.materialized == materialized => Ok(Some(())),
        Some(_) => Err(StmtError::invalid(format!(
            "\"{}\" is not a {}",
            display_name(name),
            view_kind(materialized)
        ))
        .hint(format!("it is a {}", view_kind(!materialized)))),
        None if r.catalog.tables.contains_key(name) => Err(StmtError::invalid(format!(
            "\"{}\" is not a {}",
            display_name(name),
            view_kind(materialized)
        ))
        .hint("it is a table")),
        None => Ok(None),
    }
}

pub(super) fn alter_view(
    r: &mut Replay,
    av: &ast::AlterView,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let name = qual_name(&av.name)?;
    if existing(r, &name, av.materialized)?.is_none() {
        if av.if_exists {
            return Ok(());
        }
        return Err(super::missing_relation(&name));
    }
    match &av.operation {
        ast::AlterViewOperation::RenameTo { new_name } => {
            let written = qual_name(new_name)?;
            let to = QualName::new(name.schema.clone(), written.name);
            move_view(r, &name, &to)?;
        }
        ast::AlterViewOperation::SetSchema { schema_name } => {
            let schema = super::grant::schema_name(schema_name)?;
            r.require_schema(&schema)?;
            let to = QualName::new(schema, name.name.clone());
            move_view(r, &name, &to)?;
        }
        ast::AlterViewOperation::SetOptions { options } => {
            let v = r.catalog.views.get_mut(&name).expect("checked above");
            apply_options(v, options)?;
        }
        ast::AlterViewOperation::ResetOptions { options } => {
            let v = r.catalog.views.get_mut(&name).expect("checked above");
            for o in options {
                match Ident::from_ast(o).as_str() {
                    "security_invoker" => v.security_invoker = false,
                    "security_barrier" => v.security_barrier = false,
                    "check_option" => v.check_option = None,
                    _ => {}
                }
            }
        }
        ast::AlterViewOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => {
            let from = Ident::from_ast(old_column_name);
            let to = Ident::from_ast(new_column_name);
            let v = r.catalog.views.get_mut(&name).expect("checked above");
            if let Some(c) = v.columns.iter_mut().find(|c| **c == from) {
                *c = to;
                v.fold_columns();
            } else if let Some(mut names) = v.query.output_names().filter(|_| v.columns.is_empty())
            {
                let Some(c) = names.iter_mut().find(|c| **c == from) else {
                    return Err(StmtError::missing(format!(
                        "column {} of relation \"{}\" does not exist",
                        q(&from),
                        display_name(&name)
                    )));
                };
                *c = to;
                v.columns = names;
                v.fold_columns();
            } else {
                // Output names the query does not tell (`*`, expressions).
                notes.push(
                    Remark::not_followed(&format!("{} … RENAME COLUMN", label_of(text)))
                        .with_objects([name.to_string()]),
                );
            }
        }
        _ => notes.push(Remark::outside_model(&label_of(text)).with_objects([name.to_string()])),
    }
    Ok(())
}

/// Renames or re-schemas a view; grants follow, and views reading it are
/// rewritten (PostgreSQL references relations by OID).
pub(super) fn move_view(r: &mut Replay, from: &QualName, to: &QualName) -> StmtResult {
    if from == to {
        return Ok(());
    }
    if r.relation_taken(&to.schema, to.name.as_str()) || r.catalog.enums.contains_key(to) {
        return Err(StmtError::duplicate(format!(
            "relation \"{}\" already exists",
            display_name(to)
        )));
    }
    let mut v = r
        .catalog
        .views
        .remove(from)
        .ok_or_else(|| super::missing_relation(from))?;
    v.name = to.clone();
    r.catalog.views.insert(to.clone(), v);
    super::rename::follow_relation(r, from, to);
    Ok(())
}

/// `DROP VIEW` / `DROP MATERIALIZED VIEW`.
pub(super) fn drop_views(
    r: &mut Replay,
    names: &[ast::ObjectName],
    materialized: bool,
    if_exists: bool,
    cascade: bool,
) -> StmtResult {
    let mut present = Vec::new();
    for n in names {
        let name = qual_name(n)?;
        if existing(r, &name, materialized)?.is_some() {
            present.push(name);
        } else if !if_exists {
            return Err(StmtError::missing(format!(
                "{} \"{}\" does not exist",
                view_kind(materialized),
                display_name(&name)
            ))
            .hint(format!(
                "use DROP {} IF EXISTS",
                view_kind(materialized).to_uppercase()
            )));
        }
    }
    let dependents = views_reading(r, &present);
    if !dependents.is_empty() && !cascade {
        return Err(depends_error(
            &present
                .iter()
                .map(|v| format!("{} \"{}\"", view_kind(materialized), display_name(v)))
                .collect::<Vec<_>>()
                .join(", "),
            &dependents
                .iter()
                .map(|v| format!("view {}", display_name(v)))
                .collect::<Vec<_>>(),
        ));
    }
    for v in dependents.iter().chain(&present) {
        forget_view(r, v);
    }
    Ok(())
}

/// Removes a view with its grants and triggers.
pub(super) fn forget_view(r: &mut Replay, name: &QualName) {
    r.catalog.views.remove(name);
    r.catalog.triggers.retain(|(t, _), _| t != name);
    r.catalog.forget_grants(&GrantTarget::Table {
        table: name.clone(),
    });
}

/// PostgreSQL's message for objects that need CASCADE.
pub(super) fn depends_error(what: &str, dependents: &[String]) -> StmtError {
    StmtError::invalid(format!(
        "cannot drop {what} because other objects depend on it: {}",
        dependents.join(", ")
    ))
    .hint("use CASCADE to drop the dependent objects too, or drop them first")
}
