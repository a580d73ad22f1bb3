//! `EXECUTE`: a constant string (`'ALTER TABLE …'`, `'a' || 'b'`,
//! `format('…%I', 'x')` with constant arguments) is replayed like any
//! statement; anything built at run time (`format(…, r.conname)`,
//! `to_char(now(), …)`) is not followed, and the note guesses its verb and
//! the objects it may touch.

use super::cond::matching;
use super::lexer::{Tok, Token, split_top_op, tokenize};
use crate::replay::notes::{self, MAY_CHANGE, OUTSIDE_MODEL, Remark, Severity};
use schema::{Ident, QualName};
use std::collections::BTreeMap;

/// Variables with a value known at replay time (`None`: set at run time).
pub type Vars = BTreeMap<String, Option<String>>;

/// What `now()` and the other clocks stand for during replay: fixed, so the
/// same history always replays to the same names.
pub const STANDIN_TIME: &str = "2000-01-01 00:00:00+00";

/// Run-time functions and the deterministic value each stands for.
const STANDINS: &[(&str, &str)] = &[
    ("now", STANDIN_TIME),
    ("clock_timestamp", STANDIN_TIME),
    ("statement_timestamp", STANDIN_TIME),
    ("transaction_timestamp", STANDIN_TIME),
    ("current_timestamp", STANDIN_TIME),
    ("localtimestamp", STANDIN_TIME),
    ("current_date", "2000-01-01"),
    ("random", "0.5"),
    ("gen_random_uuid", "00000000-0000-4000-8000-000000000000"),
    ("uuid_generate_v4", "00000000-0000-4000-8000-000000000000"),
];

/// The run-time functions an expression calls (`now()`, `random()`, …),
/// in order, each once: their values are stand-ins.
pub fn standins_in(toks: &[Token]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        let Some(w) = t.word() else { continue };
        let called = toks.get(k + 1).is_some_and(|n| n.is_op("("));
        let bare = matches!(w, "current_timestamp" | "localtimestamp" | "current_date");
        if (called || bare)
            && !matches!(&t.tok, Tok::Word { quoted: true, .. })
            && STANDINS.iter().any(|(f, _)| *f == w)
            && !out.iter().any(|o| o == w)
        {
            out.push(w.to_string());
        }
    }
    out
}

/// `to_char(<stand-in time>, 'YYYYMMDDHH24MISS')`: the stand-in formatted.
fn to_char_standin(value: &str, fmt: &str) -> Option<String> {
    if value != STANDIN_TIME && value != "2000-01-01" {
        return None;
    }
    let mut out = fmt.to_string();
    for (pattern, replacement) in [
        ("YYYY", "2000"),
        ("HH24", "00"),
        ("HH12", "12"),
        ("HH", "12"),
        ("MI", "00"),
        ("SS", "00"),
        ("MS", "000"),
        ("US", "000000"),
        ("YY", "00"),
        ("MM", "01"),
        ("DD", "01"),
    ] {
        out = out.replace(pattern, replacement);
    }
    Some(out)
}

/// The value of a string expression, when it is constant.
pub fn constant(toks: &[Token], vars: &Vars) -> Option<String> {
    constant_depth(toks, vars, 0)
}

fn constant_depth(toks: &[Token], vars: &Vars, depth: usize) -> Option<String> {
    if depth > 16 || toks.is_empty() {
        return None;
    }
    let mut out = String::new();
    for term in split_top_op(toks, "||") {
        out.push_str(&term_value(term, vars, depth)?);
    }
    Some(out)
}

