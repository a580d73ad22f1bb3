//! Statements the replay reads but does not model. They are kept as notes
//! (never silently dropped); the reason says whether the statement may have
//! changed the schema, so a reader knows when the replayed Catalog may be
//! incomplete.

/// Reason suffix for a statement that may change modeled objects (tables,
/// columns, constraints, indexes, types) in ways the replay did not follow.
pub const MAY_CHANGE: &str = "not followed: may change the schema";

/// Reason suffix for a statement that changes only objects the Catalog does
/// not model (roles, publications, event triggers, sequences, …).
pub const OUTSIDE_MODEL: &str = "outside the model: tables, columns and indexes unaffected";

/// How much a noted statement matters to the replayed Catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No schema effect (data changes, queries, transaction control) or an
    /// effect the replay followed.
    Info,
    /// Changes objects the Catalog does not model; what it diffs is exact.
    Notice,
    /// May change what the Catalog models and was not followed: the
    /// replayed Catalog, and so the plan, may be approximate.
    Warning,
    /// Failed on the replayed state because an earlier statement was not
    /// followed; the replay repaired the state and marked the objects
    /// involved approximate.
    Error,
}

/// Why a statement (or a part of one) was noted instead of replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remark {
    pub reason: String,
    pub severity: Severity,
    /// Objects the statement may touch, when they can be guessed
    /// (`core.shows`, `core.shows.title`), sorted and without repeats.
    pub objects: Vec<String>,
    /// Byte offset inside the statement the note points at (0: its start;
    /// a statement inside a `DO` body, where reading stopped).
    pub at: usize,
    /// The text to show when it is not the whole statement (the statement
    /// inside a `DO` body the note is about).
    pub statement: Option<String>,
}

impl Remark {
    pub fn new(reason: impl Into<String>, severity: Severity) -> Remark {
        Remark {
            reason: reason.into(),
            severity,
            objects: Vec::new(),
            at: 0,
            statement: None,
        }
    }

    /// `label (why)`, with no schema effect.
    pub fn info(label: &str, why: &str) -> Remark {
        Remark::new(format!("{label} ({why})"), Severity::Info)
    }

    /// A statement that may change modeled objects and was not followed.
    pub fn not_followed(label: &str) -> Remark {
        Remark::new(format!("{label} ({MAY_CHANGE})"), Severity::Warning)
    }

    /// A statement that changes only objects outside the model.
    pub fn outside_model(label: &str) -> Remark {
        Remark::new(format!("{label} ({OUTSIDE_MODEL})"), Severity::Notice)
    }

    pub fn with_objects(mut self, objects: impl IntoIterator<Item = String>) -> Remark {
        self.objects.extend(objects);
        self.objects.sort();
        self.objects.dedup();
        self
    }
}

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
pub fn classify(text: &str) -> Option<Remark> {
    classify_head(&head_words(text, CLASSIFY_WORDS))
}

/// How many head words [`classify_head`] needs.
pub const CLASSIFY_WORDS: usize = 6;

/// [`classify`] from the statement's first [`CLASSIFY_WORDS`] head words,
/// for callers that already have them.
pub fn classify_head(words: &[String]) -> Option<Remark> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let label = label(&w);
    let reason = |why: &str| Some(Remark::info(&label, why));
    let outside = || Some(Remark::outside_model(&label));
    let unknown = || Some(Remark::not_followed(&label));
    match w.as_slice() {
        [] => unknown(),
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
        // Read by the PL/pgSQL reader (`plpgsql`), which notes what it cannot follow.
        ["do", ..] => None,
        ["create", rest @ ..] => match skip_modifiers(rest) {
            [
                "schema" | "extension" | "table" | "index" | "policy" | "function" | "trigger"
                | "view",
                ..,
            ]
            | ["materialized", "view", ..] => None,
            ["type", ..] => None, // enums are modeled, other types become notes after parsing
            ["temp" | "temporary", ..] => reason("temporary object, no schema effect"),
            [kind, ..] if OUTSIDE_KINDS.contains(kind) => outside(),
            _ => unknown(),
        },
        [
            "alter" | "drop",
            "policy" | "function" | "trigger" | "view",
            ..,
        ]
        | ["alter" | "drop", "materialized", "view", ..]
        | ["alter", "default", "privileges", ..]
        | ["grant" | "revoke", ..] => None,
        ["alter" | "drop", kind, ..] if OUTSIDE_KINDS.contains(kind) => outside(),
        ["security" | "reassign", ..] => outside(),

        ["alter", "table" | "type" | "schema", ..] => None,
        [
            "drop",
            "table" | "index" | "type" | "schema" | "extension",
            ..,
        ] => None,
        [
            "comment",
            "on",
            "schema" | "type" | "table" | "column" | "index" | "function" | "view" | "materialized",
            ..,
        ] => None,
        // A comment never changes structure.
        ["comment", ..] => outside(),
        _ => unknown(),
    }
}

