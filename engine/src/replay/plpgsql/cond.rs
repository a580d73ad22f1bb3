//! IF conditions: AND/OR/NOT over existence probes, `to_regclass(…) IS
//! [NOT] NULL`, `FOUND` and constants, in three-valued logic (a probe the
//! replay cannot decide makes the condition unknown unless the other side
//! settles it).

use super::lexer::{Tok, Token};
use super::probes;
use crate::replay::Replay;

/// What a condition evaluates to against the replayed Catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Truth {
    Known(bool),
    Unknown(Unknown),
}

/// A condition the replay cannot decide, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// The part of the condition that could not be decided, as written.
    pub probe: String,
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// It reads user data or variables (known only at run time).
    Data,
    /// It reads a catalog the replay does not model (`pg_roles`, …).
    Outside(String),
    /// It has a shape the reader does not follow.
    Unreadable,
}

impl Unknown {
    pub fn explain(&self) -> String {
        match &self.why {
            Why::Data => format!("`{}` depends on data", self.probe),
            Why::Outside(what) => {
                format!(
                    "`{}` reads {what}, which the replay does not model",
                    self.probe
                )
            }
            Why::Unreadable => format!("`{}` is not a probe the replay reads", self.probe),
        }
    }
}

/// Evaluation context: the replay so far and the last `FOUND`.
pub struct Ctx<'a> {
    pub replay: &'a Replay,
    /// The statement text the tokens' spans point into.
    pub text: &'a str,
    pub found: Option<bool>,
    /// Variables known at replay time (`v := EXISTS (…)` gives `true`).
    pub vars: &'a super::dynamic::Vars,
}

impl Ctx<'_> {
    pub fn written(&self, toks: &[Token]) -> String {
        match (toks.first(), toks.last()) {
            (Some(a), Some(b)) => self
                .text
                .get(a.start..b.end)
                .unwrap_or_default()
                .to_string(),
            _ => String::new(),
        }
    }

    fn unknown(&self, toks: &[Token], why: Why) -> Truth {
        Truth::Unknown(Unknown {
            probe: squeeze(&self.written(toks)),
            why,
        })
    }
}

/// Collapses runs of blanks so a multi-line probe reads on one line.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Evaluates the condition made of `toks`.
pub fn eval(ctx: &Ctx, toks: &[Token]) -> Truth {
    eval_depth(ctx, toks, 0)
}

fn eval_depth(ctx: &Ctx, toks: &[Token], depth: usize) -> Truth {
    if depth > 64 || toks.is_empty() {
        return ctx.unknown(toks, Why::Unreadable);
    }
    let ors = split_top(toks, "or");
    if ors.len() > 1 {
        return ors
            .iter()
            .map(|part| eval_depth(ctx, part, depth + 1))
            .reduce(or)
            .unwrap_or(Truth::Known(false));
    }
    let ands = split_top(toks, "and");
    if ands.len() > 1 {
        return ands
            .iter()
            .map(|part| eval_depth(ctx, part, depth + 1))
            .reduce(and)
            .unwrap_or(Truth::Known(true));
    }
    if toks[0].is("not") {
        return match eval_depth(ctx, &toks[1..], depth + 1) {
            Truth::Known(b) => Truth::Known(!b),
            unknown => unknown,
        };
    }
    if let Some(inner) = parenthesized(toks)
        && !inner.first().is_some_and(|t| t.is("select"))
    {
        return eval_depth(ctx, inner, depth + 1);
    }
    atom(ctx, toks)
}

fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::Known(true), _) | (_, Truth::Known(true)) => Truth::Known(true),
        (Truth::Known(false), x) | (x, Truth::Known(false)) => x,
        (u, _) => u,
    }
}

fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::Known(false), _) | (_, Truth::Known(false)) => Truth::Known(false),
        (Truth::Known(true), x) | (x, Truth::Known(true)) => x,
        (u, _) => u,
    }
}