fn term_value(toks: &[Token], vars: &Vars, depth: usize) -> Option<String> {
    // Drop trailing casts: `'x'::text`, `v::varchar`.
    let mut toks = toks;
    while toks.len() >= 3 && toks[toks.len() - 2].is_op("::") {
        toks = &toks[..toks.len() - 2];
    }
    match toks {
        [] => None,
        [t] => match &t.tok {
            Tok::Str(s) => Some(s.clone()),
            Tok::Number(n) => Some(n.clone()),
            Tok::Word { text, quoted } => vars.get(text).cloned().flatten().or_else(|| {
                let bare = matches!(
                    text.as_str(),
                    "current_timestamp" | "localtimestamp" | "current_date"
                );
                STANDINS
                    .iter()
                    .find(|(f, _)| bare && !quoted && f == text)
                    .map(|(_, v)| v.to_string())
            }),
            Tok::Op(_) => None,
        },
        // `now()`, `random()`, `gen_random_uuid()`: deterministic stand-ins.
        [f, open, close] if open.is_op("(") && close.is_op(")") => {
            let name = f.word()?;
            STANDINS
                .iter()
                .find(|(s, _)| *s == name)
                .map(|(_, v)| v.to_string())
        }
        [open, .., close]
            if open.is_op("(") && close.is_op(")") && matching(toks, 0) == Some(toks.len() - 1) =>
        {
            constant_depth(&toks[1..toks.len() - 1], vars, depth + 1)
        }
        [f, open, ..] if open.is_op("(") && matching(toks, 1) == Some(toks.len() - 1) => {
            let args: Vec<String> = split_top_op(&toks[2..toks.len() - 1], ",")
                .into_iter()
                .map(|a| constant_depth(a, vars, depth + 1))
                .collect::<Option<_>>()?;
            match (f.word()?, args.as_slice()) {
                ("format", [fmt, rest @ ..]) => format(fmt, rest),
                ("quote_ident", [a]) => Some(Ident::new(a.as_str()).quoted()),
                ("quote_literal", [a]) => Some(format!("'{}'", a.replace('\'', "''"))),
                ("lower", [a]) => Some(a.to_lowercase()),
                ("upper", [a]) => Some(a.to_uppercase()),
                ("concat", args) => Some(args.concat()),
                ("to_char", [value, fmt]) => to_char_standin(value, fmt),
                ("replace", [a, from, to]) => Some(a.replace(from.as_str(), to)),
                _ => None,
            }
        }
        // A record field (`r.conname`): known when a followed loop set it.
        [rec, dot, field] if dot.is_op(".") => vars
            .get(&format!("{}.{}", rec.word()?, field.word()?))
            .cloned()
            .flatten(),
        _ => None,
    }
}

/// PostgreSQL's `format()` for `%s`, `%I`, `%L` and `%%`.
fn format(fmt: &str, args: &[String]) -> Option<String> {
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = fmt.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '%' => out.push('%'),
            's' => out.push_str(next.next()?),
            'I' => out.push_str(&Ident::new(next.next()?.as_str()).quoted()),
            'L' => out.push_str(&format!("'{}'", next.next()?.replace('\'', "''"))),
            _ => return None, // positions and widths: not worth guessing
        }
    }
    Some(out)
}

/// The note for an EXECUTE whose SQL is built at run time. `header` is the
/// enclosing `FOR … IN query` when there is one: its tables are guesses.
pub fn not_followed(expr: &[Token], header: &[Token]) -> Remark {
    let template = expr.iter().find_map(Token::string).unwrap_or_default();
    let verb = verb_of(template);
    let classified = if template.trim().is_empty() {
        None
    } else {
        notes::classify(template)
    };
    let (why, severity) = match classified.map(|r| r.severity) {
        Some(Severity::Info) => ("no schema effect", Severity::Info),
        Some(Severity::Notice) => (OUTSIDE_MODEL, Severity::Notice),
        _ => (MAY_CHANGE, Severity::Warning),
    };
    let mut objects = objects_in_head(&template.replace(['%'], " %"));
    // `'CREATE TABLE core.backup_' || to_char(now(), …)`: the name goes on
    // at run time, so only its prefix is known.
    let continued = expr
        .iter()
        .position(|t| t.string() == Some(template))
        .is_some_and(|k| expr.get(k + 1).is_some_and(|t| t.is_op("||")));
    if continued
        && template.ends_with(|c: char| c.is_alphanumeric() || c == '_')
        && let Some(last) = objects.last_mut()
        && template
            .to_lowercase()
            .ends_with(last.rsplit('.').next().unwrap_or_default())
    {
        last.push('*');
    }
    objects.extend(objects_in_query(header));
    objects.extend(objects_in_query(expr));
    // Format arguments that look like qualified names: `'core.shows'`.
    objects.extend(
        expr.iter()
            .filter_map(Token::string)
            .filter(|s| *s != template && s.contains('.') && !s.contains(' '))
            .filter_map(QualName::from_sql)
            .map(|qn| display(&qn)),
    );
    Remark::new(format!("EXECUTE of dynamic SQL: {verb} ({why})"), severity).with_objects(objects)
}

