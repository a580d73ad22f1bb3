//! Offline replay against shadow replay: every object on which the two
//! Catalogs disagree, named and shown from both sides. Unlike
//! [`crate::diff`], which says how to get from one Catalog to the other in
//! SQL, this says what differs, so a person can see where the offline
//! replay went wrong (a dynamic `EXECUTE`, a guarded block it misread).
//!
//! PostgreSQL stores the type it resolved for every literal and every
//! implicit coercion and prints them back (`'draft'` → `'draft'::text`, a
//! default `-1` → `'-1'::integer`, `rating > 5` → `rating > 5::numeric`),
//! so expressions are compared without casts ([`loosen`]); a difference,
//! once found, shows both spellings.
//!
//! Column references are compared without their qualifier (`shows.id` =
//! `id`; not `old.`/`new.` in trigger conditions): `pg_get_viewdef` and
//! `pg_get_expr` qualify every column of a view query or of a subquery
//! inside a policy. A view's column list is compared as the names it gives
//! the query's outputs (`CREATE VIEW v (a) AS SELECT id …` = PostgreSQL's
//! `SELECT shows.id AS a …`).

use crate::plan::sql::{column_list, constraint_def, create_index, identity_sql};
use schema::{
    Catalog, Column, Constraint, ConstraintKind, DefaultPrivilege, Expr, Function, FunctionArg,
    FunctionReturn, Grant, GrantTarget, Ident, Index, IndexTarget, ObjectClass, Policy, Privilege,
    Query, Table, Trigger, TriggerEvent, TriggerTiming, View,
};
use serde::Serialize;
use sqlparser::ast::{self, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::ControlFlow;

/// One object on which the offline and shadow replays disagree. A side is
/// `None` when the object does not exist there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `schema`, `extension`, `enum`, `table`, `column`, `primary key`,
    /// `constraint`, `index`, `view`, `materialized view`, `function`,
    /// `policy`, `trigger`, `grant`, `default privileges`.
    pub kind: &'static str,
    /// `core.shows`, `core.shows.title`, `core.shows.shows_org_id_fkey`,
    /// `core.is_member(uuid, text)`, `core.shows."owners read"` (a policy or
    /// trigger: table and name), `TABLE core.shows to anon` (a grant),
    /// `in schema core on tables to anon` (default privileges).
    pub object: String,
    /// What differs: `exists`, `type`, `default`, `nullable`, `identity`,
    /// `generated`, `comment`, `definition`, `values`, `schema`, `column
    /// order`, `row level security`; policies: `as`, `command`, `roles`,
    /// `using`, `check`; functions: `arguments`, `returns`, `language`,
    /// `body`, `volatility`, `strict`, `security`, `leakproof`, `parallel`,
    /// `config`; triggers: `timing`, `events`, `for each`, `when`,
    /// `function`, `arguments`; views: `kind`, `columns`, `query`,
    /// `security_invoker`, `security_barrier`, `check option`; grants and
    /// default privileges: `privileges`.
    pub aspect: &'static str,
    pub offline: Option<String>,
    pub shadow: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |s: &Option<String>| s.clone().unwrap_or_else(|| "(absent)".into());
        if self.aspect == "exists" {
            let (only, text) = match (&self.offline, &self.shadow) {
                (Some(text), None) => ("only in the offline replay", text),
                (None, Some(text)) => ("only in PostgreSQL", text),
                _ => return write!(f, "{} {}", self.kind, self.object),
            };
            return write!(f, "{} {}: {only}: {text}", self.kind, self.object);
        }
        write!(
            f,
            "{} {} {}: offline {}, PostgreSQL {}",
            self.kind,
            self.object,
            self.aspect,
            side(&self.offline),
            side(&self.shadow)
        )
    }
}

/// Every difference between the offline replay and the shadow replay,
/// object by object: schemas, extensions, enums, tables (columns, primary
/// key, constraints, comments, RLS), indexes, views, functions, policies,
/// triggers, grants, then default privileges, each in name order.
pub fn compare(offline: &Catalog, shadow: &Catalog) -> Vec<Difference> {
    // What differs once literal casts are ignored; shown as spelled.
    let real: BTreeSet<(&str, String, &str)> = walk(&loosen(offline), &loosen(shadow))
        .into_iter()
        .map(|d| (d.kind, d.object, d.aspect))
        .collect();
    walk(offline, shadow)
        .into_iter()
        .filter(|d| real.contains(&(d.kind, d.object.clone(), d.aspect)))
        .collect()
}

/// `shadow` with each column, constraint and index that the offline replay
/// has too, equal but for literal casts, taken from `offline`: what a
/// checkpoint stores, so that a plan from it compares the user's own
/// spelling with the KDL's (as a plan from the offline replay would) and
/// only objects the offline replay got wrong take PostgreSQL's.
pub fn prefer_offline_spelling(shadow: &Catalog, offline: &Catalog) -> Catalog {
    let mut out = shadow.clone();
    for (name, table) in &mut out.tables {
        let Some(theirs) = offline.tables.get(name) else {
            continue;
        };
        for column in &mut table.columns {
            if let Some(c) = theirs.column(&column.name)
                && loose_column(c) == loose_column(column)
            {
                *column = c.clone();
            }
        }
        for (cname, constraint) in &mut table.constraints {
            if let Some(c) = theirs.constraints.get(cname)
                && loose_constraint(c) == loose_constraint(constraint)
            {
                *constraint = c.clone();
            }
        }
    }
    for (name, index) in &mut out.indexes {
        if let Some(i) = offline.indexes.get(name)
            && loose_index(i) == loose_index(index)
        {
            *index = i.clone();
        }
    }
    prefer(&mut out.views, &offline.views, loose_view);
    prefer(&mut out.functions, &offline.functions, loose_function);
    prefer(&mut out.policies, &offline.policies, loose_policy);
    prefer(&mut out.triggers, &offline.triggers, loose_trigger);
    out
}

/// Takes `offline`'s object wherever it equals `shadow`'s once loosened.
fn prefer<K: Ord, V: Clone + PartialEq>(
    shadow: &mut BTreeMap<K, V>,
    offline: &BTreeMap<K, V>,
    loose: impl Fn(&V) -> V,
) {
    for (key, value) in shadow.iter_mut() {
        if let Some(theirs) = offline.get(key)
            && loose(theirs) == loose(value)
        {
            *value = theirs.clone();
        }
    }
}

/// Every expression of `catalog` without casts (see `loose_expr`).
pub fn loosen(catalog: &Catalog) -> Catalog {
    let mut out = catalog.clone();
    for table in out.tables.values_mut() {
        for column in &mut table.columns {
            *column = loose_column(column);
        }
        for constraint in table.constraints.values_mut() {
            *constraint = loose_constraint(constraint);
        }
    }
    for index in out.indexes.values_mut() {
        *index = loose_index(index);
    }
    for view in out.views.values_mut() {
        *view = loose_view(view);
    }
    for function in out.functions.values_mut() {
        *function = loose_function(function);
    }
    for policy in out.policies.values_mut() {
        *policy = loose_policy(policy);
    }
    for trigger in out.triggers.values_mut() {
        *trigger = loose_trigger(trigger);
    }
    out
}

