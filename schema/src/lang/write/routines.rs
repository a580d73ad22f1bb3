//! Functions and triggers as KDL.

use super::grants::object_edits;
use super::text::{name, name_sql, prose, qual_name, sql_value, string};
use crate::catalog::Catalog;
use crate::routines::{
    ArgMode, Function, FunctionReturn, Parallel, Trigger, TriggerEvent, TriggerTiming, Volatility,
};
use crate::security::{GrantTarget, ObjectClass};
use std::fmt::Write as _;

pub fn write_function(out: &mut String, f: &Function, catalog: &Catalog) {
    let _ = write!(out, "function {}", qual_name(&f.name));
    let _ = write!(out, " returns={}", string(&returns(&f.returns)));
    let _ = write!(out, " language={}", string(&f.language));
    match f.volatility {
        Volatility::Volatile => {}
        Volatility::Stable => out.push_str(" volatility=stable"),
        Volatility::Immutable => out.push_str(" volatility=immutable"),
    }
    if f.security_definer {
        out.push_str(" security=definer");
    }
    match f.parallel {
        Parallel::Unsafe => {}
        Parallel::Restricted => out.push_str(" parallel=restricted"),
        Parallel::Safe => out.push_str(" parallel=safe"),
    }
    out.push_str(" {\n");
    for a in &f.args {
        let mut line = "    arg".to_string();
        match &a.name {
            Some(n) => {
                let _ = write!(line, " {} {}", name(n), string(a.ty.as_str()));
            }
            None => {
                let _ = write!(line, " type={}", string(a.ty.as_str()));
            }
        }
        match a.mode {
            ArgMode::In | ArgMode::Table => {}
            ArgMode::Out => line.push_str(" mode=out"),
            ArgMode::InOut => line.push_str(" mode=inout"),
            ArgMode::Variadic => line.push_str(" mode=variadic"),
        }
        if let Some(d) = &a.default {
            let _ = write!(line, " default={}", sql_value(d.sql()));
        }
        let _ = writeln!(out, "{line}");
    }
    for (k, v) in &f.config {
        let value = if k == "search_path" && v == "\"\"" {
            String::new()
        } else {
            v.clone()
        };
        let _ = writeln!(out, "    set {}={}", string(k), prose(&value));
    }
    if f.strict {
        out.push_str("    strict\n");
    }
    if f.leakproof {
        out.push_str("    leakproof\n");
    }
    let _ = writeln!(out, "    body {}", body(&f.body));
    let on = GrantTarget::Function { function: f.id() };
    for line in object_edits(catalog, &on, ObjectClass::Function, "") {
        let _ = writeln!(out, "    {line}");
    }
    if let Some(c) = &f.comment {
        let _ = writeln!(out, "    comment {}", prose(c));
    }
    out.push_str("}\n");
}

/// `returns=` text.
fn returns(r: &FunctionReturn) -> String {
    match r {
        FunctionReturn::Type { ty } => ty.as_str().to_string(),
        FunctionReturn::SetOf { ty } => format!("setof {ty}"),
        FunctionReturn::Table { columns } => {
            let cols: Vec<String> = columns
                .iter()
                .map(|(n, t)| format!("{} {t}", crate::ident::quote_ident(n.as_str())))
                .collect();
            format!("table ({})", cols.join(", "))
        }
    }
}

/// A body: one line in a string, several in a multi-line raw string
/// (the loader removes the indentation again).
fn body(text: &str) -> String {
    if !text.contains('\n') {
        return prose(text);
    }
    let mut hashes = "#".to_string();
    while text.contains(&format!("\"\"\"{hashes}")) {
        hashes.push('#');
    }
    let mut out = format!("{hashes}\"\"\"\n");
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "        {line}");
        }
    }
    let _ = write!(out, "        \"\"\"{hashes}");
    out
}

/// `trigger name timing events … execute=f`.
pub fn trigger(t: &Trigger) -> String {
    let timing = match t.timing {
        TriggerTiming::Before => "before",
        TriggerTiming::After => "after",
        TriggerTiming::InsteadOf => "instead-of",
    };
    let mut line = format!("trigger {} {timing}", name(&t.name));
    let mut of = Vec::new();
    for e in &t.events {
        let word = match e {
            TriggerEvent::Insert => "insert",
            TriggerEvent::Update { columns } => {
                of = columns.iter().map(name_sql).collect();
                "update"
            }
            TriggerEvent::Delete => "delete",
            TriggerEvent::Truncate => "truncate",
        };
        let _ = write!(line, " {word}");
    }
    if !of.is_empty() {
        let _ = write!(line, " of={}", prose(&of.join(" ")));
    }
    if !t.for_each_row {
        line.push_str(" for-each=statement");
    }
    let _ = write!(line, " execute={}", qual_name(&t.function));
    if let Some(w) = &t.when {
        let _ = write!(line, " when={}", sql_value(w.sql()));
    }
    if !t.args.is_empty() {
        let args: Vec<String> = t.args.iter().map(|a| arg(a)).collect();
        let _ = write!(line, " args={}", prose(&args.join(" ")));
    }
    if let Some(old) = &t.old_table {
        let _ = write!(line, " old-table={}", name(old));
    }
    if let Some(new) = &t.new_table {
        let _ = write!(line, " new-table={}", name(new));
    }
    if let Some(d) = t.constraint {
        line.push_str(" constraint=#true");
        line.push_str(match d {
            crate::Deferral::NotDeferrable => "",
            crate::Deferral::DeferrableInitiallyImmediate => " deferrable=#true",
            crate::Deferral::DeferrableInitiallyDeferred => {
                " deferrable=#true initially-deferred=#true"
            }
        });
    }
    line
}

/// A trigger argument, quoted (SQL style) unless it is one plain word.
fn arg(a: &str) -> String {
    if !a.is_empty() && !a.chars().any(|c| c.is_whitespace() || c == '\'') {
        a.to_string()
    } else {
        format!("'{}'", a.replace('\'', "''"))
    }
}