/// `ALTER TABLE … DROP CONSTRAINT` from `alter table %s drop constraint %I`.
pub fn verb_of(template: &str) -> String {
    let words = notes::head_words(template, 6);
    if words.is_empty() {
        return "statement built at run time".into();
    }
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut verb = notes::label(&w);
    if w.starts_with(&["alter", "table"]) {
        // The first action after the table name.
        let toks = tokenize(template);
        const ACTIONS: &[&str] = &[
            "add", "drop", "alter", "rename", "set", "enable", "disable", "validate", "owner",
            "attach", "detach", "force", "no", "replica", "inherit", "cluster",
        ];
        if let Some(k) = toks
            .iter()
            .enumerate()
            .skip(2)
            .find(|(_, t)| ACTIONS.iter().any(|a| t.is(a)))
            .map(|(k, _)| k)
        {
            verb.push_str(" … ");
            verb.push_str(&toks[k].word().unwrap_or_default().to_uppercase());
            if let Some(next) = toks.get(k + 1).filter(|t| {
                [
                    "constraint",
                    "column",
                    "default",
                    "not",
                    "to",
                    "schema",
                    "row",
                    "trigger",
                ]
                .iter()
                .any(|w| t.is(w))
            }) {
                verb.push(' ');
                verb.push_str(&next.word().unwrap_or_default().to_uppercase());
            }
        }
    }
    verb
}

/// Objects named at the head of a statement: `ALTER TABLE core.t …` →
/// `core.t`; `CREATE INDEX i ON core.t …` → `core.i`, `core.t`.
pub fn objects_in_head(text: &str) -> Vec<String> {
    let toks = tokenize(text);
    let mut out = Vec::new();
    let skip = [
        "create",
        "alter",
        "drop",
        "comment",
        "on",
        "or",
        "replace",
        "unique",
        "if",
        "not",
        "exists",
        "only",
        "concurrently",
        "unlogged",
        "temp",
        "temporary",
        "materialized",
    ];
    let kinds = [
        "table",
        "index",
        "type",
        "schema",
        "view",
        "sequence",
        "function",
        "extension",
        "column",
        "constraint",
        "trigger",
        "policy",
        "domain",
    ];
    if toks
        .first()
        .is_some_and(|t| t.is("grant") || t.is("revoke"))
    {
        // `GRANT … ON [TABLE] core.t, core.u TO …`: the objects after ON.
        let Some(on) = toks.iter().position(|t| t.is("on")) else {
            return out;
        };
        let mut j = on + 1;
        if toks.get(j).is_some_and(|t| t.is("all")) {
            // `ON ALL TABLES IN SCHEMA core`
            let schema = toks.iter().skip(j).position(|t| t.is("schema"));
            if let Some(name) = schema
                .and_then(|p| toks.get(j + p + 1))
                .and_then(Token::word)
            {
                out.push(format!("{}.*", name.to_lowercase()));
            }
            return out;
        }
        if toks.get(j).is_some_and(|t| t.is("schema")) {
            if let Some(name) = toks.get(j + 1).and_then(Token::word) {
                out.push(name.to_lowercase());
            }
            return out;
        }
        if toks.get(j).is_some_and(|t| {
            ["table", "sequence", "function", "procedure", "routine"]
                .iter()
                .any(|k| t.is(k))
        }) {
            j += 1;
        }
        while let Some(n) = qualified_at(&toks, j) {
            out.push(display(&n));
            j += if toks.get(j + 1).is_some_and(|t| t.is_op(".")) {
                3
            } else {
                1
            };
            if !toks.get(j).is_some_and(|t| t.is_op(",")) {
                break;
            }
            j += 1;
        }
        return out;
    }
    let mut k = 0;
    while toks.get(k).is_some_and(|t| skip.iter().any(|s| t.is(s))) {
        k += 1;
    }
    let Some(kind) = toks.get(k).and_then(Token::word).map(str::to_string) else {
        return out;
    };
    if !kinds.contains(&kind.as_str()) {
        return out;
    }
    k += 1;
    while toks
        .get(k)
        .is_some_and(|t| !t.is("on") && skip.iter().any(|s| t.is(s)))
    {
        k += 1;
    }
    let name = qualified_at(&toks, k).filter(|_| !toks[k].is("on"));
    if kind == "schema" || kind == "extension" {
        if let Some(t) = toks.get(k).and_then(Token::word) {
            out.push(t.to_string());
        }
        return out;
    }
    if kind == "policy" || kind == "trigger" {
        // `CREATE POLICY name ON table`: the name is not an object of its own.
        let on = toks.iter().position(|t| t.is("on"));
        if let Some(t) = on.and_then(|o| qualified_at(&toks, o + 1)) {
            out.push(display(&t));
        }
        return out;
    }
    if kind == "index" {
        // `CREATE INDEX [name] ON table`: the index shares the table's schema.
        let on = toks.iter().position(|t| t.is("on"));
        let table = on.and_then(|o| {
            let mut j = o + 1;
            if toks.get(j).is_some_and(|t| t.is("only")) {
                j += 1;
            }
            qualified_at(&toks, j)
        });
        if let Some(t) = &table {
            out.push(display(t));
        }
        if let Some(n) = name {
            let schema = table.map_or(n.schema.clone(), |t| t.schema);
            if let Some(to) = rename_target(&toks) {
                out.push(format!("{}.{to}", schema.as_str()));
            }
            out.push(display(&QualName::new(schema, n.name)));
        }
        return out;
    }
    if let Some(n) = name {
        // `ALTER TABLE core.t RENAME TO t_old`: the new name too.
        if let Some(to) = rename_target(&toks)
            && matches!(kind.as_str(), "table" | "view" | "type" | "sequence")
        {
            out.push(format!("{}.{to}", n.schema.as_str()));
        }
        out.push(display(&n));
    }
    out
}