fn loose_policy(p: &Policy) -> Policy {
    let mut p = p.clone();
    p.using = p.using.as_ref().map(loose_expr);
    p.check = p.check.as_ref().map(loose_expr);
    p
}

fn loose_trigger(t: &Trigger) -> Trigger {
    let mut t = t.clone();
    t.when = t.when.as_ref().map(loose_expr);
    t
}

fn loose_function(f: &Function) -> Function {
    let mut f = f.clone();
    for arg in &mut f.args {
        arg.default = arg.default.as_ref().map(loose_expr);
    }
    f
}

/// The view with its column list moved into the query (as output aliases)
/// and the query loosened like an expression.
fn loose_view(v: &View) -> View {
    let mut v = v.clone();
    v.fold_columns();
    v.query = loose_query(&v.query);
    v
}

/// `query` with every expression in it loosened as [`loose_expr`] does.
fn loose_query(query: &Query) -> Query {
    let Ok(mut parsed) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(query.sql())
        .and_then(|mut p| p.parse_query())
    else {
        return query.clone();
    };
    let _ = ast::visit_expressions_mut(&mut parsed, |e| {
        loosen_node(e);
        ControlFlow::<()>::Continue(())
    });
    let text = parsed.to_string();
    Query::parse(&text).unwrap_or_else(|_| Query::canonical(text))
}

fn loose_column(c: &Column) -> Column {
    let mut c = c.clone();
    c.default = c.default.as_ref().map(loose_expr);
    c.generated = c.generated.as_ref().map(loose_expr);
    c
}

fn loose_constraint(c: &Constraint) -> Constraint {
    let mut c = c.clone();
    if let ConstraintKind::Check { expr, .. } = &mut c.kind {
        *expr = loose_expr(expr);
    }
    c
}

fn loose_index(i: &Index) -> Index {
    let mut i = i.clone();
    i.predicate = i.predicate.as_ref().map(loose_expr);
    for key in &mut i.keys {
        if let IndexTarget::Expression(e) = &mut key.target {
            *e = loose_expr(e);
        }
    }
    i
}

/// `expr` without casts (`'x'::text` → `'x'`, `price * quantity::numeric`
/// → `price * quantity`), with numeric string literals as numbers (`'-1'`
/// → `-1`), column references unqualified (`memberships.org_id` →
/// `org_id`, as PostgreSQL qualifies them inside subqueries), and with
/// `IN`/`BETWEEN` spelled as PostgreSQL stores them:
/// PostgreSQL makes every implicit coercion explicit and prints a literal's
/// resolved type, so casts say nothing about whether the offline replay
/// followed the migrations (a changed column type is reported on the
/// column). An expression our parser cannot read is kept.
fn loose_expr(expr: &Expr) -> Expr {
    let Ok(mut parsed) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(expr.sql())
        .and_then(|mut p| p.parse_expr())
    else {
        return expr.clone();
    };
    let _ = ast::visit_expressions_mut(&mut parsed, |e| {
        loosen_node(e);
        ControlFlow::<()>::Continue(())
    });
    // Parse again so parentheses left around a former cast's operand go.
    let text = parsed.to_string();
    Expr::parse(&text).unwrap_or_else(|_| Expr::canonical(text))
}

/// One node of [`loose_expr`]: cast removed, `IN`/`BETWEEN` rewritten,
/// numeric string made a number, column qualifier dropped.
fn loosen_node(e: &mut ast::Expr) {
    if let ast::Expr::Cast { expr: inner, .. } = e {
        *e = std::mem::replace(inner.as_mut(), ast::Expr::value(Value::Null));
    }
    if let Some(rewritten) = as_postgres_prints(e) {
        *e = rewritten;
    }
    if let ast::Expr::Value(v) = e
        && let Value::SingleQuotedString(text) = &v.value
        && is_number(text)
    {
        v.value = Value::Number(text.clone(), false);
    }
    // `shows.id` → `id`, but `old.id` and `new.id` (trigger conditions)
    // name different rows.
    if let ast::Expr::CompoundIdentifier(ids) = e
        && ids.len() == 2
        && !["old", "new"].contains(&ids[0].value.to_lowercase().as_str())
    {
        *e = ast::Expr::Identifier(ids[1].clone());
    }
}

