//! `function` nodes (top level): signature, attributes, `set` settings,
//! the body, and grants on the function.

use super::column::expression;
use super::errors::{Diag, Loc, Sink};
use super::grant::{GrantEdit, GrantOn, read_grant};
use super::objects::{read_comment, unknown_node};
use super::parse::{NodeView, describe, ident, is_sql_word, qual_name};
use crate::ident::Ident;
use crate::routines::{
    ArgMode, Function, FunctionArg, FunctionReturn, Parallel, Volatility, function_type,
    normalize_body,
};
use kdl::KdlValue;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct FunctionDecl {
    pub function: Function,
    pub name_at: Loc,
    pub grants: Vec<GrantEdit>,
}

const PROPS: &[&str] = &[
    "returns",
    "language",
    "volatility",
    "security",
    "parallel",
    "strict",
    "leakproof",
];
const CHILDREN: &[&str] = &[
    "arg",
    "set",
    "strict",
    "leakproof",
    "body",
    "grant",
    "revoke",
    "comment",
];

pub fn read_function(v: NodeView<'_>, sink: &mut Sink) -> Option<FunctionDecl> {
    v.check_props(PROPS, sink);
    v.max_args(1, "one function name (arguments are `arg` children)", sink);
    let example = "function core.f returns=boolean language=sql { body \"select true\" }";
    let (written, name_at) = v.req_arg(0, "a function name", example, sink)?;
    let name = qual_name(&written, name_at, "function", sink);
    if written.contains('(') {
        sink.push(
            Diag::new(
                name_at,
                format!("`{written}` is not a function name"),
                "no parentheses here",
            )
            .help("write the name alone; each argument is an `arg name type` child in the block"),
        );
    }
    let returns = match v.prop_string("returns", "a return type", sink) {
        Some((s, at)) => parse_returns(&s, at, sink),
        None => {
            if !v.has_prop("returns") {
                sink.push(
                    Diag::new(v.name_loc(), format!("function {written} does not say what it returns"), "expected returns= here")
                        .help("write returns=<type>, returns=\"setof <type>\", returns=\"table (a int, b text)\", returns=trigger or returns=void"),
                );
            }
            None
        }
    };
    let language = match v.prop_string("language", "a language name", sink) {
        Some((s, at)) => {
            let lower = s.to_lowercase();
            if !is_sql_word(&lower) {
                sink.push(
                    Diag::new(at, format!("`{s}` is not a language name"), "expected a name such as sql or plpgsql")
                        .help("a language is a plain name (letters, digits, `_`): language=sql, language=plpgsql"),
                );
            }
            Some(lower)
        }
        None => {
            if !v.has_prop("language") {
                sink.push(
                    Diag::new(
                        v.name_loc(),
                        format!("function {written} does not say its language"),
                        "expected language= here",
                    )
                    .help("write language=sql or language=plpgsql"),
                );
            }
            None
        }
    };
    let volatility = match v.prop_choice("volatility", &["volatile", "stable", "immutable"], sink) {
        Some("stable") => Volatility::Stable,
        Some("immutable") => Volatility::Immutable,
        _ => Volatility::Volatile,
    };
    let security_definer =
        v.prop_choice("security", &["invoker", "definer"], sink) == Some("definer");
    let parallel = parallel_of(v.prop_choice("parallel", &["safe", "restricted", "unsafe"], sink));
    let mut strict = v.prop_bool("strict", sink);
    let mut leakproof = v.prop_bool("leakproof", sink);

    let mut args = Vec::new();
    let mut config = BTreeMap::new();
    let mut body = None;
    let mut comment = None;
    let mut grants = Vec::new();
    v.single_children(&["body", "comment", "strict", "leakproof"], sink);
    for c in v.children() {
        match c.name() {
            "arg" => args.extend(read_arg(c, sink)),
            "set" => read_set(c, &mut config, sink),
            "strict" | "leakproof" => {
                c.check_props(&[], sink);
                c.no_children(sink);
                c.max_args(0, "nothing (its presence is the setting)", sink);
                if c.name() == "strict" {
                    strict = true;
                } else {
                    leakproof = true;
                }
            }
            "body" => {
                c.check_props(&[], sink);
                c.no_children(sink);
                c.max_args(1, "one string: the function's source", sink);
                body = c
                    .req_arg(0, "the function's source", "body \"select 1\"", sink)
                    .map(|(s, _)| normalize_body(&s));
            }
            "grant" | "revoke" => grants.extend(read_grant(c, GrantOn::Function, sink)),
            "comment" => comment = read_comment(c, sink),
            _ => unknown_node(c, "in a `function` block", CHILDREN, sink),
        }
    }
    if body.is_none() && !v.children().iter().any(|c| c.name() == "body") {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("function {written} has no body"),
                "expected a `body` child",
            )
            .help("add `body r#\"…\"#` with the source between the dollar quotes"),
        );
    }
    Some(FunctionDecl {
        function: Function {
            name: name?,
            args,
            returns: returns?,
            language: language?,
            body: body?,
            volatility,
            strict,
            security_definer,
            leakproof,
            parallel,
            config,
            comment,
        },
        name_at,
        grants,
    })
}