/// `… RENAME TO new_name`: the new name, folded as PostgreSQL does.
fn rename_target(toks: &[Token]) -> Option<String> {
    let at = toks
        .windows(3)
        .position(|w| w[0].is("rename") && w[1].is("to"))?;
    match &toks[at + 2].tok {
        Tok::Word { text, quoted: true } => Some(text.clone()),
        Tok::Word { text, .. } => Some(text.to_lowercase()),
        _ => None,
    }
}

/// Tables a query or expression names: `'core.t'::regclass`, `FROM core.t`,
/// `table_schema = 'core' AND table_name = 't'`, `'core.t'` in a string.
pub fn objects_in_query(toks: &[Token]) -> Vec<String> {
    let mut out = Vec::new();
    let mut schema = None;
    let mut table = None;
    for (k, t) in toks.iter().enumerate() {
        let next_is_reg = toks.get(k + 1).is_some_and(|n| n.is_op("::"))
            && toks.get(k + 2).is_some_and(|n| n.is("regclass"));
        if let Some(s) = t.string()
            && next_is_reg
            && let Some(qn) = QualName::from_sql(s)
        {
            out.push(display(&qn));
        }
        if (t.is("from") || t.is("join"))
            && let Some(qn) = qualified_at(toks, k + 1)
            && !qn.name.as_str().starts_with("pg_")
            && qn.schema.as_str() != "information_schema"
            && qn.schema.as_str() != "pg_catalog"
            && toks.get(k + 2).is_some_and(|t| t.is_op("."))
        {
            out.push(display(&qn));
        }
        let literal = || {
            toks.get(k + 2)
                .filter(|_| toks.get(k + 1).is_some_and(|e| e.is_op("=")))
                .and_then(Token::string)
                .map(str::to_string)
        };
        match t.word() {
            Some("table_schema" | "schemaname" | "nspname") => schema = literal().or(schema),
            Some("table_name" | "tablename" | "relname") => table = literal().or(table),
            _ => {}
        }
    }
    if let Some(t) = table {
        let s = schema.unwrap_or_else(|| "public".into());
        out.push(format!("{s}.{t}"));
    }
    out
}

