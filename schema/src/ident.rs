//! PostgreSQL identifiers: folding, quoting and schema qualification.
//!
//! An [`Ident`] always holds the name exactly as PostgreSQL stores it in the
//! catalog (after folding), so two spellings of one name compare equal.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The schema an unqualified name resolves to (we never follow `search_path`).
pub const DEFAULT_SCHEMA: &str = "public";

/// PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated.
pub const MAX_IDENT_BYTES: usize = 63;

/// A catalog name as PostgreSQL stores it (already folded).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ident(String);

impl Ident {
    /// A name that is already in catalog form (e.g. read from `pg_catalog`).
    pub fn new(stored: impl Into<String>) -> Self {
        Ident(stored.into())
    }

    /// A name as written in SQL or KDL: `"Quoted"` keeps its case (with `""`
    /// unescaped), anything else is folded to lower case. Over-long names are
    /// truncated to 63 bytes like PostgreSQL does.
    pub fn from_sql(written: &str) -> Self {
        let written = written.trim();
        let name = if written.len() >= 2 && written.starts_with('"') && written.ends_with('"') {
            written[1..written.len() - 1].replace("\"\"", "\"")
        } else {
            written.to_lowercase()
        };
        Ident(truncate_ident(&name))
    }

    /// A name from sqlparser's AST, honouring its quote style.
    pub fn from_ast(ident: &sqlparser::ast::Ident) -> Self {
        let name = if ident.quote_style.is_some() {
            ident.value.clone()
        } else {
            ident.value.to_lowercase()
        };
        Ident(truncate_ident(&name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name quoted only when PostgreSQL needs it to round-trip.
    pub fn quoted(&self) -> String {
        quote_ident(&self.0)
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.quoted())
    }
}

impl From<&str> for Ident {
    fn from(s: &str) -> Self {
        Ident::new(s)
    }
}

/// Whether `part` can be written without quotes in SQL: a letter or `_`,
/// then letters, digits, `_` or `$`. Quoted parts (`"My Name"`) are
/// always valid; this is for the unquoted ones.
pub fn is_bare_identifier(part: &str) -> bool {
    part.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && part
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
}

/// Whether every part of a written (possibly dotted) name is either quoted
/// or a bare identifier.
pub fn is_well_formed(written: &str) -> bool {
    split_qualified(written).is_some_and(|parts| {
        parts.iter().all(|p| {
            (p.len() >= 2 && p.starts_with('"') && p.ends_with('"')) || is_bare_identifier(p)
        })
    })
}

/// Truncates to 63 bytes on a character boundary, as PostgreSQL does.
pub fn truncate_ident(name: &str) -> String {
    if name.len() <= MAX_IDENT_BYTES {
        return name.to_string();
    }
    let mut end = MAX_IDENT_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_string()
}

/// Quotes `name` unless it is a plain lower-case identifier that is not a
/// reserved keyword.
pub fn quote_ident(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
        && !is_reserved_keyword(name);
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// A string literal as PostgreSQL reads it with standard conforming
/// strings: `'it''s'`.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// PostgreSQL keywords that cannot be used as a bare column or table name
/// (reserved, and the type/function-name ones that break in some positions).
pub fn is_reserved_keyword(name: &str) -> bool {
    const RESERVED: &[&str] = &[
        "all",
        "analyse",
        "analyze",
        "and",
        "any",
        "array",
        "as",
        "asc",
        "asymmetric",
        "authorization",
        "between",
        "bigint",
        "binary",
        "bit",
        "boolean",
        "both",
        "case",
        "cast",
        "char",
        "character",
        "check",
        "coalesce",
        "collate",
        "collation",
        "column",
        "concurrently",
        "constraint",
        "create",
        "cross",
        "current_catalog",
        "current_date",
        "current_role",
        "current_schema",
        "current_time",
        "current_timestamp",
        "current_user",
        "dec",
        "decimal",
        "default",
        "deferrable",
        "desc",
        "distinct",
        "do",
        "else",
        "end",
        "except",
        "exists",
        "extract",
        "false",
        "fetch",
        "float",
        "for",
        "foreign",
        "freeze",
        "from",
        "full",
        "grant",
        "greatest",
        "group",
        "grouping",
        "having",
        "ilike",
        "in",
        "initially",
        "inner",
        "inout",
        "int",
        "integer",
        "intersect",
        "interval",
        "into",
        "is",
        "isnull",
        "join",
        "lateral",
        "leading",
        "least",
        "left",
        "like",
        "limit",
        "localtime",
        "localtimestamp",
        "national",
        "natural",
        "nchar",
        "none",
        "normalize",
        "not",
        "notnull",
        "null",
        "nullif",
        "numeric",
        "offset",
        "on",
        "only",
        "or",
        "order",
        "out",
        "outer",
        "overlaps",
        "overlay",
        "placing",
        "position",
        "precision",
        "primary",
        "real",
        "references",
        "returning",
        "right",
        "row",
        "select",
        "session_user",
        "setof",
        "similar",
        "smallint",
        "some",
        "substring",
        "symmetric",
        "system_user",
        "table",
        "tablesample",
        "then",
        "time",
        "timestamp",
        "to",
        "trailing",
        "treat",
        "trim",
        "true",
        "union",
        "unique",
        "user",
        "using",
        "values",
        "varchar",
        "variadic",
        "verbose",
        "when",
        "where",
        "window",
        "with",
        "xmlattributes",
        "xmlconcat",
        "xmlelement",
        "xmlexists",
        "xmlforest",
        "xmlnamespaces",
        "xmlparse",
        "xmlpi",
        "xmlroot",
        "xmlserialize",
        "xmltable",
    ];
    RESERVED.binary_search(&name).is_ok()
}

/// A schema-qualified name (`core.shows`). Unqualified input resolves to
/// [`DEFAULT_SCHEMA`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualName {
    pub schema: Ident,
    pub name: Ident,
}

impl QualName {
    pub fn new(schema: impl Into<Ident>, name: impl Into<Ident>) -> Self {
        QualName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// Parses `a.b`, `"A".b` or `b` as written in SQL/KDL, folding each part.
    pub fn from_sql(written: &str) -> Option<Self> {
        let parts = split_qualified(written)?;
        match parts.as_slice() {
            [name] => Some(QualName::new(
                Ident::new(DEFAULT_SCHEMA),
                Ident::from_sql(name),
            )),
            [schema, name] => Some(QualName::new(
                Ident::from_sql(schema),
                Ident::from_sql(name),
            )),
            _ => None,
        }
    }

    /// From a sqlparser object name (`[schema.]name`).
    pub fn from_ast(name: &sqlparser::ast::ObjectName) -> Option<Self> {
        let parts: Vec<Ident> = name
            .0
            .iter()
            .map(|p| p.as_ident().map(Ident::from_ast))
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [n] => Some(QualName::new(Ident::new(DEFAULT_SCHEMA), n.clone())),
            [s, n] => Some(QualName::new(s.clone(), n.clone())),
            _ => None,
        }
    }
}

impl fmt::Display for QualName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema, self.name)
    }
}