/// `IN (…)` and `BETWEEN` the way PostgreSQL stores them: `= ANY
/// (ARRAY[…])` / `<> ALL (ARRAY[…])`, and two comparisons.
fn as_postgres_prints(e: &ast::Expr) -> Option<ast::Expr> {
    use ast::{BinaryOperator as Op, Expr as E};
    let binary = |left: &E, op: Op, right: &E| E::BinaryOp {
        left: Box::new(left.clone()),
        op,
        right: Box::new(right.clone()),
    };
    match e {
        E::In {
            expr,
            target: ast::InTarget::List(list),
            negated,
            ..
        } => {
            let array = Box::new(E::Array(ast::Array {
                elem: list.clone(),
                named: true,
            }));
            Some(if *negated {
                E::AllOp {
                    left: expr.clone(),
                    compare_op: Op::NotEq,
                    right: array,
                }
            } else {
                E::AnyOp {
                    left: expr.clone(),
                    compare_op: Op::Eq,
                    right: array,
                    is_some: false,
                }
            })
        }
        E::Between {
            expr,
            negated,
            low,
            high,
        } => Some(if *negated {
            binary(
                &binary(expr, Op::Lt, low),
                Op::Or,
                &binary(expr, Op::Gt, high),
            )
        } else {
            binary(
                &binary(expr, Op::GtEq, low),
                Op::And,
                &binary(expr, Op::LtEq, high),
            )
        }),
        _ => None,
    }
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// Every difference, spelling included.
fn walk(offline: &Catalog, shadow: &Catalog) -> Vec<Difference> {
    let mut out = Out::default();
    pairs(&offline.schemas, &shadow.schemas, |name, a, b| {
        let object = name.to_string();
        match (a, b) {
            (Some(a), Some(b)) => out.aspect("schema", &object, "comment", &a.comment, &b.comment),
            _ => out.exists(
                "schema",
                &object,
                a.map(|_| object.clone()),
                b.map(|_| object.clone()),
            ),
        }
    });
    pairs(&offline.extensions, &shadow.extensions, |name, a, b| {
        let render = |e: &schema::Extension| match &e.schema {
            Some(s) => format!("{name} in schema {s}"),
            None => format!("{name} (default schema)"),
        };
        let object = name.to_string();
        match (a, b) {
            (Some(a), Some(b)) => {
                let schema = |e: &schema::Extension| e.schema.as_ref().map(ToString::to_string);
                out.aspect("extension", &object, "schema", &schema(a), &schema(b));
            }
            _ => out.exists("extension", &object, a.map(render), b.map(render)),
        }
    });
    pairs(&offline.enums, &shadow.enums, |name, a, b| {
        let object = name.to_string();
        let values = |e: &schema::Enum| {
            let labels: Vec<String> = e
                .values
                .iter()
                .map(|v| crate::plan::sql::literal(v))
                .collect();
            format!("({})", labels.join(", "))
        };
        match (a, b) {
            (Some(a), Some(b)) => {
                out.aspect(
                    "enum",
                    &object,
                    "values",
                    &Some(values(a)),
                    &Some(values(b)),
                );
                out.aspect("enum", &object, "comment", &a.comment, &b.comment);
            }
            _ => out.exists("enum", &object, a.map(values), b.map(values)),
        }
    });
    pairs(&offline.tables, &shadow.tables, |name, a, b| match (a, b) {
        (Some(a), Some(b)) => table(&mut out, a, b),
        _ => out.exists(
            "table",
            &name.to_string(),
            a.map(table_summary),
            b.map(table_summary),
        ),
    });
    pairs(&offline.indexes, &shadow.indexes, |name, a, b| {
        let object = name.to_string();
        let def = |i: &schema::Index| create_index(i, false).trim_end_matches(';').to_string();
        match (a, b) {
            (Some(a), Some(b)) => {
                let mut a_def = a.clone();
                let mut b_def = b.clone();
                a_def.comment = None;
                b_def.comment = None;
                out.aspect(
                    "index",
                    &object,
                    "definition",
                    &Some(def(&a_def)),
                    &Some(def(&b_def)),
                );
                out.aspect("index", &object, "comment", &a.comment, &b.comment);
            }
            _ => out.exists("index", &object, a.map(def), b.map(def)),
        }
    });
    pairs(&offline.views, &shadow.views, |name, a, b| {
        view(&mut out, &name.to_string(), a, b)
    });
    pairs(&offline.functions, &shadow.functions, |id, a, b| {
        function(&mut out, &id.to_string(), a, b)
    });
    pairs(
        &offline.policies,
        &shadow.policies,
        |(table, name), a, b| policy(&mut out, &format!("{table}.{}", name.quoted()), a, b),
    );
    pairs(
        &offline.triggers,
        &shadow.triggers,
        |(table, name), a, b| trigger(&mut out, &format!("{table}.{}", name.quoted()), a, b),
    );
    grants(&mut out, &offline.grants, &shadow.grants);
    default_privileges(
        &mut out,
        &offline.default_privileges,
        &shadow.default_privileges,
    );
    out.0
}

/// `SELECT, INSERT*` (`*`: with grant option), in privilege order.
fn privilege_list<'a>(entries: impl Iterator<Item = (Privilege, bool)> + 'a) -> String {
    let mut entries: Vec<(Privilege, bool)> = entries.collect();
    entries.sort();
    let names: Vec<String> = entries
        .iter()
        .map(|(p, grantable)| format!("{}{}", p.sql(), if *grantable { "*" } else { "" }))
        .collect();
    names.join(", ")
}

/// Privileges per object and grantee.
fn grants(out: &mut Out, offline: &BTreeSet<Grant>, shadow: &BTreeSet<Grant>) {
    type Held = BTreeMap<(GrantTarget, Ident), Vec<(Privilege, bool)>>;
    let group = |grants: &BTreeSet<Grant>| {
        let mut held = Held::new();
        for g in grants {
            held.entry((g.on.clone(), g.grantee.clone()))
                .or_default()
                .push((g.privilege, g.grantable));
        }
        held
    };
    pairs(&group(offline), &group(shadow), |(on, grantee), a, b| {
        let list =
            |held: Option<&Vec<(Privilege, bool)>>| held.map(|h| privilege_list(h.iter().copied()));
        out.aspect(
            "grant",
            &format!("{on} to {grantee}"),
            "privileges",
            &list(a),
            &list(b),
        );
    });
}

fn class_name(class: ObjectClass) -> &'static str {
    match class {
        ObjectClass::Schema => "schemas",
        ObjectClass::Table => "tables",
        ObjectClass::Column => "columns",
        ObjectClass::Sequence => "sequences",
        ObjectClass::Function => "functions",
        ObjectClass::Type => "types",
    }
}

/// Default privileges per schema (or global), kind of object and grantee.
fn default_privileges(
    out: &mut Out,
    offline: &BTreeSet<DefaultPrivilege>,
    shadow: &BTreeSet<DefaultPrivilege>,
) {
    type Held = BTreeMap<(Option<Ident>, ObjectClass, Ident), Vec<(Privilege, bool)>>;
    let group = |defaults: &BTreeSet<DefaultPrivilege>| {
        let mut held = Held::new();
        for d in defaults {
            held.entry((d.schema.clone(), d.objects, d.grantee.clone()))
                .or_default()
                .push((d.privilege, d.grantable));
        }
        held
    };
    pairs(
        &group(offline),
        &group(shadow),
        |(schema, class, grantee), a, b| {
            let scope = match schema {
                Some(s) => format!("in schema {s}"),
                None => "global".to_string(),
            };
            let list = |held: Option<&Vec<(Privilege, bool)>>| {
                held.map(|h| privilege_list(h.iter().copied()))
            };
            out.aspect(
                "default privileges",
                &format!("{scope} on {} to {grantee}", class_name(*class)),
                "privileges",
                &list(a),
                &list(b),
            );
        },
    );
}

fn view_kind(v: &View) -> &'static str {
    if v.materialized {
        "materialized view"
    } else {
        "view"
    }
}

fn view_summary(v: &View) -> String {
    let columns = if v.columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", column_list(&v.columns))
    };
    format!("{}{columns} AS {}", view_kind(v), v.query.sql())
}