fn atom(ctx: &Ctx, toks: &[Token]) -> Truth {
    match toks {
        [t] if t.is("true") => return Truth::Known(true),
        [t] if t.is("false") => return Truth::Known(false),
        [t] if t.is("found") => {
            return match ctx.found {
                Some(b) => Truth::Known(b),
                None => ctx.unknown(toks, Why::Data),
            };
        }
        [t] if let Some(value) = t.word().and_then(|w| ctx.vars.get(w)).cloned().flatten() => {
            match value.as_str() {
                "true" => return Truth::Known(true),
                "false" => return Truth::Known(false),
                _ => {}
            }
        }
        _ => {}
    }
    if let Some(truth) = count_compare(ctx, toks) {
        return truth;
    }
    if toks[0].is("exists")
        && let Some(query) = parenthesized(&toks[1..])
    {
        return match probes::exists(ctx.replay, query) {
            probes::Answer::Known(b) => Truth::Known(b),
            probes::Answer::Data => ctx.unknown(toks, Why::Data),
            probes::Answer::Outside(what) => ctx.unknown(toks, Why::Outside(what)),
            probes::Answer::Unreadable => ctx.unknown(toks, Why::Unreadable),
        };
    }
    if let Some(truth) = reg_is_null(ctx, toks) {
        return truth;
    }
    // Anything else compares values: variables or data.
    let reads_catalog = toks.iter().any(|t| {
        t.word()
            .is_some_and(|w| w.starts_with("pg_") || w == "information_schema")
    });
    if reads_catalog {
        ctx.unknown(toks, Why::Unreadable)
    } else {
        ctx.unknown(toks, Why::Data)
    }
}

/// `(SELECT count(*) FROM <catalog> WHERE …) > 0` and the like.
fn count_compare(ctx: &Ctx, toks: &[Token]) -> Option<Truth> {
    let close = matching(toks, 0).filter(|_| toks[0].is_op("("))?;
    let inner = &toks[1..close];
    let counts = matches!(inner, [s, c, o, _, e, ..] if s.is("select") && c.is("count") && o.is_op("(") && e.is_op(")"));
    let [op, n] = &toks[close + 1..] else {
        return None;
    };
    let n: usize = match &n.tok {
        Tok::Number(n) => n.parse().ok()?,
        _ => return None,
    };
    if !counts {
        return None;
    }
    let Tok::Op(op) = &op.tok else {
        return None;
    };
    let mut query = vec![inner[0].clone()];
    query.extend_from_slice(&inner[5..]);
    let count = match probes::count(ctx.replay, &query) {
        Ok(count) => count,
        Err(probes::Answer::Outside(what)) => return Some(ctx.unknown(toks, Why::Outside(what))),
        Err(probes::Answer::Data) => return Some(ctx.unknown(toks, Why::Data)),
        Err(_) => return Some(ctx.unknown(toks, Why::Unreadable)),
    };
    let result = match op.as_str() {
        "=" => count == n,
        "<>" | "!=" => count != n,
        ">" => count > n,
        ">=" => count >= n,
        "<" => count < n,
        "<=" => count <= n,
        _ => return None,
    };
    Some(Truth::Known(result))
}

/// `to_regclass('core.t') IS [NOT] NULL` (also to_regtype, to_regnamespace, …).
fn reg_is_null(ctx: &Ctx, toks: &[Token]) -> Option<Truth> {
    let func = toks.first()?.word()?;
    if !func.starts_with("to_reg") || !toks.get(1)?.is_op("(") {
        return None;
    }
    let close = matching(toks, 1)?;
    let arg = toks.get(2)?.string()?.to_string();
    // Only casts may follow the string inside the call: `'x'::text`.
    let casts_only = toks[3..close]
        .iter()
        .all(|t| t.is_op("::") || t.word().is_some());
    let rest = &toks[close + 1..];
    let is_null = match rest {
        [a, b] if a.is("is") && b.is("null") => true,
        [a, b, c] if a.is("is") && b.is("not") && c.is("null") => false,
        _ => return None,
    };
    if !casts_only {
        return None;
    }
    let exists = match probes::reg_lookup(ctx.replay, func, &arg) {
        probes::Answer::Known(b) => b,
        probes::Answer::Outside(what) => return Some(ctx.unknown(toks, Why::Outside(what))),
        probes::Answer::Data => return Some(ctx.unknown(toks, Why::Data)),
        probes::Answer::Unreadable => return Some(ctx.unknown(toks, Why::Unreadable)),
    };
    Some(Truth::Known(exists != is_null))
}