fn qualified_at(toks: &[Token], k: usize) -> Option<QualName> {
    let first = toks.get(k)?.word()?;
    let fold = |t: &Token, w: &str| match t.tok {
        Tok::Word { quoted: true, .. } => Ident::new(w),
        _ => Ident::new(w.to_lowercase()),
    };
    if toks.get(k + 1).is_some_and(|t| t.is_op(".")) {
        // `archive.%I` in a format string: any table of that schema.
        let second = match toks.get(k + 2).and_then(Token::word) {
            Some(second) => fold(&toks[k + 2], second),
            None => Ident::new("*"),
        };
        return Some(QualName::new(fold(&toks[k], first), second));
    }
    Some(QualName::new(Ident::new("public"), fold(&toks[k], first)))
}

fn display(qn: &QualName) -> String {
    format!("{}.{}", qn.schema.as_str(), qn.name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_name_what_they_are_on() {
        assert_eq!(
            objects_in_head("GRANT SELECT, INSERT ON TABLE core.shows, Core.\"Seasons\" TO anon"),
            ["core.shows", "core.Seasons"]
        );
        assert_eq!(
            objects_in_head("revoke all on all tables in schema Core from anon"),
            ["core.*"]
        );
        assert_eq!(
            objects_in_head("grant usage on schema core to authenticated"),
            ["core"]
        );
        assert_eq!(
            objects_in_head("grant execute on function public.f(int) to anon"),
            ["public.f"]
        );
    }

    fn value(expr: &str, vars: &Vars) -> Option<String> {
        constant(&tokenize(expr), vars)
    }

    #[test]
    fn constant_strings_are_evaluated() {
        let mut vars = Vars::new();
        vars.insert("tbl".into(), Some("core.shows".into()));
        vars.insert("n".into(), None);
        assert_eq!(
            value("'alter table ' || tbl || ' add x int'", &vars).as_deref(),
            Some("alter table core.shows add x int")
        );
        assert_eq!(
            value(
                "format('alter table %s drop constraint %I', 'core.t', 'Odd Name')",
                &vars
            )
            .as_deref(),
            Some("alter table core.t drop constraint \"Odd Name\"")
        );
        assert_eq!(
            value("$x$create schema a$x$", &vars).as_deref(),
            Some("create schema a")
        );
        assert_eq!(value("'a' || n", &vars), None);
        // Run-time values are deterministic stand-ins.
        assert_eq!(
            value("format('x_%s', to_char(now(), 'YYYYMMDDHH24MISS'))", &vars).as_deref(),
            Some("x_20000101000000")
        );
        assert_eq!(value("'t_' || to_char(x, 'YYYY')", &vars), None);
        assert_eq!(
            standins_in(&tokenize(
                "'a' || now()::text || current_timestamp || random()"
            )),
            ["now", "current_timestamp", "random"]
        );
        assert_eq!(value("format('%1$s', 'a')", &vars), None);
        assert_eq!(value("r.conname", &vars), None);
    }

    #[test]
    fn verbs_and_objects_are_guessed() {
        assert_eq!(
            verb_of("alter table %s drop constraint %I"),
            "ALTER TABLE … DROP CONSTRAINT"
        );
        assert_eq!(verb_of("CREATE INDEX %I ON core.t (x)"), "CREATE INDEX");
        assert_eq!(
            objects_in_head("ALTER TABLE IF EXISTS ONLY Core.T add x int"),
            ["core.t"]
        );
        assert_eq!(
            objects_in_head("create unique index concurrently if not exists i on only core.t (x)"),
            ["core.t", "core.i"]
        );
        assert_eq!(objects_in_head("create index on t (x)"), ["public.t"]);
        assert_eq!(objects_in_head("drop table \"T\""), ["public.T"]);
        assert_eq!(
            objects_in_head(&"create table archive.%I as table core.shows".replace('%', " %")),
            ["archive.*"]
        );
        assert!(objects_in_head("vacuum t").is_empty());
        assert_eq!(
            objects_in_query(&tokenize(
                "select conname from pg_constraint where conrelid = 'core.shows'::regclass"
            )),
            ["core.shows"]
        );
        assert_eq!(
            objects_in_query(&tokenize(
                "select column_name from information_schema.columns where table_schema = 'core' and table_name = 'seasons'"
            )),
            ["core.seasons"]
        );
    }
}