fn view(out: &mut Out, object: &str, a: Option<&View>, b: Option<&View>) {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            let kind = a.or(b).map_or("view", view_kind);
            return out.exists(kind, object, a.map(view_summary), b.map(view_summary));
        }
    };
    let kind = view_kind(a);
    let text = |s: &str| Some(s.to_string());
    out.aspect(
        kind,
        object,
        "kind",
        &text(view_kind(a)),
        &text(view_kind(b)),
    );
    // The column list is shown as the names it gives the query's outputs
    // (PostgreSQL prints them that way); a list that cannot be moved there
    // (`SELECT *`) is shown on its own.
    let named = |v: &View| match v.query.with_column_names(&v.columns) {
        Some(query) if !v.columns.is_empty() => (None, query.sql().to_string()),
        _ => (
            Some(column_list(&v.columns)).filter(|c| !c.is_empty()),
            v.query.sql().to_string(),
        ),
    };
    let (a_columns, a_query) = named(a);
    let (b_columns, b_query) = named(b);
    out.aspect(kind, object, "columns", &a_columns, &b_columns);
    out.aspect(kind, object, "query", &Some(a_query), &Some(b_query));
    let flag = |on: bool| Some(on.to_string());
    out.aspect(
        kind,
        object,
        "security_invoker",
        &flag(a.security_invoker),
        &flag(b.security_invoker),
    );
    out.aspect(
        kind,
        object,
        "security_barrier",
        &flag(a.security_barrier),
        &flag(b.security_barrier),
    );
    let check = |v: &View| v.check_option.map(|c| format!("{c:?}").to_uppercase());
    out.aspect(kind, object, "check option", &check(a), &check(b));
    out.aspect(kind, object, "comment", &a.comment, &b.comment);
}

fn argument(arg: &FunctionArg) -> String {
    let mode = match arg.mode {
        schema::ArgMode::In => "",
        schema::ArgMode::Out => "OUT ",
        schema::ArgMode::InOut => "INOUT ",
        schema::ArgMode::Variadic => "VARIADIC ",
        schema::ArgMode::Table => "TABLE ",
    };
    let mut text = mode.to_string();
    if let Some(name) = &arg.name {
        text.push_str(&name.quoted());
        text.push(' ');
    }
    text.push_str(arg.ty.as_str());
    if let Some(d) = &arg.default {
        text.push_str(&format!(" DEFAULT {}", d.sql()));
    }
    text
}

fn returns(r: &FunctionReturn) -> String {
    match r {
        FunctionReturn::Type { ty } => ty.to_string(),
        FunctionReturn::SetOf { ty } => format!("SETOF {ty}"),
        FunctionReturn::Table { columns } => {
            let columns: Vec<String> = columns
                .iter()
                .map(|(name, ty)| format!("{} {ty}", name.quoted()))
                .collect();
            format!("TABLE ({})", columns.join(", "))
        }
    }
}

fn function_summary(f: &Function) -> String {
    let args: Vec<String> = f.args.iter().map(argument).collect();
    format!(
        "({}) RETURNS {} LANGUAGE {}",
        args.join(", "),
        returns(&f.returns),
        f.language
    )
}

fn function(out: &mut Out, object: &str, a: Option<&Function>, b: Option<&Function>) {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            return out.exists(
                "function",
                object,
                a.map(function_summary),
                b.map(function_summary),
            );
        }
    };
    let kind = "function";
    let text = |s: String| Some(s);
    let args = |f: &Function| {
        let args: Vec<String> = f.args.iter().map(argument).collect();
        Some(args.join(", "))
    };
    out.aspect(kind, object, "arguments", &args(a), &args(b));
    out.aspect(
        kind,
        object,
        "returns",
        &text(returns(&a.returns)),
        &text(returns(&b.returns)),
    );
    out.aspect(
        kind,
        object,
        "language",
        &text(a.language.clone()),
        &text(b.language.clone()),
    );
    out.aspect(
        kind,
        object,
        "body",
        &text(a.body.clone()),
        &text(b.body.clone()),
    );
    let debug = |v: &dyn fmt::Debug| Some(format!("{v:?}").to_lowercase());
    out.aspect(
        kind,
        object,
        "volatility",
        &debug(&a.volatility),
        &debug(&b.volatility),
    );
    out.aspect(kind, object, "strict", &debug(&a.strict), &debug(&b.strict));
    let security = |f: &Function| {
        Some(
            if f.security_definer {
                "DEFINER"
            } else {
                "INVOKER"
            }
            .to_string(),
        )
    };
    out.aspect(kind, object, "security", &security(a), &security(b));
    out.aspect(
        kind,
        object,
        "leakproof",
        &debug(&a.leakproof),
        &debug(&b.leakproof),
    );
    out.aspect(
        kind,
        object,
        "parallel",
        &debug(&a.parallel),
        &debug(&b.parallel),
    );
    let config = |f: &Function| {
        let set: Vec<String> = f.config.iter().map(|(k, v)| format!("{k}={v}")).collect();
        Some(set.join(", ")).filter(|s| !s.is_empty())
    };
    out.aspect(kind, object, "config", &config(a), &config(b));
    out.aspect(kind, object, "comment", &a.comment, &b.comment);
}

fn policy_summary(p: &Policy) -> String {
    let mut text = format!(
        "AS {} FOR {} TO {}",
        if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        },
        p.command.sql(),
        roles(p)
    );
    if let Some(using) = &p.using {
        text.push_str(&format!(" USING ({})", using.sql()));
    }
    if let Some(check) = &p.check {
        text.push_str(&format!(" WITH CHECK ({})", check.sql()));
    }
    text
}

fn roles(p: &Policy) -> String {
    let roles: Vec<String> = p.roles.iter().map(|r| r.quoted()).collect();
    roles.join(", ")
}

fn policy(out: &mut Out, object: &str, a: Option<&Policy>, b: Option<&Policy>) {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            return out.exists(
                "policy",
                object,
                a.map(policy_summary),
                b.map(policy_summary),
            );
        }
    };
    let kind = "policy";
    let text = |s: &str| Some(s.to_string());
    let permissive = |p: &Policy| {
        text(if p.permissive {
            "PERMISSIVE"
        } else {
            "RESTRICTIVE"
        })
    };
    out.aspect(kind, object, "as", &permissive(a), &permissive(b));
    out.aspect(
        kind,
        object,
        "command",
        &text(a.command.sql()),
        &text(b.command.sql()),
    );
    out.aspect(kind, object, "roles", &text(&roles(a)), &text(&roles(b)));
    let expr = |e: &Option<Expr>| e.as_ref().map(|e| e.sql().to_string());
    out.aspect(kind, object, "using", &expr(&a.using), &expr(&b.using));
    out.aspect(kind, object, "check", &expr(&a.check), &expr(&b.check));
}

fn timing(t: &Trigger) -> Option<String> {
    Some(
        match t.timing {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
        .to_string(),
    )
}

fn events(t: &Trigger) -> Option<String> {
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| match e {
            TriggerEvent::Insert => "INSERT".to_string(),
            TriggerEvent::Update { columns } if columns.is_empty() => "UPDATE".to_string(),
            TriggerEvent::Update { columns } => format!("UPDATE OF {}", column_list(columns)),
            TriggerEvent::Delete => "DELETE".to_string(),
            TriggerEvent::Truncate => "TRUNCATE".to_string(),
        })
        .collect();
    Some(events.join(" OR "))
}

fn trigger_args(t: &Trigger) -> Option<String> {
    let args: Vec<String> = t
        .args
        .iter()
        .map(|a| crate::plan::sql::literal(a))
        .collect();
    Some(args.join(", "))
}