fn parallel_of(choice: Option<&str>) -> Parallel {
    match choice {
        Some("safe") => Parallel::Safe,
        Some("restricted") => Parallel::Restricted,
        _ => Parallel::Unsafe,
    }
}

/// `arg name type [mode=…] [default=…]`, `arg name type=…`, `arg type=…`.
fn read_arg(v: NodeView<'_>, sink: &mut Sink) -> Option<FunctionArg> {
    v.check_props(&["type", "mode", "default"], sink);
    v.no_children(sink);
    v.max_args(2, "a name and a type", sink);
    let args = v.rest_args(0, "an argument name or type", sink);
    let type_prop = v.prop_string("type", "a type", sink);
    let (name, ty) = match (args.as_slice(), type_prop) {
        ([(n, nat)], Some(t)) => (Some((n.clone(), *nat)), Some(t)),
        ([], Some(t)) => (None, Some(t)),
        ([(n, nat), t], None) => (Some((n.clone(), *nat)), Some(t.clone())),
        ([(n, nat)], None) => {
            sink.push(
                Diag::new(
                    *nat,
                    format!("argument `{n}` has no type"),
                    "expected a type after the name",
                )
                .help(format!("write `arg {n} uuid` or `arg {n} type=uuid`")),
            );
            (None, None)
        }
        (_, _) => {
            sink.push(
                Diag::new(v.name_loc(), "`arg` takes a name and a type", "name or type missing, or given twice")
                    .help("write `arg org_id uuid`, `arg org_id type=uuid`, or `arg type=uuid` for an unnamed argument"),
            );
            (None, None)
        }
    };
    let name = name.and_then(|(n, at)| ident(&n, at, "argument", sink));
    let ty = ty.and_then(|(t, at)| match function_type(&t) {
        Ok(ty) => Some(ty),
        Err(e) => {
            sink.push(
                Diag::new(at, format!("`{t}` is not a type: {}", e.reason), "bad type")
                    .help("write a PostgreSQL type such as uuid, text, integer, \"text[]\""),
            );
            None
        }
    })?;
    let mode = match v.prop_choice("mode", &["in", "out", "inout", "variadic"], sink) {
        Some("out") => ArgMode::Out,
        Some("inout") => ArgMode::InOut,
        Some("variadic") => ArgMode::Variadic,
        _ => ArgMode::In,
    };
    let default = v
        .prop_sql("default", sink)
        .and_then(|(s, at)| expression(&s, at, "argument default", sink));
    Some(FunctionArg {
        mode,
        name,
        ty,
        default,
    })
}

/// `set search_path=""`: one setting per node, stored as PostgreSQL's
/// `proconfig` prints it (a list setting's empty element is `""`).
fn read_set(v: NodeView<'_>, config: &mut BTreeMap<String, String>, sink: &mut Sink) {
    v.no_children(sink);
    v.max_args(
        0,
        "one name=value property, e.g. `set search_path=\"\"`",
        sink,
    );
    let props: Vec<_> = v.props().collect();
    if props.len() != 1 {
        sink.push(
            Diag::new(
                v.name_loc(),
                "`set` takes exactly one setting",
                "one name=value expected",
            )
            .help("write one `set` per setting: `set search_path=\"\"`"),
        );
        return;
    }
    let e = props[0];
    let key = e
        .name()
        .map(|n| n.value().to_lowercase())
        .unwrap_or_default();
    if !key.split('.').all(is_sql_word) {
        sink.push(
            Diag::new(
                v.entry_loc(e),
                format!("`{key}` is not a setting name"),
                "expected a name such as search_path",
            )
            .help("a setting is a plain name, or two joined by a dot for a custom one: `set search_path=\"\"`, `set app.tenant=\"x\"`"),
        );
        return;
    }
    let value = match e.value() {
        KdlValue::String(s) => s.clone(),
        KdlValue::Integer(i) => i.to_string(),
        KdlValue::Float(f) => f.to_string(),
        KdlValue::Bool(b) => {
            if *b {
                "on".into()
            } else {
                "off".into()
            }
        }
        other => {
            sink.push(
                Diag::new(
                    v.entry_loc(e),
                    format!("`set {key}=` expects a value, found {}", describe(other)),
                    "wrong value type",
                )
                .help("write the value as a string"),
            );
            return;
        }
    };
    let stored = if key == "search_path" {
        search_path_config(&value)
    } else {
        value
    };
    if config.insert(key.clone(), stored).is_some() {
        sink.push(
            Diag::new(
                v.entry_loc(e),
                format!("`{key}` is set twice"),
                "set again here",
            )
            .help("keep one `set` per setting"),
        );
    }
}

