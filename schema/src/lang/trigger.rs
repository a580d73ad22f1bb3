//! `trigger` nodes inside a `table` block:
//! `trigger name before|after|instead-of <events…> [of="cols"]
//! [for-each=row|statement] execute=schema.function [when="…"] [args="…"]
//! [old-table=name] [new-table=name] [constraint=#true [deferrable=#true]
//! [initially-deferred=#true]]`.

use super::column::expression;
use super::decl::Named;
use super::errors::{Diag, Loc, Sink, did_you_mean};
use super::parse::{NodeView, ident, qual_name, split_words};
use crate::ident::QualName;
use crate::routines::{Trigger, TriggerEvent, TriggerTiming};

#[derive(Clone, Debug)]
pub struct TriggerDecl {
    pub trigger: Trigger,
    pub at: Loc,
    /// `of=` columns, checked against the table.
    pub of: Vec<Named>,
    /// Where `execute=` is written.
    pub execute_at: Loc,
}

const PROPS: &[&str] = &[
    "of",
    "for-each",
    "execute",
    "when",
    "args",
    "old-table",
    "new-table",
    "constraint",
    "deferrable",
    "initially-deferred",
];
const TIMINGS: &[&str] = &["before", "after", "instead-of"];
const EVENTS: &[&str] = &["insert", "update", "delete", "truncate"];