fn trigger_summary(t: &Trigger) -> String {
    let mut text = format!(
        "{} {} FOR EACH {}",
        timing(t).unwrap_or_default(),
        events(t).unwrap_or_default(),
        if t.for_each_row { "ROW" } else { "STATEMENT" }
    );
    if let Some(when) = &t.when {
        text.push_str(&format!(" WHEN ({})", when.sql()));
    }
    text.push_str(&format!(
        " EXECUTE FUNCTION {}({})",
        t.function,
        trigger_args(t).unwrap_or_default()
    ));
    text
}

fn trigger(out: &mut Out, object: &str, a: Option<&Trigger>, b: Option<&Trigger>) {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        _ => {
            return out.exists(
                "trigger",
                object,
                a.map(trigger_summary),
                b.map(trigger_summary),
            );
        }
    };
    let kind = "trigger";
    out.aspect(kind, object, "timing", &timing(a), &timing(b));
    out.aspect(kind, object, "events", &events(a), &events(b));
    let each = |t: &Trigger| Some(if t.for_each_row { "ROW" } else { "STATEMENT" }.to_string());
    out.aspect(kind, object, "for each", &each(a), &each(b));
    let expr = |e: &Option<Expr>| e.as_ref().map(|e| e.sql().to_string());
    out.aspect(kind, object, "when", &expr(&a.when), &expr(&b.when));
    let function = |t: &Trigger| Some(t.function.to_string());
    out.aspect(kind, object, "function", &function(a), &function(b));
    out.aspect(
        kind,
        object,
        "arguments",
        &trigger_args(a),
        &trigger_args(b),
    );
}

#[derive(Default)]
struct Out(Vec<Difference>);

impl Out {
    fn exists(
        &mut self,
        kind: &'static str,
        object: &str,
        offline: Option<String>,
        shadow: Option<String>,
    ) {
        self.0.push(Difference {
            kind,
            object: object.to_string(),
            aspect: "exists",
            offline,
            shadow,
        });
    }

    /// Records `aspect` when the two sides differ.
    fn aspect(
        &mut self,
        kind: &'static str,
        object: &str,
        aspect: &'static str,
        offline: &Option<String>,
        shadow: &Option<String>,
    ) {
        if offline != shadow {
            self.0.push(Difference {
                kind,
                object: object.to_string(),
                aspect,
                offline: offline.clone(),
                shadow: shadow.clone(),
            });
        }
    }
}

/// Calls `each` for every key of either map, in key order.
fn pairs<K: Ord + Clone, V>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
    mut each: impl FnMut(&K, Option<&V>, Option<&V>),
) {
    let mut keys: Vec<&K> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        each(key, a.get(key), b.get(key));
    }
}

fn table_summary(t: &Table) -> String {
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect();
    format!("table ({})", columns.join(", "))
}

fn table(out: &mut Out, a: &Table, b: &Table) {
    let object = a.name.to_string();
    out.aspect("table", &object, "comment", &a.comment, &b.comment);
    let rls = |t: &Table| {
        Some(
            match (t.rls_enabled, t.rls_forced) {
                (false, false) => "disabled",
                (true, false) => "enabled",
                (true, true) => "enabled, forced",
                (false, true) => "disabled (forced)",
            }
            .to_string(),
        )
    };
    out.aspect("table", &object, "row level security", &rls(a), &rls(b));

    let a_cols: BTreeMap<_, _> = a.columns.iter().map(|c| (c.name.clone(), c)).collect();
    let b_cols: BTreeMap<_, _> = b.columns.iter().map(|c| (c.name.clone(), c)).collect();
    pairs(&a_cols, &b_cols, |name, x, y| {
        let object = format!("{object}.{name}");
        match (x, y) {
            (Some(x), Some(y)) => column(out, &object, x, y),
            _ => out.exists(
                "column",
                &object,
                x.map(|c| column_summary(c)),
                y.map(|c| column_summary(c)),
            ),
        }
    });
    // Order only matters among columns both sides have (the rest is reported above).
    let common = |cols: &[Column], other: &BTreeMap<schema::Ident, &Column>| {
        let names: Vec<String> = cols
            .iter()
            .filter(|c| other.contains_key(&c.name))
            .map(|c| c.name.to_string())
            .collect();
        names.join(", ")
    };
    out.aspect(
        "table",
        &object,
        "column order",
        &Some(common(&a.columns, &b_cols)),
        &Some(common(&b.columns, &a_cols)),
    );

    let pk = |t: &Table| {
        t.primary_key
            .as_ref()
            .map(|pk| format!("{} ({})", pk.name, column_list(&pk.columns)))
    };
    if a.primary_key.is_some() && b.primary_key.is_some() {
        out.aspect("primary key", &object, "definition", &pk(a), &pk(b));
    } else if a.primary_key.is_some() || b.primary_key.is_some() {
        out.exists("primary key", &object, pk(a), pk(b));
    }

    pairs(&a.constraints, &b.constraints, |name, x, y| {
        let object = format!("{object}.{name}");
        let def = |c: &schema::Constraint| constraint_def(c);
        match (x, y) {
            (Some(x), Some(y)) => out.aspect(
                "constraint",
                &object,
                "definition",
                &Some(def(x)),
                &Some(def(y)),
            ),
            _ => out.exists("constraint", &object, x.map(def), y.map(def)),
        }
    });
}

fn column_summary(c: &Column) -> String {
    let mut text = format!("{} {}", c.name, c.ty);
    if let Some(g) = &c.generated {
        text.push_str(&format!(" GENERATED ALWAYS AS ({}) STORED", g.sql()));
    }
    if let Some(i) = c.identity {
        text.push(' ');
        text.push_str(identity_sql(i));
    }
    if let Some(d) = &c.default {
        text.push_str(&format!(" DEFAULT {}", d.sql()));
    }
    if !c.nullable {
        text.push_str(" NOT NULL");
    }
    text
}