/// `search_path` as `proconfig` holds it: elements separated by `, `, an
/// empty element `""`, one that needs quotes quoted.
pub fn search_path_config(value: &str) -> String {
    value
        .split(',')
        .map(str::trim)
        .map(|p| {
            if p.is_empty() {
                "\"\"".to_string()
            } else if is_quoted_name(p)
                || (crate::ident::is_bare_identifier(p) && p == p.to_lowercase())
                || p == "$user"
            {
                p.to_string()
            } else {
                format!("\"{}\"", p.replace('"', "\"\""))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `"Name"` with every inner quote doubled: one quoted identifier.
fn is_quoted_name(part: &str) -> bool {
    part.strip_prefix('"')
        .and_then(|p| p.strip_suffix('"'))
        .is_some_and(|inner| !inner.is_empty() && !inner.replace("\"\"", "").contains('"'))
}

/// `returns=`: a type, `setof <type>`, `table (name type, …)`.
fn parse_returns(written: &str, at: Loc, sink: &mut Sink) -> Option<FunctionReturn> {
    let trimmed = written.trim();
    let lower = trimmed.to_lowercase();
    let bad = |why: String, sink: &mut Sink| {
        sink.push(
            Diag::new(at, format!("`{written}` is not a return type: {why}"), "bad return type")
                .help("write returns=<type>, returns=\"setof <type>\", returns=\"table (a int, b text)\", returns=trigger or returns=void"),
        );
        None
    };
    if let Some(rest) = lower.strip_prefix("setof ") {
        let ty = trimmed[trimmed.len() - rest.len()..].trim();
        return match function_type(ty) {
            Ok(ty) => Some(FunctionReturn::SetOf { ty }),
            Err(e) => bad(e.reason, sink),
        };
    }
    if lower.starts_with("table") && lower[5..].trim_start().starts_with('(') {
        let inner = trimmed[5..].trim();
        let Some(inner) = inner.strip_prefix('(').and_then(|i| i.strip_suffix(')')) else {
            return bad("the column list must be in parentheses".into(), sink);
        };
        let mut columns = Vec::new();
        for part in split_top_level(inner) {
            let part = part.trim();
            let Some((n, t)) = part.split_once(char::is_whitespace) else {
                return bad(format!("`{part}` needs a name and a type"), sink);
            };
            let Some(name) = crate::ident::split_qualified(n)
                .filter(|p| p.len() == 1 && crate::ident::is_well_formed(n))
            else {
                return bad(format!("`{n}` is not a column name"), sink);
            };
            match function_type(t.trim()) {
                Ok(ty) => columns.push((Ident::from_sql(&name[0]), ty)),
                Err(e) => return bad(e.reason, sink),
            }
        }
        if columns.is_empty() {
            return bad("a table needs at least one column".into(), sink);
        }
        return Some(FunctionReturn::Table { columns });
    }
    match function_type(trimmed) {
        Ok(ty) => Some(FunctionReturn::Type { ty }),
        Err(e) => bad(e.reason, sink),
    }
}

/// Splits at commas outside parentheses (`numeric(10,2)` stays whole).
fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::search_path_config;
    use crate::lang::test_util::errors;

    #[test]
    fn languages_and_setting_names_are_plain_words() {
        let e = errors(
            "function core.f returns=text language=#\"sql as $$ select 1::text $$; create table public.pwned(x int); create function core.zz() returns text language sql\"# { body \"select 'a'\" }",
        );
        assert!(e.contains("is not a language name"), "{e}");
        let e = errors(
            "function core.f returns=text language=sql { body \"select 'a'\"; set #\"search_path = public as $$ x $$; create table t(x int); --\"#=x }",
        );
        assert!(e.contains("is not a setting name"), "{e}");
    }

    #[test]
    fn search_paths_are_stored_as_proconfig_prints_them() {
        assert_eq!(search_path_config(""), "\"\"");
        assert_eq!(
            search_path_config("public, extensions"),
            "public, extensions"
        );
        assert_eq!(search_path_config("Odd"), "\"Odd\"");
        assert_eq!(search_path_config("\"Odd\""), "\"Odd\"");
        assert_eq!(
            search_path_config("\"a\"; drop table t; select \"b\""),
            "\"\"\"a\"\"; drop table t; select \"\"b\"\"\""
        );
    }
}
