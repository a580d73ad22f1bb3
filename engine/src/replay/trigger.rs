//! `CREATE [OR REPLACE] TRIGGER`, `ALTER TRIGGER … RENAME TO` and `DROP
//! TRIGGER`. sqlparser reads a trigger function's arguments as types, so
//! the literal arguments are read from the tokens and blanked first.

use super::blank::{blank, tokens};
use super::create_table::deferral;
use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, display_name, label_of, q, qual_name};
use schema::provided::is_external_schema;
use schema::routines::{FunctionReturn, TriggerEvent, TriggerTiming};
use schema::{Expr, Ident, QualName, Trigger};
use sqlparser::ast;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// The arguments of `EXECUTE FUNCTION f(args)` as `TG_ARGV` holds them,
/// and the text with them blanked.
fn pre_read(text: &str) -> (String, Vec<String>) {
    let Some(toks) = tokens(text) else {
        return (text.to_string(), Vec::new());
    };
    let Some(exec) = toks.iter().position(|t| t.is("execute")) else {
        return (text.to_string(), Vec::new());
    };
    let Some(open) = toks[exec..]
        .iter()
        .position(|t| t.token == Token::LParen)
        .map(|p| p + exec)
    else {
        return (text.to_string(), Vec::new());
    };
    let Some(close) = toks[open..]
        .iter()
        .position(|t| t.token == Token::RParen)
        .map(|p| p + open)
    else {
        return (text.to_string(), Vec::new());
    };
    let mut args = Vec::new();
    let mut current = String::new();
    for t in &toks[open + 1..close] {
        match &t.token {
            Token::Comma => args.push(std::mem::take(&mut current)),
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => current.push_str(s),
            Token::Number(n, _) => current.push_str(n),
            Token::Minus => current.push('-'),
            Token::Word(w) if w.quote_style.is_none() => current.push_str(&w.value.to_lowercase()),
            Token::Word(w) => current.push_str(&w.value),
            other => current.push_str(&other.to_string()),
        }
    }
    if close > open + 1 {
        args.push(current);
    }
    let ranges = if close > open + 1 {
        vec![(toks[open + 1].start, toks[close - 1].end)]
    } else {
        Vec::new()
    };
    (blank(text, &ranges), args)
}

/// The relation a trigger is on: a modeled table or view, or a table of a
/// platform schema (`auth.users`), which the replay cannot check.
fn trigger_table(r: &Replay, name: &ast::ObjectName) -> StmtResult<QualName> {
    let table = qual_name(name)?;
    if r.catalog.tables.contains_key(&table)
        || r.catalog.views.contains_key(&table)
        || is_external_schema(table.schema.as_str())
    {
        Ok(table)
    } else {
        Err(super::missing_relation(&table))
    }
}