fn column(out: &mut Out, object: &str, a: &Column, b: &Column) {
    let text = |s: &dyn fmt::Display| Some(s.to_string());
    out.aspect("column", object, "type", &text(&a.ty), &text(&b.ty));
    let nullable = |c: &Column| Some(if c.nullable { "NULL" } else { "NOT NULL" }.to_string());
    out.aspect("column", object, "nullable", &nullable(a), &nullable(b));
    let expr = |e: &Option<schema::Expr>| e.as_ref().map(|e| e.sql().to_string());
    out.aspect(
        "column",
        object,
        "default",
        &expr(&a.default),
        &expr(&b.default),
    );
    let identity = |c: &Column| c.identity.map(|i| identity_sql(i).to_string());
    out.aspect("column", object, "identity", &identity(a), &identity(b));
    out.aspect(
        "column",
        object,
        "generated",
        &expr(&a.generated),
        &expr(&b.generated),
    );
    out.aspect("column", object, "comment", &a.comment, &b.comment);
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::{
        Constraint, ConstraintKind, Enum, Expr, Extension, Ident, Index, IndexKey, IndexTarget,
        PrimaryKey, QualName, Schema, SqlType,
    };

    fn base() -> Catalog {
        let mut c = Catalog::default();
        c.schemas.insert(
            Ident::new("core"),
            Schema {
                name: Ident::new("core"),
                comment: None,
            },
        );
        c.extensions.insert(
            Ident::new("pgcrypto"),
            Extension {
                name: Ident::new("pgcrypto"),
                schema: None,
            },
        );
        c.enums.insert(
            QualName::from("core.status"),
            Enum {
                name: QualName::from("core.status"),
                values: vec!["a".into(), "b".into()],
                comment: None,
            },
        );
        let mut t = Table::new(QualName::from("core.shows"));
        let mut id = Column::new(Ident::new("id"), SqlType::parse("uuid").unwrap());
        id.nullable = false;
        t.columns.push(id);
        t.columns.push(Column::new(
            Ident::new("title"),
            SqlType::parse("text").unwrap(),
        ));
        t.primary_key = Some(PrimaryKey {
            name: Ident::new("shows_pkey"),
            columns: vec![Ident::new("id")],
        });
        t.constraints.insert(
            Ident::new("shows_title_check"),
            Constraint {
                name: Ident::new("shows_title_check"),
                kind: ConstraintKind::Check {
                    expr: Expr::parse("title <> ''").unwrap(),
                    no_inherit: false,
                },
            },
        );
        c.tables.insert(t.name.clone(), t);
        c.indexes.insert(
            QualName::from("core.shows_title"),
            Index {
                name: QualName::from("core.shows_title"),
                table: QualName::from("core.shows"),
                unique: false,
                method: "btree".into(),
                keys: vec![IndexKey {
                    target: IndexTarget::Column(Ident::new("title")),
                    collation: None,
                    opclass: None,
                    descending: false,
                    nulls_first: false,
                }],
                include: vec![],
                predicate: None,
                nulls_not_distinct: false,
                with: BTreeMap::new(),
                comment: None,
            },
        );
        c
    }

    fn lines(offline: &Catalog, shadow: &Catalog) -> Vec<String> {
        compare(offline, shadow)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn equal_catalogs_agree() {
        assert!(compare(&base(), &base()).is_empty());
    }

    #[test]
    fn every_object_kind_is_named_with_both_sides() {
        let offline = base();
        let mut shadow = base();
        shadow.schemas.get_mut(&Ident::new("core")).unwrap().comment = Some("TRR".into());
        shadow
            .extensions
            .get_mut(&Ident::new("pgcrypto"))
            .unwrap()
            .schema = Some(Ident::new("extensions"));
        shadow.extensions.insert(
            Ident::new("pg_trgm"),
            Extension {
                name: Ident::new("pg_trgm"),
                schema: None,
            },
        );
        shadow
            .enums
            .get_mut(&QualName::from("core.status"))
            .unwrap()
            .values
            .push("c".into());
        let t = shadow
            .tables
            .get_mut(&QualName::from("core.shows"))
            .unwrap();
        t.columns[1].ty = SqlType::parse("varchar(10)").unwrap();
        t.columns[1].nullable = false;
        t.columns[1].default = Some(Expr::parse("'x'").unwrap());
        t.columns.push(Column::new(
            Ident::new("extra"),
            SqlType::parse("int").unwrap(),
        ));
        t.primary_key = None;
        t.constraints.clear();
        t.comment = Some("shows".into());
        shadow
            .indexes
            .get_mut(&QualName::from("core.shows_title"))
            .unwrap()
            .unique = true;
        let mut ghost = Table::new(QualName::from("core.ghost"));
        ghost
            .columns
            .push(Column::new(Ident::new("a"), SqlType::parse("int").unwrap()));
        let mut offline = offline;
        offline.tables.insert(ghost.name.clone(), ghost);

        insta::assert_snapshot!(lines(&offline, &shadow).join("\n"), @r#"
        schema core comment: offline (absent), PostgreSQL TRR
        extension pg_trgm: only in PostgreSQL: pg_trgm (default schema)
        extension pgcrypto schema: offline (absent), PostgreSQL extensions
        enum core.status values: offline ('a', 'b'), PostgreSQL ('a', 'b', 'c')
        table core.ghost: only in the offline replay: table (a integer)
        table core.shows comment: offline (absent), PostgreSQL shows
        column core.shows.extra: only in PostgreSQL: extra integer
        column core.shows.title type: offline text, PostgreSQL character varying(10)
        column core.shows.title nullable: offline NULL, PostgreSQL NOT NULL
        column core.shows.title default: offline (absent), PostgreSQL 'x'
        primary key core.shows: only in the offline replay: shows_pkey (id)
        constraint core.shows.shows_title_check: only in the offline replay: CONSTRAINT shows_title_check CHECK (title <> '')
        index core.shows_title definition: offline CREATE INDEX shows_title ON core.shows (title), PostgreSQL CREATE UNIQUE INDEX shows_title ON core.shows (title)
        "#);
    }

    #[test]
    fn casts_postgres_adds_are_not_differences() {
        let offline = base();
        let mut shadow = base();
        let t = shadow
            .tables
            .get_mut(&QualName::from("core.shows"))
            .unwrap();
        t.columns[1].default = Some(Expr::parse("'draft'::varchar").unwrap());
        t.columns[0].default = Some(Expr::parse("'-1'::integer").unwrap());
        t.columns[0].generated = Some(Expr::parse("(a + b::numeric)::text").unwrap());
        t.constraints.values_mut().next().unwrap().kind = ConstraintKind::Check {
            expr: Expr::parse(
                "(title <> ''::text) AND (title = ANY (ARRAY['a'::text, 'b'::text])) \
                 AND (title <> 'c'::text) AND ((id >= 1) AND (id <= 9)) \
                 AND ((id < 1) OR (id > 9))",
            )
            .unwrap(),
            no_inherit: false,
        };
        let mut offline = offline;
        let t = offline
            .tables
            .get_mut(&QualName::from("core.shows"))
            .unwrap();
        t.columns[1].default = Some(Expr::parse("'draft'").unwrap());
        t.columns[0].default = Some(Expr::parse("-1").unwrap());
        t.columns[0].generated = Some(Expr::parse("a + b").unwrap());
        t.constraints.values_mut().next().unwrap().kind = ConstraintKind::Check {
            expr: Expr::parse(
                "title <> '' AND title IN ('a', 'b') AND title NOT IN ('c') \
                 AND id BETWEEN 1 AND 9 AND id NOT BETWEEN 1 AND 9",
            )
            .unwrap(),
            no_inherit: false,
        };
        assert_eq!(lines(&offline, &shadow), Vec::<String>::new());

        // A real difference is shown as each side spells it.
        let t = offline
            .tables
            .get_mut(&QualName::from("core.shows"))
            .unwrap();
        t.columns[1].default = Some(Expr::parse("'final'").unwrap());
        assert_eq!(
            lines(&offline, &shadow),
            [
                "column core.shows.title default: offline 'final', PostgreSQL 'draft'::character varying"
            ]
        );

        // A checkpoint keeps the offline spelling where the two agree.
        let kept = prefer_offline_spelling(&shadow, &offline);
        let t = &kept.tables[&QualName::from("core.shows")];
        assert_eq!(t.columns[0].default.as_ref().unwrap().sql(), "-1");
        assert_eq!(
            t.columns[1].default.as_ref().unwrap().sql(),
            "'draft'::character varying"
        );
        assert_eq!(
            t.constraints.values().next().map(constraint_def).unwrap(),
            "CONSTRAINT shows_title_check CHECK (((((title <> '') AND (title = ANY(ARRAY['a', 'b']))) AND (title <> 'c')) AND (id BETWEEN 1 AND 9)) AND (id NOT BETWEEN 1 AND 9))"
        );
        assert!(compare(&kept, &shadow).is_empty());
    }

    #[test]
    fn column_order_identity_and_generated() {
        let offline = base();
        let mut shadow = base();
        let t = shadow
            .tables
            .get_mut(&QualName::from("core.shows"))
            .unwrap();
        t.columns.swap(0, 1);
        t.columns[1].identity = Some(schema::Identity::Always);
        t.columns[0].generated = Some(Expr::parse("upper(x)").unwrap());
        assert_eq!(
            lines(&offline, &shadow),
            [
                "column core.shows.id identity: offline (absent), PostgreSQL GENERATED ALWAYS AS IDENTITY",
                "column core.shows.title generated: offline (absent), PostgreSQL upper(x)",
                "table core.shows column order: offline id, title, PostgreSQL title, id",
            ]
        );
        // Both sides are kept as data, for the JSON report.
        let d = &compare(&offline, &shadow)[0];
        assert_eq!(
            (d.kind, d.object.as_str(), d.aspect),
            ("column", "core.shows.id", "identity")
        );
        assert_eq!(d.offline, None);
    }
}

/// The security surface: what the offline replay stores (as written) against
/// what PostgreSQL 15 prints for it (strings copied from the server).
#[cfg(test)]
mod security_tests {
    use super::*;
    use schema::{
        ArgMode, CheckOption, FunctionId, Parallel, PolicyCommand, QualName, SqlType, Volatility,
    };

    fn policy(name: &str, using: &str, check: Option<&str>) -> Policy {
        Policy {
            name: Ident::new(name),
            table: QualName::from("core.shows"),
            permissive: true,
            command: PolicyCommand::All,
            roles: vec![Ident::new("authenticated")],
            using: Some(Expr::parse(using).unwrap()),
            check: check.map(|c| Expr::parse(c).unwrap()),
        }
    }

    fn view(name: &str, columns: &[&str], query: &str) -> View {
        View {
            name: QualName::from(name),
            materialized: false,
            columns: columns.iter().map(|c| Ident::new(*c)).collect(),
            query: Query::parse(query).unwrap(),
            security_invoker: false,
            security_barrier: false,
            check_option: None,
            comment: None,
        }
    }

    fn function(default: &str) -> Function {
        Function {
            name: QualName::from("core.is_member"),
            args: vec![FunctionArg {
                mode: ArgMode::In,
                name: Some(Ident::new("min_role")),
                ty: SqlType::parse("text").unwrap(),
                default: Some(Expr::parse(default).unwrap()),
            }],
            returns: FunctionReturn::Type {
                ty: SqlType::parse("boolean").unwrap(),
            },
            language: "sql".into(),
            body: "select true".into(),
            volatility: Volatility::Stable,
            strict: false,
            security_definer: true,
            leakproof: false,
            parallel: Parallel::Unsafe,
            config: [("search_path".to_string(), "\"\"".to_string())].into(),
            comment: None,
        }
    }

    fn trigger(when: &str) -> Trigger {
        Trigger {
            name: Ident::new("touch"),
            table: QualName::from("core.shows"),
            timing: TriggerTiming::Before,
            events: vec![TriggerEvent::Update { columns: vec![] }],
            for_each_row: true,
            when: Some(Expr::parse(when).unwrap()),
            function: QualName::from("core.touch"),
            args: vec![],
        }
    }

    fn with<K: Ord, T: Clone>(items: &[T], key: impl Fn(&T) -> K, into: &mut BTreeMap<K, T>) {
        for item in items {
            into.insert(key(item), item.clone());
        }
    }

    /// Offline and shadow Catalogs holding one of each kind, `offline`
    /// as a user writes it and `shadow` as PostgreSQL prints it.
    fn pair() -> (Catalog, Catalog) {
        let mut offline = Catalog::default();
        let mut shadow = Catalog::default();
        with(
            &[
                policy(
                    "owner",
                    "owner_id = (select auth.uid())",
                    Some("(owner_id = (select auth.uid()))"),
                ),
                policy(
                    "role",
                    "(select auth.jwt() ->> 'app_role') = any (array['editor', 'admin'])",
                    None,
                ),
                policy(
                    "org",
                    "org_id in (select org_id from core.memberships where user_id = auth.uid() and role in ('admin'))",
                    None,
                ),
            ],
            Policy::key,
            &mut offline.policies,
        );
        with(
            &[
                policy(
                    "owner",
                    "owner_id = (( SELECT auth.uid() AS uid))",
                    Some("owner_id = (( SELECT auth.uid() AS uid))"),
                ),
                policy(
                    "role",
                    "(( SELECT auth.jwt() ->> 'app_role'::text)) = ANY (ARRAY['editor'::text, 'admin'::text])",
                    None,
                ),
                policy(
                    "org",
                    "(org_id IN ( SELECT memberships.org_id\n   FROM core.memberships\n  WHERE memberships.user_id = auth.uid() AND (memberships.role = 'admin'::text)))",
                    None,
                ),
            ],
            Policy::key,
            &mut shadow.policies,
        );
        with(
            &[
                view(
                    "core.renamed",
                    &["a", "b"],
                    "select id, title from core.shows",
                ),
                view(
                    "core.counts",
                    &[],
                    "select org_id, count(*) from core.shows where title <> 'x' group by org_id",
                ),
            ],
            |v| v.name.clone(),
            &mut offline.views,
        );
        with(
            &[
                view(
                    "core.renamed",
                    &[],
                    " SELECT shows.id AS a,\n    shows.title AS b\n   FROM core.shows;",
                ),
                view(
                    "core.counts",
                    &[],
                    " SELECT shows.org_id,\n    count(*) AS count\n   FROM core.shows\n  WHERE shows.title <> 'x'::text\n  GROUP BY shows.org_id;",
                ),
            ],
            |v| v.name.clone(),
            &mut shadow.views,
        );
        with(
            &[function("'viewer'")],
            Function::id,
            &mut offline.functions,
        );
        with(
            &[function("'viewer'::text")],
            Function::id,
            &mut shadow.functions,
        );
        with(
            &[trigger("OLD.* is distinct from NEW.*")],
            Trigger::key,
            &mut offline.triggers,
        );
        with(
            &[trigger("old.* IS DISTINCT FROM new.*")],
            Trigger::key,
            &mut shadow.triggers,
        );
        (offline, shadow)
    }

    fn lines(offline: &Catalog, shadow: &Catalog) -> Vec<String> {
        compare(offline, shadow)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn postgres_spellings_are_not_differences() {
        let (offline, shadow) = pair();
        assert_eq!(lines(&offline, &shadow), Vec::<String>::new());
        // A checkpoint keeps the spelling of the offline replay.
        let kept = prefer_offline_spelling(&shadow, &offline);
        assert_eq!(kept.policies, offline.policies);
        assert_eq!(kept.views, offline.views);
        assert_eq!(kept.functions, offline.functions);
        assert_eq!(kept.triggers, offline.triggers);
    }

    #[test]
    fn real_differences_are_named_by_aspect() {
        let (mut offline, shadow) = pair();
        let key = (QualName::from("core.shows"), Ident::new("owner"));
        let owner = offline.policies.get_mut(&key).unwrap();
        owner.using = Some(Expr::parse("owner_id = auth.uid() or true").unwrap());
        owner.command = PolicyCommand::Update;
        owner.roles = vec![Ident::new("anon"), Ident::new("authenticated")];
        owner.permissive = false;
        let renamed = offline
            .views
            .get_mut(&QualName::from("core.renamed"))
            .unwrap();
        renamed.columns = vec![Ident::new("a"), Ident::new("c")];
        renamed.check_option = Some(CheckOption::Local);
        let f = offline.functions.values_mut().next().unwrap();
        f.body = "select false".into();
        f.security_definer = false;
        f.config.clear();
        let t = offline.triggers.values_mut().next().unwrap();
        t.when = Some(Expr::parse("old.title <> new.title").unwrap());
        t.events.push(TriggerEvent::Delete);
        // `old.` and `new.` are not qualifiers to drop.
        let mut shadow = shadow;
        shadow.triggers.values_mut().next().unwrap().when =
            Some(Expr::parse("old.title <> old.title").unwrap());

        insta::assert_snapshot!(lines(&offline, &shadow).join("\n"), @r#"
        view core.renamed query: offline SELECT id AS a, title AS c FROM core.shows, PostgreSQL SELECT shows.id AS a, shows.title AS b FROM core.shows
        view core.renamed check option: offline LOCAL, PostgreSQL (absent)
        function core.is_member(text) body: offline select false, PostgreSQL select true
        function core.is_member(text) security: offline INVOKER, PostgreSQL DEFINER
        function core.is_member(text) config: offline (absent), PostgreSQL search_path=""
        policy core.shows.owner as: offline RESTRICTIVE, PostgreSQL PERMISSIVE
        policy core.shows.owner command: offline UPDATE, PostgreSQL ALL
        policy core.shows.owner roles: offline anon, authenticated, PostgreSQL authenticated
        policy core.shows.owner using: offline (owner_id = auth.uid()) OR true, PostgreSQL owner_id = (SELECT auth.uid())
        trigger core.shows.touch events: offline UPDATE OR DELETE, PostgreSQL UPDATE
        trigger core.shows.touch when: offline old.title <> new.title, PostgreSQL old.title <> old.title
        "#);
    }

    #[test]
    fn rls_grants_and_default_privileges() {
        let mut offline = Catalog::default();
        let mut shadow = Catalog::default();
        let mut table = Table::new(QualName::from("core.shows"));
        table.rls_enabled = true;
        offline.tables.insert(table.name.clone(), table.clone());
        table.rls_forced = true;
        shadow.tables.insert(table.name.clone(), table);
        let grant = |on: GrantTarget, grantee: &str, privilege, grantable| Grant {
            on,
            grantee: Ident::new(grantee),
            privilege,
            grantable,
        };
        let shows = GrantTarget::Table {
            table: QualName::from("core.shows"),
        };
        let is_member = GrantTarget::Function {
            function: FunctionId {
                name: QualName::from("core.is_member"),
                arg_types: vec![SqlType::parse("uuid").unwrap()],
            },
        };
        offline.grants.extend([
            grant(shows.clone(), "anon", Privilege::Select, false),
            grant(shows.clone(), "authenticated", Privilege::Select, false),
            grant(shows.clone(), "authenticated", Privilege::Insert, false),
            grant(is_member.clone(), "public", Privilege::Execute, false),
        ]);
        shadow.grants.extend([
            grant(shows.clone(), "authenticated", Privilege::Insert, true),
            grant(shows.clone(), "authenticated", Privilege::Select, false),
            grant(
                GrantTarget::Column {
                    table: QualName::from("core.shows"),
                    column: Ident::new("title"),
                },
                "authenticated",
                Privilege::Update,
                false,
            ),
            grant(
                GrantTarget::Sequence {
                    sequence: QualName::from("core.shows_n_seq"),
                },
                "service_role",
                Privilege::Usage,
                false,
            ),
            grant(is_member, "public", Privilege::Execute, false),
        ]);
        offline
            .default_privileges
            .extend(schema::security::builtin_default_privileges());
        shadow.default_privileges.insert(DefaultPrivilege {
            schema: Some(Ident::new("core")),
            objects: ObjectClass::Table,
            grantee: Ident::new("authenticated"),
            privilege: Privilege::Select,
            grantable: false,
        });
        insta::assert_snapshot!(lines(&offline, &shadow).join("\n"), @r#"
        table core.shows row level security: offline enabled, PostgreSQL enabled, forced
        grant TABLE core.shows to anon privileges: offline SELECT, PostgreSQL (absent)
        grant TABLE core.shows to authenticated privileges: offline SELECT, INSERT, PostgreSQL SELECT, INSERT*
        grant TABLE core.shows (title) to authenticated privileges: offline (absent), PostgreSQL UPDATE
        grant SEQUENCE core.shows_n_seq to service_role privileges: offline (absent), PostgreSQL USAGE
        default privileges global on functions to public privileges: offline EXECUTE, PostgreSQL (absent)
        default privileges global on types to public privileges: offline USAGE, PostgreSQL (absent)
        default privileges in schema core on tables to authenticated privileges: offline (absent), PostgreSQL SELECT
        "#);
    }
}
