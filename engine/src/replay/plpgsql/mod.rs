//! A small PL/pgSQL reader for `DO` blocks, so replay follows the guarded
//! DDL real Supabase histories contain:
//!
//! - [`lexer`]: tokens with byte spans (positions of inner statements);
//! - [`block`]: the statement tree (blocks, handlers, IF, CASE, loops, …);
//! - [`cond`] and [`probes`]: IF conditions and the existence probes they
//!   make (`pg_constraint`, `information_schema.columns`, `to_regclass`, …),
//!   evaluated against the replayed Catalog;
//! - [`dynamic`]: `EXECUTE` of constant strings (replayed) and of SQL built
//!   at run time (noted, with guessed objects);
//! - [`run`]: the walk that replays the taken branches.
//!
//! What the replay cannot decide is never guessed: the branch is not
//! followed and a note says why, as a warning when it may change modeled
//! objects and a notice when it only touches objects outside the model.

mod block;
mod cond;
mod dynamic;
mod lexer;
mod probes;
mod run;

pub(crate) use dynamic::objects_in_head;

use super::Replay;
use super::errors::StmtResult;
use super::notes::{MAY_CHANGE, Remark, Severity};
use lexer::{Tok, tokenize};

/// EXECUTE may run a DO block that runs EXECUTE …; beyond this depth the
/// replay notes the block instead of recursing.
const MAX_NESTING: usize = 8;

/// Replays `DO [LANGUAGE plpgsql] $$ … $$`: follows what the Catalog
/// decides, notes the rest (positions are offsets in `text`).
pub(crate) fn replay_do_block(r: &mut Replay, text: &str, notes: &mut Vec<Remark>) -> StmtResult {
    let toks = tokenize(text);
    let mut language = None;
    let mut body_tok = None;
    let mut k = 1; // after DO
    while let Some(t) = toks.get(k) {
        if t.is("language") {
            language = toks.get(k + 1).and_then(|t| t.word()).map(str::to_string);
            k += 2;
        } else if matches!(t.tok, Tok::Str(_)) && body_tok.is_none() {
            body_tok = Some(t);
            k += 1;
        } else {
            break;
        }
    }
    let not_read = |why: &str| {
        Remark::new(
            format!("could not read DO: {why} ({MAY_CHANGE})"),
            Severity::Warning,
        )
    };
    let Some(body_tok) = body_tok.filter(|_| k == toks.len()) else {
        notes.push(not_read(
            "expected DO [LANGUAGE name] followed by the body as a string",
        ));
        return Ok(());
    };
    if let Some(lang) = language.filter(|l| l != "plpgsql") {
        notes.push(Remark::not_followed(&format!("DO (LANGUAGE {lang})")));
        return Ok(());
    }
    if r.do_depth >= MAX_NESTING {
        notes.push(not_read("DO blocks nested too deeply through EXECUTE"));
        return Ok(());
    }
    let body = body_tok.string().unwrap_or_default();
    let raw = &text[body_tok.start..body_tok.end];
    // A dollar-quoted body (or a quoted one without escapes) maps byte for
    // byte onto the file; otherwise notes point at the body's start.
    let base = if let Some(tagged) = raw.strip_prefix('$') {
        Ok(body_tok.start + tagged.find('$').map_or(1, |p| p + 2))
    } else if raw.get(1..raw.len().saturating_sub(1)) == Some(body) {
        Ok(body_tok.start + 1)
    } else {
        Err(body_tok.start)
    };
    let body_toks = tokenize(body);
    let tree = match block::parse_body(&body_toks) {
        Ok(tree) => tree,
        Err(e) => {
            let at = body_toks.get(e.at).map_or(body.len(), |t| t.start);
            let mut remark =
                not_read(&e.message).with_objects(dynamic::objects_in_query(&body_toks));
            remark.at = match base {
                Ok(b) => b + at,
                Err(s) => s,
            };
            notes.push(remark);
            return Ok(());
        }
    };
    r.do_depth += 1;
    let mut run = run::Run::new(r, body, &body_toks, base);
    let result = run.block(&tree);
    run.finish();
    let (followed, skipped, caught) = (run.followed, run.skipped, run.caught);
    let remarks = run.remarks;
    r.do_depth -= 1;
    result?;
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if followed + skipped + caught > 0 {
        let mut why = format!(
            "guarded DDL followed: {}",
            plural(followed, "statement", "statements")
        );
        if skipped + caught > 0 {
            why.push_str(" replayed");
        }
        if skipped > 0 {
            why.push_str(&format!(
                ", {} skipped by {}",
                skipped,
                if skipped == 1 {
                    "its guard"
                } else {
                    "their guards"
                }
            ));
        }
        if caught > 0 {
            why.push_str(&format!(
                ", {}",
                plural(
                    caught,
                    "error caught by an EXCEPTION handler",
                    "errors caught by EXCEPTION handlers"
                )
            ));
        }
        notes.push(Remark::info("DO", &why));
    } else if remarks.is_empty() {
        notes.push(Remark::info("DO", "data only, no schema effect"));
    }
    notes.extend(remarks);
    Ok(())
}
