//! Statements the replay reads but does not model. They are kept as notes
//! (never silently dropped); the reason says whether the statement may have
//! changed the schema, so a reader knows when the replayed Catalog may be
//! incomplete.

/// Reason suffix for anything that may change the schema.
pub const MAY_CHANGE: &str = "not modeled: may change the schema";

/// The first words of a statement, lower case, skipping comments (enough
/// to classify it without parsing: `DO` and friends do not parse).
pub fn head_words(text: &str, max: usize) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() && words.len() < max {
        let b = bytes[i];
        if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            i = bytes[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(bytes.len(), |p| i + p + 1);
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = text[i..].find("*/").map_or(bytes.len(), |p| i + p + 2);
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            words.push(text[start..i].to_ascii_lowercase());
        } else if b.is_ascii_whitespace() {
            i += 1;
        } else {
            break;
        }
    }
    words
}

/// The reason to note a statement without parsing it, or `None` when the
/// replay models it (or may: it is then parsed and dispatched).
pub fn classify(text: &str) -> Option<String> {
    let words = head_words(text, 6);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let label = label(&w);
    let reason = |why: &str| Some(format!("{label} ({why})"));
    match w.as_slice() {
        [] => reason(MAY_CHANGE),
        [
            "insert" | "update" | "delete" | "merge" | "copy" | "truncate",
            ..,
        ] => reason("data change, no schema effect"),
        ["select" | "with" | "values" | "table", ..] => reason("query, no schema effect"),
        ["set" | "reset", ..] => {
            reason("session setting, no schema effect; unqualified names always resolve to public")
        }
        [
            "begin" | "start" | "commit" | "end" | "rollback" | "abort" | "savepoint" | "release"
            | "lock",
            ..,
        ] => reason("transaction control, no schema effect"),
        [
            "analyze" | "analyse" | "vacuum" | "notify" | "listen" | "unlisten" | "discard"
            | "checkpoint" | "refresh",
            ..,
        ] => reason("maintenance, no schema effect"),
        ["do", ..] => reason(MAY_CHANGE),
        ["create", rest @ ..] => match skip_modifiers(rest) {
            ["schema" | "extension" | "table" | "index", ..] => None,
            ["type", ..] => None, // enums are modeled, other types become notes after parsing
            ["temp" | "temporary", ..] => reason("temporary object, no schema effect"),
            _ => reason(MAY_CHANGE),
        },
        ["alter", "table" | "type" | "schema", ..] => None,
        [
            "drop",
            "table" | "index" | "type" | "schema" | "extension",
            ..,
        ] => None,
        [
            "comment",
            "on",
            "schema" | "type" | "table" | "column" | "index",
            ..,
        ] => None,
        _ => reason(MAY_CHANGE),
    }
}

/// `CREATE OR REPLACE FUNCTION` → `CREATE FUNCTION`: the verb and the kind.
pub fn label(words: &[&str]) -> String {
    let Some((verb, rest)) = words.split_first() else {
        return "statement".into();
    };
    let rest = match *verb {
        "create" | "alter" | "drop" => skip_modifiers(rest),
        "comment" => rest.get(1..).unwrap_or_default(),
        _ => &[],
    };
    let take = match rest {
        [
            "materialized" | "event" | "default" | "foreign" | "text" | "operator" | "access"
            | "row" | "temp" | "temporary",
            ..,
        ] => 2,
        [_, ..] => 1,
        [] => 0,
    };
    let mut out = verb.to_uppercase();
    if *verb == "comment" {
        out.push_str(" ON");
    }
    for word in &rest[..take.min(rest.len())] {
        out.push(' ');
        out.push_str(&word.to_uppercase());
    }
    out
}

fn skip_modifiers<'a, 'b>(mut rest: &'a [&'b str]) -> &'a [&'b str] {
    while let [first, tail @ ..] = rest {
        match *first {
            "or" | "replace" | "unique" | "global" | "local" | "unlogged" | "trusted"
            | "procedural" | "constraint" | "recursive" | "if" | "not" | "exists"
            | "concurrently" => rest = tail,
            _ => break,
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_without_parsing() {
        assert_eq!(
            classify("insert into t values (1)").unwrap(),
            "INSERT (data change, no schema effect)"
        );
        assert_eq!(
            classify("DO $$ begin end $$").unwrap(),
            format!("DO ({MAY_CHANGE})")
        );
        assert_eq!(
            classify("create or replace function f() returns int as $$ x $$").unwrap(),
            format!("CREATE FUNCTION ({MAY_CHANGE})")
        );
        assert_eq!(
            classify("/* c */ commit").unwrap(),
            "COMMIT (transaction control, no schema effect)"
        );
        assert_eq!(
            classify("alter default privileges grant").unwrap(),
            format!("ALTER DEFAULT PRIVILEGES ({MAY_CHANGE})")
        );
        assert_eq!(
            classify("comment on function f() is 'x'").unwrap(),
            format!("COMMENT ON FUNCTION ({MAY_CHANGE})")
        );
        assert!(classify("create unique index on t (a)").is_none());
        assert!(classify("Alter Table t add column x int").is_none());
        assert!(classify("comment on column t.a is 'x'").is_none());
    }
}