pub(super) fn create_trigger(r: &mut Replay, text: &str, notes: &mut Vec<Remark>) -> StmtResult {
    let (readable, args) = pre_read(text);
    let stmt = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&readable)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| super::syntax_error(&readable, &e, 0, 0))?;
    let [ast::Statement::CreateTrigger(ct)] = stmt.as_slice() else {
        return Err(StmtError::new(
            super::ReplayErrorKind::Syntax,
            "syntax error: expected one CREATE TRIGGER statement",
        ));
    };
    if ct.referenced_table_name.is_some() {
        // `FROM referenced_table`: only foreign keys' internal triggers use it.
        notes.push(Remark::outside_model(&format!(
            "{} … FROM (constraint trigger with a referenced table)",
            label_of(text)
        )));
        return Ok(());
    }
    let name = match ct.name.0.as_slice() {
        [p] => p.as_ident().map(Ident::from_ast),
        _ => None,
    }
    .ok_or_else(|| {
        StmtError::invalid(format!("improper trigger name: {}", ct.name))
            .hint("a trigger takes its table's schema: write only its name")
    })?;
    let table = trigger_table(r, &ct.table_name)?;
    let timing = match ct.period {
        Some(ast::TriggerPeriod::Before) => TriggerTiming::Before,
        Some(ast::TriggerPeriod::After) => TriggerTiming::After,
        Some(ast::TriggerPeriod::InsteadOf) => TriggerTiming::InsteadOf,
        _ => {
            return Err(StmtError::invalid(
                "trigger timing must be BEFORE, AFTER or INSTEAD OF",
            ));
        }
    };
    let mut events: Vec<TriggerEvent> = ct
        .events
        .iter()
        .map(|e| match e {
            ast::TriggerEvent::Insert => TriggerEvent::Insert,
            ast::TriggerEvent::Update(cols) => TriggerEvent::Update {
                columns: cols.iter().map(Ident::from_ast).collect(),
            },
            ast::TriggerEvent::Delete => TriggerEvent::Delete,
            ast::TriggerEvent::Truncate => TriggerEvent::Truncate,
        })
        .collect();
    events.sort();
    events.dedup();
    if let Some(t) = r.catalog.tables.get(&table) {
        for e in &events {
            if let TriggerEvent::Update { columns } = e {
                for c in columns {
                    if t.column(c).is_none() {
                        return Err(StmtError::missing(format!(
                            "column {} of relation \"{}\" does not exist",
                            q(c),
                            display_name(&table)
                        )));
                    }
                }
            }
        }
    }
    let for_each_row = matches!(
        ct.trigger_object,
        Some(ast::TriggerObjectKind::ForEach(ast::TriggerObject::Row))
            | Some(ast::TriggerObjectKind::For(ast::TriggerObject::Row))
    );
    let Some(exec) = &ct.exec_body else {
        return Err(StmtError::invalid(
            "a trigger needs EXECUTE FUNCTION name()",
        ));
    };
    let function = qual_name(&exec.func_desc.name)?;
    check_trigger_function(r, &function)?;
    let (old_table, new_table) = transition_tables(ct, timing, &events)?;
    let constraint = ct
        .is_constraint
        .then(|| deferral(ct.characteristics.as_ref()));
    if constraint.is_some() && (timing != TriggerTiming::After || !for_each_row) {
        return Err(
            StmtError::invalid("constraint triggers must be AFTER ROW triggers")
                .hint("write AFTER … FOR EACH ROW"),
        );
    }
    let trigger = Trigger {
        name: name.clone(),
        table: table.clone(),
        timing,
        events,
        for_each_row,
        when: ct.condition.clone().map(Expr::from_ast),
        function,
        args,
        old_table,
        new_table,
        constraint,
    };
    let key = (table.clone(), name.clone());
    if r.catalog.triggers.contains_key(&key) && !ct.or_replace {
        return Err(StmtError::duplicate(format!(
            "trigger {} for relation \"{}\" already exists",
            q(&name),
            display_name(&table)
        ))
        .hint("use CREATE OR REPLACE TRIGGER, or drop it first"));
    }
    r.catalog.triggers.insert(key, trigger);
    Ok(())
}

/// `REFERENCING OLD TABLE AS o NEW TABLE AS n`, with PostgreSQL's rules:
/// AFTER triggers with one event and no column list; OLD for UPDATE or
/// DELETE, NEW for INSERT or UPDATE.
fn transition_tables(
    ct: &ast::CreateTrigger,
    timing: TriggerTiming,
    events: &[TriggerEvent],
) -> StmtResult<(Option<Ident>, Option<Ident>)> {
    let (mut old, mut new) = (None, None);
    for r in &ct.referencing {
        let name = match r.transition_relation_name.0.as_slice() {
            [p] => p.as_ident().map(Ident::from_ast),
            _ => None,
        }
        .ok_or_else(|| {
            StmtError::invalid(format!(
                "improper transition table name: {}",
                r.transition_relation_name
            ))
        })?;
        let (slot, what) = match r.refer_type {
            ast::TriggerReferencingType::OldTable => (&mut old, "OLD TABLE"),
            ast::TriggerReferencingType::NewTable => (&mut new, "NEW TABLE"),
        };
        if slot.replace(name).is_some() {
            return Err(StmtError::invalid(format!(
                "{what} cannot be specified multiple times"
            )));
        }
    }
    if old.is_none() && new.is_none() {
        return Ok((None, None));
    }
    if timing != TriggerTiming::After {
        return Err(StmtError::invalid(
            "transition table name can only be specified for an AFTER trigger",
        ));
    }
    if ct.is_constraint {
        return Err(StmtError::invalid(
            "transition tables cannot be specified for constraint triggers",
        ));
    }
    let [event] = events else {
        return Err(StmtError::invalid(
            "transition tables cannot be specified for triggers with more than one event",
        )
        .hint("write one trigger per event"));
    };
    if matches!(event, TriggerEvent::Update { columns } if !columns.is_empty()) {
        return Err(StmtError::invalid(
            "transition tables cannot be specified for triggers with column lists",
        )
        .hint("drop `OF columns`, and filter the transition table in the function"));
    }
    if old.is_some() && matches!(event, TriggerEvent::Insert | TriggerEvent::Truncate) {
        return Err(StmtError::invalid(
            "OLD TABLE can only be specified for a DELETE or UPDATE trigger",
        ));
    }
    if new.is_some() && matches!(event, TriggerEvent::Delete | TriggerEvent::Truncate) {
        return Err(StmtError::invalid(
            "NEW TABLE can only be specified for an INSERT or UPDATE trigger",
        ));
    }
    Ok((old, new))
}