pub fn read_trigger(v: NodeView<'_>, table: &QualName, sink: &mut Sink) -> Option<TriggerDecl> {
    v.check_props(PROPS, sink);
    v.no_children(sink);
    let example = "trigger touch before update execute=core.touch";
    let (written, at) = v.req_arg(0, "a trigger name", example, sink)?;
    let name = ident(&written, at, "trigger", sink);
    let (timing_written, timing_at) =
        v.req_arg(1, "the timing (before, after or instead-of)", example, sink)?;
    let timing = match timing_written.to_lowercase().as_str() {
        "before" => Some(TriggerTiming::Before),
        "after" => Some(TriggerTiming::After),
        "instead-of" | "instead_of" => Some(TriggerTiming::InsteadOf),
        other => {
            let mut help = format!(
                "the timing comes right after the name: {}",
                TIMINGS.join(", ")
            );
            if let Some(d) = did_you_mean(other, TIMINGS.iter().copied()) {
                help = format!("{d} ({help})");
            }
            sink.push(
                Diag::new(
                    timing_at,
                    format!("`{timing_written}` is not a trigger timing"),
                    "expected before, after or instead-of",
                )
                .help(help),
            );
            None
        }
    };
    let mut events: Vec<TriggerEvent> = Vec::new();
    let mut update_at = None;
    for (word, at) in v.rest_args(2, "a trigger event", sink) {
        let event = match word.to_lowercase().as_str() {
            "insert" => TriggerEvent::Insert,
            "update" => {
                update_at = Some(at);
                TriggerEvent::Update {
                    columns: Vec::new(),
                }
            }
            "delete" => TriggerEvent::Delete,
            "truncate" => TriggerEvent::Truncate,
            other => {
                let mut help = format!("events: {}", EVENTS.join(", "));
                if let Some(d) = did_you_mean(other, EVENTS.iter().copied()) {
                    help = format!("{d} ({help})");
                }
                sink.push(
                    Diag::new(
                        at,
                        format!("`{word}` is not a trigger event"),
                        "unknown event",
                    )
                    .help(help),
                );
                continue;
            }
        };
        if !events.contains(&event) {
            events.push(event);
        }
    }
    if events.is_empty() && v.args().len() <= 2 {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("trigger {written} names no event"),
                "expected events after the timing",
            )
            .help(format!(
                "write the events after the timing: `{example}` ({})",
                EVENTS.join(", ")
            )),
        );
    }
    let of: Vec<Named> = match v.prop_string("of", "column names separated by spaces", sink) {
        Some((written, at)) => {
            if update_at.is_none() {
                sink.push(
                    Diag::new(
                        at,
                        "`of=` names columns of an UPDATE, but the trigger has no update event",
                        "needs `update`",
                    )
                    .help("add `update` to the events, or remove of="),
                );
            }
            split_words(&written)
                .iter()
                .filter_map(|w| ident(w, at, "column", sink).map(|name| Named { name, at }))
                .collect()
        }
        None => Vec::new(),
    };
    for e in &mut events {
        if let TriggerEvent::Update { columns } = e {
            *columns = of.iter().map(|n| n.name.clone()).collect();
        }
    }
    events.sort();
    let for_each_row = v.prop_choice("for-each", &["row", "statement"], sink) != Some("statement");
    let when = v
        .prop_sql("when", sink)
        .and_then(|(s, at)| expression(&s, at, "when= condition", sink));
    let args = v
        .prop_string("args", "literal arguments separated by spaces", sink)
        .map(|(s, _)| split_args(&s))
        .unwrap_or_default();
    let transition = |key: &str, sink: &mut Sink| {
        v.prop_string(key, "a transition table name", sink)
            .and_then(|(s, at)| ident(&s, at, "transition table", sink))
    };
    let old_table = transition("old-table", sink);
    let new_table = transition("new-table", sink);
    let deferrable = v.prop_bool("deferrable", sink);
    let initially_deferred = v.prop_bool("initially-deferred", sink);
    let constraint = if v.prop_bool("constraint", sink) {
        Some(super::decl::deferral(deferrable, initially_deferred))
    } else {
        if deferrable || initially_deferred {
            sink.push(
                Diag::new(
                    v.name_loc(),
                    format!("trigger {written} is deferrable but not a constraint trigger"),
                    "only constraint triggers can be deferred",
                )
                .help("add constraint=#true, or remove deferrable= and initially-deferred="),
            );
        }
        None
    };
    let (function, execute_at) = match v.prop_string("execute", "a function name", sink) {
        Some((s, at)) => (execute_function(&s, at, sink), at),
        None => {
            if !v.has_prop("execute") {
                sink.push(
                    Diag::new(
                        v.name_loc(),
                        format!("trigger {written} does not say which function it runs"),
                        "expected execute= here",
                    )
                    .help("write `execute=schema.function` (the function returns `trigger`)"),
                );
            }
            (None, v.name_loc())
        }
    };
    Some(TriggerDecl {
        trigger: Trigger {
            name: name?,
            table: table.clone(),
            timing: timing?,
            events,
            for_each_row,
            when,
            function: function?,
            args,
            old_table,
            new_table,
            constraint,
        },
        at: v.name_loc(),
        of,
        execute_at,
    })
}

/// `execute=core.touch`; parentheses are an error with a hint, because a
/// trigger function takes no SQL arguments (`args=` become `TG_ARGV`).
fn execute_function(written: &str, at: Loc, sink: &mut Sink) -> Option<QualName> {
    if let Some(open) = written.find('(') {
        let bare = written[..open].trim();
        sink.push(
            Diag::new(at, format!("`execute={written}` has parentheses"), "write the function name only")
                .help(format!(
                    "write `execute={bare}`: a trigger function is called without SQL arguments; literal arguments go in args=\"…\" (TG_ARGV)"
                )),
        );
        return None;
    }
    qual_name(written, at, "function", sink)
}

/// Splits `args="shows 'two words' ''"` at spaces outside single quotes;
/// a quoted argument may hold spaces, and `''` inside quotes is a quote.
pub fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut started = false;
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' if quoted && chars.peek() == Some(&'\'') => {
                cur.push('\'');
                chars.next();
            }
            '\'' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            c => {
                cur.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split_args;

    #[test]
    fn args_split_at_spaces_outside_quotes() {
        assert_eq!(
            split_args("shows 'two words' '' 'it''s'"),
            vec!["shows", "two words", "", "it's"]
        );
    }
}
