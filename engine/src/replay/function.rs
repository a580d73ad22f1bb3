//! `CREATE [OR REPLACE] FUNCTION`, `ALTER FUNCTION` (rename, schema,
//! volatility, security, `SET`/`RESET`, …) and `DROP FUNCTION`.
//!
//! sqlparser does not read `LEAKPROOF`, `COST` or `ROWS` in `CREATE
//! FUNCTION`; those are read from the tokens and blanked out first
//! ([`super::blank`]). A function is identified as PostgreSQL does, by name
//! and input argument types.

use super::blank::{blank, tokens};
use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, label_of, q, qual_name};
use schema::provided::is_external_schema;
use schema::routines::{
    ArgMode, FunctionArg, FunctionReturn, Parallel, Volatility, normalize_body,
};
use schema::{Expr, Function, FunctionId, GrantTarget, Ident, ObjectClass, QualName, SqlType};
use sqlparser::ast;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;
use std::collections::BTreeMap;

/// A type as the Catalog stores it; pseudo-types (`trigger`, `void`,
/// `record`) unqualified, as KDL loading stores them.
pub(super) fn sql_type(dt: &ast::DataType) -> StmtResult<SqlType> {
    schema::routines::function_type(&dt.to_string()).map_err(|e| StmtError::invalid(e.to_string()))
}

/// Input argument types of a written signature (`OUT` arguments do not
/// identify a function).
fn input_types(args: &[ast::OperateFunctionArg]) -> StmtResult<Vec<SqlType>> {
    args.iter()
        .filter(|a| !matches!(a.mode, Some(ast::ArgMode::Out)))
        .map(|a| sql_type(&a.data_type))
        .collect()
}

/// The function `desc` names: `Some(id)` when modeled, `None` for a
/// function of a platform schema the replay cannot see (`auth.uid()`).
pub(super) fn resolve_function(
    r: &Replay,
    desc: &ast::FunctionDesc,
) -> StmtResult<Option<FunctionId>> {
    let name = qual_name(&desc.name)?;
    let found: Vec<&FunctionId> = match &desc.args {
        Some(args) => {
            let id = FunctionId {
                name: name.clone(),
                arg_types: input_types(args)?,
            };
            r.catalog
                .functions
                .get_key_value(&id)
                .map(|(k, _)| k)
                .into_iter()
                .collect()
        }
        None => r
            .catalog
            .functions
            .keys()
            .filter(|f| f.name == name)
            .collect(),
    };
    match found.as_slice() {
        [one] => Ok(Some((*one).clone())),
        [] if is_external_schema(name.schema.as_str()) => Ok(None),
        [] => Err(StmtError::missing(format!(
            "function {} does not exist",
            match &desc.args {
                Some(args) => FunctionId {
                    name,
                    arg_types: input_types(args)?,
                }
                .to_string(),
                None => q(&name.name),
            }
        ))
        .hint("check the name and argument types; an earlier migration must create it")),
        _ => Err(
            StmtError::invalid(format!("function name {} is not unique", q(&name.name)))
                .hint("give the argument types: name(type, …)"),
        ),
    }
}

/// What the tokens say that sqlparser does not read.
struct Extra {
    leakproof: Option<bool>,
}