/// The trigger function must exist, take no arguments and return
/// `trigger` (functions of platform schemas cannot be checked).
fn check_trigger_function(r: &Replay, name: &QualName) -> StmtResult {
    if is_external_schema(name.schema.as_str()) {
        return Ok(());
    }
    let id = schema::FunctionId {
        name: name.clone(),
        arg_types: Vec::new(),
    };
    let Some(f) = r.catalog.functions.get(&id) else {
        return Err(StmtError::missing(format!("function {id} does not exist"))
            .hint("create the trigger function first (RETURNS trigger, no arguments)"));
    };
    if !matches!(&f.returns, FunctionReturn::Type { ty } if ty.as_str() == "trigger") {
        return Err(StmtError::invalid(format!(
            "function {id} must return type trigger"
        )));
    }
    Ok(())
}

pub(super) fn alter_trigger(
    r: &mut Replay,
    at: &ast::AlterTrigger,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let table = trigger_table(r, &at.table_name)?;
    let name = Ident::from_ast(&at.name);
    let ast::AlterTriggerOperation::Rename { new_name } = &at.operation else {
        notes.push(Remark::outside_model(&label_of(text)));
        return Ok(());
    };
    let to = Ident::from_ast(new_name);
    let key = (table.clone(), name.clone());
    let Some(mut t) = r.catalog.triggers.remove(&key) else {
        return Err(StmtError::missing(format!(
            "trigger {} for table \"{}\" does not exist",
            q(&name),
            display_name(&table)
        )));
    };
    if r.catalog
        .triggers
        .contains_key(&(table.clone(), to.clone()))
    {
        r.catalog.triggers.insert(key, t);
        return Err(StmtError::duplicate(format!(
            "trigger {} for relation \"{}\" already exists",
            q(&to),
            display_name(&table)
        )));
    }
    t.name = to.clone();
    r.catalog.triggers.insert((table, to), t);
    Ok(())
}

pub(super) fn drop_trigger(r: &mut Replay, dt: &ast::DropTrigger) -> StmtResult {
    let name = match dt.trigger_name.0.as_slice() {
        [p] => p.as_ident().map(Ident::from_ast),
        _ => None,
    }
    .ok_or_else(|| StmtError::invalid(format!("improper trigger name: {}", dt.trigger_name)))?;
    let Some(table) = &dt.table_name else {
        return Err(StmtError::invalid("DROP TRIGGER needs ON table"));
    };
    let table = qual_name(table)?;
    if r.catalog
        .triggers
        .remove(&(table.clone(), name.clone()))
        .is_some()
    {
        return Ok(());
    }
    let known = r.catalog.tables.contains_key(&table)
        || r.catalog.views.contains_key(&table)
        || is_external_schema(table.schema.as_str());
    if dt.if_exists {
        return Ok(());
    }
    if !known {
        return Err(super::missing_relation(&table));
    }
    Err(StmtError::missing(format!(
        "trigger {} for table \"{}\" does not exist",
        q(&name),
        display_name(&table)
    ))
    .hint("use DROP TRIGGER IF EXISTS"))
}