impl From<&str> for QualName {
    /// Test helper: `"core.shows"` already in catalog form.
    fn from(s: &str) -> Self {
        QualName::from_sql(s).expect("valid qualified name")
    }
}

/// Splits a possibly quoted dotted name into its raw parts (quotes kept).
/// Returns `None` for an empty part or an unterminated quote.
pub fn split_qualified(written: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut chars = written.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                current.push_str("\"\"");
                chars.next();
            }
            '"' => {
                in_quotes = !in_quotes;
                current.push('"');
            }
            '.' if !in_quotes => {
                if current.trim().is_empty() {
                    return None;
                }
                parts.push(std::mem::take(&mut current).trim().to_string());
            }
            _ => current.push(c),
        }
    }
    if in_quotes || current.trim().is_empty() {
        return None;
    }
    parts.push(current.trim().to_string());
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_unquoted_and_keeps_quoted() {
        assert_eq!(Ident::from_sql("Shows").as_str(), "shows");
        assert_eq!(Ident::from_sql("\"Shows\"").as_str(), "Shows");
        assert_eq!(Ident::from_sql("\"a\"\"b\"").as_str(), "a\"b");
    }

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(quote_ident("shows"), "shows");
        assert_eq!(quote_ident("Shows"), "\"Shows\"");
        assert_eq!(quote_ident("my table"), "\"my table\"");
        assert_eq!(quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("1abc"), "\"1abc\"");
    }

    #[test]
    fn reserved_list_is_sorted_for_binary_search() {
        assert!(is_reserved_keyword("select"));
        assert!(is_reserved_keyword("xmltable"));
        assert!(!is_reserved_keyword("shows"));
    }

    #[test]
    fn qualifies_names() {
        assert_eq!(
            QualName::from_sql("shows").unwrap().to_string(),
            "public.shows"
        );
        assert_eq!(
            QualName::from_sql("Core.\"My.T\"").unwrap().to_string(),
            "core.\"My.T\""
        );
        assert!(QualName::from_sql("a..b").is_none());
        assert!(QualName::from_sql("\"open").is_none());
    }

    #[test]
    fn well_formed_names() {
        assert!(is_well_formed("core.shows"));
        assert!(is_well_formed("\"Display Name\""));
        assert!(is_well_formed("_x$1"));
        assert!(!is_well_formed("Display Name"));
        assert!(!is_well_formed("1st"));
        assert!(!is_well_formed("a-b"));
    }

    #[test]
    fn truncates_long_names_on_char_boundary() {
        let long = "é".repeat(40);
        assert!(Ident::from_sql(&long).as_str().len() <= 63);
    }
}