/// Blanks `[NOT] LEAKPROOF`, `COST n`, `ROWS n` (outside parentheses and
/// the body) so sqlparser reads the rest.
fn pre_read(text: &str) -> (String, Extra) {
    let mut extra = Extra { leakproof: None };
    let Some(toks) = tokens(text) else {
        return (text.to_string(), extra);
    };
    let mut ranges = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth != 0 => {}
            _ if t.is("leakproof") => {
                let not = i > 0 && toks[i - 1].is("not");
                extra.leakproof = Some(!not);
                let start = if not { toks[i - 1].start } else { t.start };
                ranges.push((start, t.end));
            }
            _ if (t.is("cost") || t.is("rows"))
                && matches!(toks.get(i + 1).map(|n| &n.token), Some(Token::Number(..))) =>
            {
                ranges.push((t.start, toks[i + 1].end));
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    (blank(text, &ranges), extra)
}

/// A `SET name = value` clause's value as `proconfig` holds it:
/// `search_path = ''` is `""`, lists are joined with `, `.
fn config_value(values: &[ast::Expr]) -> String {
    values
        .iter()
        .map(|v| match v {
            ast::Expr::Value(ast::ValueWithSpan {
                value: ast::Value::SingleQuotedString(s),
                ..
            }) if s.is_empty() => "\"\"".to_string(),
            ast::Expr::Value(ast::ValueWithSpan {
                value: ast::Value::SingleQuotedString(s),
                ..
            }) => s.clone(),
            ast::Expr::Identifier(id) => schema::ident::quote_ident(Ident::from_ast(id).as_str()),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A setting's name in lower case, unquoted (pg_dump writes `SET
/// "search_path" TO ''`): setting names ignore case.
fn config_name(name: &ast::ObjectName) -> String {
    name.0
        .iter()
        .map(|p| match p.as_ident() {
            Some(id) => id.value.to_lowercase(),
            None => p.to_string().to_lowercase(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

pub(super) fn create_function(r: &mut Replay, text: &str, notes: &mut Vec<Remark>) -> StmtResult {
    let (readable, extra) = pre_read(text);
    let stmt = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&readable)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| super::syntax_error(&readable, &e, 0, 0))?;
    let [ast::Statement::CreateFunction(cf)] = stmt.as_slice() else {
        return Err(StmtError::new(
            super::ReplayErrorKind::Syntax,
            "syntax error: expected one CREATE FUNCTION statement",
        ));
    };
    let name = qual_name(&cf.name)?;
    r.require_schema(&name.schema)?;
    let mut args = Vec::new();
    for a in cf.args.as_deref().unwrap_or_default() {
        args.push(FunctionArg {
            mode: match a.mode {
                None | Some(ast::ArgMode::In) => ArgMode::In,
                Some(ast::ArgMode::Out) => ArgMode::Out,
                Some(ast::ArgMode::InOut) => ArgMode::InOut,
                Some(ast::ArgMode::Variadic) => ArgMode::Variadic,
            },
            name: a.name.as_ref().map(Ident::from_ast),
            ty: sql_type(&a.data_type)?,
            default: a.default_expr.clone().map(Expr::from_ast),
        });
    }
    let returns = match &cf.return_type {
        Some(ast::FunctionReturnType::SetOf(dt)) => FunctionReturn::SetOf { ty: sql_type(dt)? },
        Some(ast::FunctionReturnType::DataType(ast::DataType::Table(Some(cols)))) => {
            FunctionReturn::Table {
                columns: cols
                    .iter()
                    .map(|c| Ok((Ident::from_ast(&c.name), sql_type(&c.data_type)?)))
                    .collect::<StmtResult<_>>()?,
            }
        }
        Some(ast::FunctionReturnType::DataType(dt)) => FunctionReturn::Type { ty: sql_type(dt)? },
        // Without RETURNS, the OUT arguments make the result.
        None => {
            let outs: Vec<&FunctionArg> = args
                .iter()
                .filter(|a| matches!(a.mode, ArgMode::Out | ArgMode::InOut))
                .collect();
            match outs.as_slice() {
                [] => {
                    return Err(StmtError::invalid("function result type must be specified")
                        .hint("add RETURNS <type> (or OUT arguments)"));
                }
                [one] => FunctionReturn::Type { ty: one.ty.clone() },
                _ => FunctionReturn::Type {
                    ty: SqlType::canonical("record"),
                },
            }
        }
    };
    let (body, standard) = match &cf.function_body {
        Some(ast::CreateFunctionBody::AsBeforeOptions { body, .. })
        | Some(ast::CreateFunctionBody::AsAfterOptions(body)) => (string_body(body), false),
        Some(other) => (normalize_body(&body_text(other)), true),
        None => {
            return Err(StmtError::invalid("no function body specified").hint("write AS $$ … $$"));
        }
    };
    if standard {
        notes.push(Remark::info(
            &label_of(text),
            "SQL-standard body (RETURN / BEGIN ATOMIC): kept as written, compared as text",
        ));
    }
    let language = cf
        .language
        .as_ref()
        .map(|l| Ident::from_ast(l).as_str().to_string())
        .unwrap_or_else(|| "sql".to_string());
    let mut config = BTreeMap::new();
    for p in &cf.set_params {
        match &p.value {
            ast::FunctionSetValue::Values(v) => {
                config.insert(config_name(&p.name), config_value(v));
            }
            ast::FunctionSetValue::Default => {
                config.remove(&config_name(&p.name));
            }
            ast::FunctionSetValue::FromCurrent => notes.push(Remark::outside_model(&format!(
                "{} … SET {} FROM CURRENT: the session's value is not known",
                label_of(text),
                config_name(&p.name)
            ))),
        }
    }
    let function = Function {
        name,
        args,
        returns,
        language,
        body,
        volatility: match cf.behavior {
            Some(ast::FunctionBehavior::Immutable) => Volatility::Immutable,
            Some(ast::FunctionBehavior::Stable) => Volatility::Stable,
            _ => Volatility::Volatile,
        },
        strict: matches!(
            cf.called_on_null,
            Some(
                ast::FunctionCalledOnNull::Strict
                    | ast::FunctionCalledOnNull::ReturnsNullOnNullInput
            )
        ),
        security_definer: matches!(cf.security, Some(ast::FunctionSecurity::Definer)),
        leakproof: extra.leakproof.unwrap_or(false),
        parallel: match cf.parallel {
            Some(ast::FunctionParallel::Safe) => Parallel::Safe,
            Some(ast::FunctionParallel::Restricted) => Parallel::Restricted,
            _ => Parallel::Unsafe,
        },
        config,
        comment: None,
    };
    let id = function.id();
    match r.catalog.functions.get(&id) {
        Some(old) if !cf.or_replace => {
            let _ = old;
            Err(StmtError::duplicate(format!(
                "function {id} already exists with same argument types"
            ))
            .hint("use CREATE OR REPLACE FUNCTION, or drop it first"))
        }
        Some(old) => {
            if old.returns != function.returns {
                return Err(
                    StmtError::invalid("cannot change return type of existing function")
                        .hint(format!("drop the function first: DROP FUNCTION {id}")),
                );
            }
            let input_names = |f: &Function| -> Vec<Option<Ident>> {
                f.args
                    .iter()
                    .filter(|a| a.mode != ArgMode::Out)
                    .map(|a| a.name.clone())
                    .collect()
            };
            if input_names(old) != input_names(&function)
                && input_names(old).iter().any(Option::is_some)
            {
                return Err(StmtError::invalid("cannot change name of input parameter")
                    .hint(format!("drop the function first: DROP FUNCTION {id}")));
            }
            // OR REPLACE keeps the function's privileges and comment.
            let comment = old.comment.clone();
            r.catalog.functions.insert(
                id,
                Function {
                    comment,
                    ..function
                },
            );
            Ok(())
        }
        None => {
            r.catalog.functions.insert(id.clone(), function);
            r.catalog.grant_defaults(
                GrantTarget::Function { function: id },
                ObjectClass::Function,
            );
            Ok(())
        }
    }
}

fn string_body(body: &ast::Expr) -> String {
    match body {
        ast::Expr::Value(ast::ValueWithSpan {
            value: ast::Value::DollarQuotedString(s),
            ..
        }) => normalize_body(&s.value),
        ast::Expr::Value(ast::ValueWithSpan {
            value: ast::Value::SingleQuotedString(s) | ast::Value::EscapedStringLiteral(s),
            ..
        }) => normalize_body(s),
        other => normalize_body(&other.to_string()),
    }
}

fn body_text(body: &ast::CreateFunctionBody) -> String {
    match body {
        ast::CreateFunctionBody::Return(e) => format!("RETURN {e}"),
        ast::CreateFunctionBody::BeginAtomic(b) => {
            let stmts: Vec<String> = b.statements.iter().map(|s| format!("{s};")).collect();
            format!("BEGIN ATOMIC\n{}\nEND", stmts.join("\n"))
        }
        other => format!("{other:?}"),
    }
}

pub(super) fn alter_function(
    r: &mut Replay,
    af: &ast::AlterFunction,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    if !matches!(af.kind, ast::AlterFunctionKind::Function) {
        notes.push(Remark::outside_model(&label_of(text)));
        return Ok(());
    }
    let Some(id) = resolve_function(r, &af.function)? else {
        notes.push(Remark::outside_model(&label_of(text)).with_objects([af.function.to_string()]));
        return Ok(());
    };
    let target = match &af.operation {
        ast::AlterFunctionOperation::RenameTo { new_name } => Some(QualName::new(
            id.name.schema.clone(),
            Ident::from_ast(new_name),
        )),
        ast::AlterFunctionOperation::SetSchema { schema_name } => {
            let schema = super::grant::schema_name(schema_name)?;
            r.require_schema(&schema)?;
            Some(QualName::new(schema, id.name.name.clone()))
        }
        ast::AlterFunctionOperation::Actions { actions, .. } => {
            let f = r.catalog.functions.get_mut(&id).expect("resolved above");
            for a in actions {
                match a {
                    ast::AlterFunctionAction::CalledOnNull(c) => {
                        f.strict = !matches!(c, ast::FunctionCalledOnNull::CalledOnNullInput)
                    }
                    ast::AlterFunctionAction::Behavior(b) => {
                        f.volatility = match b {
                            ast::FunctionBehavior::Immutable => Volatility::Immutable,
                            ast::FunctionBehavior::Stable => Volatility::Stable,
                            ast::FunctionBehavior::Volatile => Volatility::Volatile,
                        }
                    }
                    ast::AlterFunctionAction::Leakproof(l) => f.leakproof = *l,
                    ast::AlterFunctionAction::Security { security, .. } => {
                        f.security_definer = matches!(security, ast::FunctionSecurity::Definer)
                    }
                    ast::AlterFunctionAction::Parallel(p) => {
                        f.parallel = match p {
                            ast::FunctionParallel::Safe => Parallel::Safe,
                            ast::FunctionParallel::Restricted => Parallel::Restricted,
                            ast::FunctionParallel::Unsafe => Parallel::Unsafe,
                        }
                    }
                    ast::AlterFunctionAction::Set(p) => match &p.value {
                        ast::FunctionSetValue::Values(v) => {
                            f.config.insert(config_name(&p.name), config_value(v));
                        }
                        ast::FunctionSetValue::Default => {
                            f.config.remove(&config_name(&p.name));
                        }
                        ast::FunctionSetValue::FromCurrent => notes.push(Remark::outside_model(
                            "ALTER FUNCTION … SET … FROM CURRENT: the session's value is not known",
                        )),
                    },
                    ast::AlterFunctionAction::Reset(ast::ResetConfig::ALL) => f.config.clear(),
                    ast::AlterFunctionAction::Reset(ast::ResetConfig::ConfigName(n)) => {
                        f.config.remove(&config_name(n));
                    }
                    // Planner estimates: not modeled, no effect on behaviour.
                    ast::AlterFunctionAction::Cost(_)
                    | ast::AlterFunctionAction::Rows(_)
                    | ast::AlterFunctionAction::Support(_) => {
                        notes.push(Remark::outside_model(&format!("ALTER FUNCTION … {a}")))
                    }
                }
            }
            None
        }
        _ => {
            notes.push(Remark::outside_model(&label_of(text)).with_objects([id.to_string()]));
            None
        }
    };
    if let Some(to) = target {
        move_function(r, &id, to)?;
    }
    Ok(())
}

/// Renames or re-schemas a function; its grants and the triggers calling
/// it follow (PostgreSQL references functions by OID).
pub(super) fn move_function(r: &mut Replay, id: &FunctionId, to: QualName) -> StmtResult {
    let new_id = FunctionId {
        name: to.clone(),
        arg_types: id.arg_types.clone(),
    };
    if &new_id == id {
        return Ok(());
    }
    if r.catalog.functions.contains_key(&new_id) {
        return Err(StmtError::duplicate(format!(
            "function {new_id} already exists in schema {}",
            q(&to.schema)
        )));
    }
    let mut f = r.catalog.functions.remove(id).expect("resolved above");
    f.name = to.clone();
    r.catalog.functions.insert(new_id.clone(), f);
    let moved: Vec<schema::Grant> = r
        .catalog
        .grants
        .iter()
        .filter(|g| matches!(&g.on, GrantTarget::Function { function } if function == id))
        .cloned()
        .collect();
    for mut g in moved {
        r.catalog.grants.remove(&g);
        g.on = GrantTarget::Function {
            function: new_id.clone(),
        };
        r.catalog.grants.insert(g);
    }
    if id.arg_types.is_empty() {
        for t in r.catalog.triggers.values_mut() {
            if t.function == id.name {
                t.function = to.clone();
            }
        }
    }
    Ok(())
}

pub(super) fn drop_function(
    r: &mut Replay,
    df: &ast::DropFunction,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let cascade = matches!(df.drop_behavior, Some(ast::DropBehavior::Cascade));
    for desc in &df.func_desc {
        let id = match resolve_function(r, desc) {
            Ok(Some(id)) => id,
            Ok(None) => {
                notes.push(
                    Remark::outside_model(
                        "DROP FUNCTION of a function the migrations do not create",
                    )
                    .with_objects([desc.to_string()]),
                );
                continue;
            }
            Err(e) if df.if_exists && e.kind == super::ReplayErrorKind::Missing => {
                notes.push(
                    Remark::info(
                        "DROP FUNCTION IF EXISTS",
                        "no such function in the replay: skipped",
                    )
                    .with_objects([desc.to_string()]),
                );
                continue;
            }
            Err(e) => return Err(e),
        };
        let users = function_users(r, &id);
        if !users.is_empty() && !cascade {
            return Err(StmtError::invalid(format!(
                "cannot drop function {id} because other objects depend on it: {}",
                users.describe().join(", ")
            ))
            .hint("use DROP FUNCTION … CASCADE to drop them too, or drop them first"));
        }
        users.drop_all(r);
        r.catalog.functions.remove(&id);
        r.catalog
            .forget_grants(&GrantTarget::Function { function: id });
    }
    Ok(())
}

/// What calls a function, as PostgreSQL records it: triggers executing
/// it, and policies, views, column defaults and checks whose expressions
/// call it (matched by name: an overloaded name counts for every overload).
#[derive(Default)]
struct FunctionUsers {
    triggers: Vec<schema::TriggerKey>,
    policies: Vec<schema::PolicyKey>,
    views: Vec<QualName>,
    /// (table, column) whose default calls it.
    defaults: Vec<(QualName, Ident)>,
    /// (table, constraint) whose check calls it.
    checks: Vec<(QualName, Ident)>,
}

impl FunctionUsers {
    fn is_empty(&self) -> bool {
        self.triggers.is_empty()
            && self.policies.is_empty()
            && self.views.is_empty()
            && self.defaults.is_empty()
            && self.checks.is_empty()
    }

    fn describe(&self) -> Vec<String> {
        let d = super::display_name;
        let mut out: Vec<String> = self
            .triggers
            .iter()
            .map(|(t, n)| format!("trigger {} on table \"{}\"", q(n), d(t)))
            .collect();
        out.extend(
            self.policies
                .iter()
                .map(|(t, n)| format!("policy {} on table \"{}\"", q(n), d(t))),
        );
        out.extend(self.views.iter().map(|v| format!("view \"{}\"", d(v))));
        out.extend(
            self.defaults
                .iter()
                .map(|(t, c)| format!("default value for column {} of table \"{}\"", q(c), d(t))),
        );
        out.extend(
            self.checks
                .iter()
                .map(|(t, c)| format!("constraint {} on table \"{}\"", q(c), d(t))),
        );
        out
    }

    /// CASCADE: the dependents go (views with the views reading them;
    /// defaults are dropped, columns stay).
    fn drop_all(self, r: &mut Replay) {
        for key in &self.triggers {
            r.catalog.triggers.remove(key);
        }
        for key in &self.policies {
            r.catalog.policies.remove(key);
        }
        let mut views = super::dependents::views_reading(r, &self.views);
        views.extend(self.views);
        for v in &views {
            super::view::forget_view(r, v);
        }
        for (t, c) in &self.defaults {
            if let Some(col) = r.catalog.tables.get_mut(t).and_then(|t| t.column_mut(c)) {
                col.default = None;
            }
        }
        for (t, c) in &self.checks {
            if let Some(t) = r.catalog.tables.get_mut(t) {
                t.constraints.remove(c);
            }
        }
    }
}

fn function_users(r: &Replay, id: &FunctionId) -> FunctionUsers {
    use schema::refs::Refs;
    let c = &r.catalog;
    // A call with k arguments reaches the overloads that accept k (inputs
    // minus those with defaults ..= inputs); when k does not tell them
    // apart, every candidate counts as called (PostgreSQL would pick by type).
    let accepts = |f: &Function, k: usize| {
        let inputs: Vec<_> = f.inputs().collect();
        let required = inputs.iter().filter(|a| a.default.is_none()).count();
        let variadic = inputs.iter().any(|a| a.mode == ArgMode::Variadic);
        k >= required && (variadic || k <= inputs.len())
    };
    let target = c.functions.get(id);
    let calls = |e: &Expr| {
        let refs = Refs::of_expr(e);
        match target {
            None => refs.functions.contains(&id.name),
            Some(target) => refs.calls.iter().any(|(name, k)| {
                name == &id.name
                    && (accepts(target, *k)
                        || !c
                            .functions
                            .values()
                            .any(|f| f.name == id.name && accepts(f, *k)))
            }),
        }
    };
    FunctionUsers {
        triggers: c
            .triggers
            .values()
            .filter(|t| (id.arg_types.is_empty() && t.function == id.name) || t.when.as_ref().is_some_and(calls))
            .map(|t| t.key())
            .collect(),
        policies: c
            .policies
            .values()
            .filter(|p| p.using.as_ref().is_some_and(calls) || p.check.as_ref().is_some_and(calls))
            .map(|p| p.key())
            .collect(),
        views: c
            .views
            .values()
            .filter(|v| Refs::of_query(&v.query).functions.contains(&id.name))
            .map(|v| v.name.clone())
            .collect(),
        defaults: c
            .tables
            .values()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|col| col.default.as_ref().is_some_and(calls))
                    .map(|col| (t.name.clone(), col.name.clone()))
            })
            .collect(),
        checks: c
            .tables
            .values()
            .flat_map(|t| {
                t.constraints
                    .values()
                    .filter(|con| matches!(&con.kind, schema::ConstraintKind::Check { expr, .. } if calls(expr)))
                    .map(|con| (t.name.clone(), con.name.clone()))
            })
            .collect(),
    }
}

/// `COMMENT ON FUNCTION name(args) IS '…' | NULL`, read from tokens:
/// sqlparser reads no argument list there. The signature is read as the
/// one of a `DROP FUNCTION`.
pub(super) fn comment_on_function(
    r: &mut Replay,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let toks = tokens(text).unwrap_or_default();
    let mut depth = 0i32;
    let mut is_at = None;
    for (i, t) in toks.iter().enumerate().skip(3) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            _ if depth == 0 && t.is("is") => {
                is_at = Some(i);
                break;
            }
            _ => {}
        }
    }
    let syntax = || {
        StmtError::new(
            super::ReplayErrorKind::Syntax,
            "syntax error: expected COMMENT ON FUNCTION name(types) IS '…'",
        )
    };
    let Some(is_at) = is_at else {
        return Err(syntax());
    };
    let signature = &text[toks[3].start..toks[is_at].start];
    let comment = match toks.get(is_at + 1).map(|t| &t.token) {
        Some(Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s)) => Some(s.clone()),
        Some(Token::DollarQuotedString(s)) => Some(s.value.clone()),
        Some(Token::Word(w)) if w.value.eq_ignore_ascii_case("null") => None,
        _ => return Err(syntax()),
    };
    let stmt = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(&format!("DROP FUNCTION {signature}"))
        .and_then(|mut p| p.parse_statement())
        .map_err(|_| syntax())?;
    let ast::Statement::DropFunction(df) = stmt else {
        return Err(syntax());
    };
    let [desc] = df.func_desc.as_slice() else {
        return Err(syntax());
    };
    match resolve_function(r, desc)? {
        Some(id) => {
            if let Some(f) = r.catalog.functions.get_mut(&id) {
                f.comment = comment;
            }
        }
        None => notes.push(
            Remark::outside_model("COMMENT ON FUNCTION of a function the migrations do not create")
                .with_objects([desc.to_string()]),
        ),
    }
    Ok(())
}
