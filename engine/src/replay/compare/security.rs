//! Comparisons of the security surface: grants, default privileges,
//! views, functions, policies and triggers.

use super::*;
use crate::plan::sql::column_list;
use schema::{
    DefaultPrivilege, Expr, Function, FunctionArg, FunctionReturn, Grant, GrantTarget, Ident,
    ObjectClass, Policy, Privilege, Trigger, TriggerEvent, TriggerTiming, View,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// `SELECT, INSERT*` (`*`: with grant option), in privilege order.
pub(super) fn privilege_list<'a>(entries: impl Iterator<Item = (Privilege, bool)> + 'a) -> String {
    let mut entries: Vec<(Privilege, bool)> = entries.collect();
    entries.sort();
    let names: Vec<String> = entries
        .iter()
        .map(|(p, grantable)| format!("{}{}", p.sql(), if *grantable { "*" } else { "" }))
        .collect();
    names.join(", ")
}

/// Privileges per object and grantee.
pub(super) fn grants(out: &mut Out, offline: &BTreeSet<Grant>, shadow: &BTreeSet<Grant>) {
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

pub(super) fn class_name(class: ObjectClass) -> &'static str {
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
pub(super) fn default_privileges(
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

pub(super) fn view_kind(v: &View) -> &'static str {
    if v.materialized {
        "materialized view"
    } else {
        "view"
    }
}

pub(super) fn view_summary(v: &View) -> String {
    let columns = if v.columns.is_empty() {
        String::new()
    } else {
        format!(" ({})", column_list(&v.columns))
    };
    format!("{}{columns} AS {}", view_kind(v), v.query.sql())
}

pub(super) fn view(out: &mut Out, object: &str, a: Option<&View>, b: Option<&View>) {
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

pub(super) fn argument(arg: &FunctionArg) -> String {
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

pub(super) fn returns(r: &FunctionReturn) -> String {
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

pub(super) fn function_summary(f: &Function) -> String {
    let args: Vec<String> = f.args.iter().map(argument).collect();
    format!(
        "({}) RETURNS {} LANGUAGE {}",
        args.join(", "),
        returns(&f.returns),
        f.language
    )
}

pub(super) fn function(out: &mut Out, object: &str, a: Option<&Function>, b: Option<&Function>) {
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

pub(super) fn policy_summary(p: &Policy) -> String {
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

pub(super) fn roles(p: &Policy) -> String {
    let roles: Vec<String> = p.roles.iter().map(|r| r.quoted()).collect();
    roles.join(", ")
}

pub(super) fn policy(out: &mut Out, object: &str, a: Option<&Policy>, b: Option<&Policy>) {
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

pub(super) fn timing(t: &Trigger) -> Option<String> {
    Some(
        match t.timing {
            TriggerTiming::Before => "BEFORE",
            TriggerTiming::After => "AFTER",
            TriggerTiming::InsteadOf => "INSTEAD OF",
        }
        .to_string(),
    )
}

pub(super) fn events(t: &Trigger) -> Option<String> {
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

pub(super) fn trigger_args(t: &Trigger) -> Option<String> {
    let args: Vec<String> = t
        .args
        .iter()
        .map(|a| crate::plan::sql::literal(a))
        .collect();
    Some(args.join(", "))
}

pub(super) fn trigger_summary(t: &Trigger) -> String {
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

pub(super) fn trigger(out: &mut Out, object: &str, a: Option<&Trigger>, b: Option<&Trigger>) {
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