/// Statements the replay reads from tokens before parsing (sqlparser
/// misses clauses of theirs): `CREATE FUNCTION`, `CREATE TRIGGER`,
/// `CREATE [MATERIALIZED] VIEW` and `COMMENT ON FUNCTION`.
pub fn created_kind(words: &[String]) -> Option<&'static str> {
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    match w.as_slice() {
        ["create", rest @ ..] => match skip_modifiers(rest) {
            ["function", ..] => Some("function"),
            ["trigger", ..] => Some("trigger"),
            ["view", ..] | ["materialized", "view", ..] => Some("view"),
            _ => None,
        },
        ["comment", "on", "function", ..] => Some("comment on function"),
        _ => None,
    }
}

/// A parsed statement the replay does not apply: outside the model when
/// it is about privileges or roles, otherwise not followed.
pub fn unmodeled(label: &str) -> Remark {
    let head = label.split_whitespace().next().unwrap_or_default();
    if matches!(head, "GRANT" | "REVOKE") || label.starts_with("ALTER DEFAULT") {
        Remark::outside_model(label)
    } else {
        Remark::not_followed(label)
    }
}

/// Object kinds the Catalog does not model: creating, altering or
/// dropping them leaves what it models as it was. (`DROP PROCEDURE …
/// CASCADE` could drop more; the replay would then keep it.)
const OUTSIDE_KINDS: &[&str] = &[
    "procedure",
    "aggregate",
    "event",
    "role",
    "user",
    "group",
    "sequence",
    "publication",
    "subscription",
    "rule",
    "operator",
    "cast",
    "conversion",
    "collation",
    "domain",
    "server",
    "foreign",
    "text",
    "statistics",
    "language",
    "access",
];

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
        let reason = |sql: &str| classify(sql).map(|r| (r.reason, r.severity)).unwrap();
        assert_eq!(
            reason("insert into t values (1)"),
            (
                "INSERT (data change, no schema effect)".into(),
                Severity::Info
            )
        );
        assert!(classify("DO $$ begin end $$").is_none());
        // Modeled: parsed and applied.
        for modeled in [
            "create or replace function f() returns int as $$ x $$",
            "alter default privileges grant",
            "comment on function f() is 'x'",
            "create materialized view v as select 1",
            "drop policy p on t",
            "grant select on t to anon",
        ] {
            assert!(classify(modeled).is_none(), "{modeled}");
        }
        assert_eq!(
            reason("/* c */ commit"),
            (
                "COMMIT (transaction control, no schema effect)".into(),
                Severity::Info
            )
        );
        assert_eq!(
            reason("create procedure p() as $$ x $$"),
            (
                format!("CREATE PROCEDURE ({OUTSIDE_MODEL})"),
                Severity::Notice
            )
        );
        assert_eq!(
            reason("create publication p for all tables"),
            (
                format!("CREATE PUBLICATION ({OUTSIDE_MODEL})"),
                Severity::Notice
            )
        );
        assert_eq!(
            reason("cluster t using i"),
            (format!("CLUSTER ({MAY_CHANGE})"), Severity::Warning)
        );
        assert!(classify("create unique index on t (a)").is_none());
        assert!(classify("Alter Table t add column x int").is_none());
        assert!(classify("comment on column t.a is 'x'").is_none());
    }
}