/// The tokens inside `( … )` when `toks` is exactly one parenthesized group.
pub fn parenthesized(toks: &[Token]) -> Option<&[Token]> {
    if toks.first()?.is_op("(") && matching(toks, 0)? == toks.len() - 1 {
        Some(&toks[1..toks.len() - 1])
    } else {
        None
    }
}

/// The index of the `)` matching the `(` at `open`.
pub fn matching(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        if t.is_op("(") {
            depth += 1;
        } else if t.is_op(")") {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(k);
            }
        }
    }
    None
}

/// Splits at the keyword `kw` outside parentheses and `CASE … END`.
pub fn split_top<'t>(toks: &'t [Token], kw: &str) -> Vec<&'t [Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut case_depth = 0usize;
    let mut start = 0;
    for (k, t) in toks.iter().enumerate() {
        match &t.tok {
            Tok::Op(o) if o == "(" => depth += 1,
            Tok::Op(o) if o == ")" => depth = depth.saturating_sub(1),
            _ if depth == 0 && t.is("case") => case_depth += 1,
            _ if depth == 0 && t.is("end") => case_depth = case_depth.saturating_sub(1),
            _ if depth == 0 && case_depth == 0 && t.is(kw) => {
                parts.push(&toks[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&toks[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    fn eval_str(r: &Replay, found: Option<bool>, text: &str) -> Truth {
        let vars = super::super::dynamic::Vars::new();
        let ctx = Ctx {
            replay: r,
            text,
            found,
            vars: &vars,
        };
        eval(&ctx, &tokenize(text))
    }

    #[test]
    fn three_valued_logic() {
        let mut r = Replay::default();
        r.statement("create table t (id int)", &mut Vec::new())
            .unwrap();
        let known = |b| Truth::Known(b);
        let role = "exists (select 1 from pg_roles where rolname = 'r')";
        let t = "to_regclass('t') is not null";
        let u = "to_regclass('u') is not null";
        assert_eq!(eval_str(&r, None, t), known(true));
        assert_eq!(
            eval_str(&r, None, &format!("not ({t}) or {u}")),
            known(false)
        );
        assert_eq!(eval_str(&r, None, &format!("{role} or {t}")), known(true));
        assert_eq!(eval_str(&r, None, &format!("{role} and {u}")), known(false));
        assert_eq!(
            eval_str(&r, None, "not found"),
            Truth::Unknown(Unknown {
                probe: "found".into(),
                why: Why::Data
            })
        );
        assert_eq!(eval_str(&r, Some(false), "not found and true"), known(true));
        match eval_str(&r, None, &format!("{role} and {t}")) {
            Truth::Unknown(u) => {
                assert_eq!(u.why, Why::Outside("`pg_roles`".into()));
                assert!(u.explain().contains("pg_roles"), "{}", u.explain());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            eval_str(&r, None, "n > 0"),
            Truth::Unknown(Unknown { why: Why::Data, .. })
        ));
        assert!(matches!(eval_str(&r, None, ""), Truth::Unknown(_)));
        let count = "(select count(*) from information_schema.columns where table_name = 't')";
        assert_eq!(eval_str(&r, None, &format!("{count} = 1")), known(true));
        assert_eq!(eval_str(&r, None, &format!("{count} > 1")), known(false));
        assert!(matches!(
            eval_str(&r, None, "(select count(*) from pg_roles) = 0"),
            Truth::Unknown(Unknown {
                why: Why::Outside(_),
                ..
            })
        ));
    }
}
