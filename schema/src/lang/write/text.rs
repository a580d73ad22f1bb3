//! How names, strings and values are spelled in the KDL we write, so that
//! the loader reads back exactly what was meant.

use crate::ident::{DEFAULT_SCHEMA, Ident, QualName, is_bare_identifier, quote_ident};

/// A KDL string: bare when KDL v2 reads it as an identifier string, else
/// a raw string when it holds quotes or backslashes (easier to read than
/// escapes), else a quoted string with escapes.
pub fn string(s: &str) -> String {
    if is_bare_kdl(s) {
        return s.to_string();
    }
    prose(s)
}

/// A string always in quotes (raw when that avoids escapes): comments and
/// SQL read better quoted even when KDL would allow a bare word.
pub fn prose(s: &str) -> String {
    let single_line = !s.chars().any(|c| c.is_control());
    if single_line && (s.contains('"') || s.contains('\\')) {
        // `#"…"#` ends at the first `"#`: add hashes until none is inside.
        let mut hashes = "#".to_string();
        while s.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        return format!("{hashes}\"{s}\"{hashes}");
    }
    quoted(s)
}

/// A quoted KDL string with every special character escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Conservative: ASCII letters, digits, `_`, `-` and `.`, starting with a
/// letter or `_`, and not a word KDL v2 reserves.
fn is_bare_kdl(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !matches!(s, "true" | "false" | "null" | "inf" | "nan")
}

/// A name as the loader reads it: bare when it is a plain lower-case
/// identifier (the loader folds bare names), otherwise with the SQL quotes
/// inside the KDL string. Reserved SQL words stay bare: KDL names never go
/// through a SQL parser.
pub fn name_sql(name: &Ident) -> String {
    let s = name.as_str();
    if is_bare_identifier(s) && s == s.to_lowercase() && s.is_ascii() {
        s.to_string()
    } else {
        format!("\"{}\"", s.replace('"', "\"\""))
    }
}

/// [`name_sql`] as a KDL string.
pub fn name(name: &Ident) -> String {
    string(&name_sql(name))
}

/// A table or type name; `public` objects are written unqualified.
pub fn qual_name(q: &QualName) -> String {
    if q.schema.as_str() == DEFAULT_SCHEMA {
        name(&q.name)
    } else {
        string(&format!("{}.{}", name_sql(&q.schema), name_sql(&q.name)))
    }
}

/// An identifier for SQL text (index keys), quoted when SQL needs it,
/// including reserved words.
pub fn sql_ident(name: &Ident) -> String {
    quote_ident(name.as_str())
}

/// A SQL expression property value: a bare KDL integer or boolean when the
/// loader turns it back into the same SQL (`default=0`), else a string.
pub fn sql_value(sql: &str) -> String {
    if let Ok(i) = sql.parse::<i64>()
        && i.to_string() == sql
    {
        return sql.to_string();
    }
    match sql {
        "true" => "#true".into(),
        "false" => "#false".into(),
        _ => prose(sql),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_bare_raw_or_escaped() {
        assert_eq!(string("uuid"), "uuid");
        assert_eq!(string("core.shows"), "core.shows");
        assert_eq!(string("numeric(10,2)"), "\"numeric(10,2)\"");
        assert_eq!(string("true"), "\"true\"");
        assert_eq!(string("1st"), "\"1st\"");
        assert_eq!(string("\"Title\""), "#\"\"Title\"\"#");
        assert_eq!(string("a\"#b"), "##\"a\"#b\"##");
        assert_eq!(string("two\nlines \"q\""), "\"two\\nlines \\\"q\\\"\"");
    }

    #[test]
    fn names_keep_case_with_sql_quotes() {
        assert_eq!(name(&Ident::new("shows")), "shows");
        assert_eq!(name(&Ident::new("user")), "user");
        assert_eq!(name(&Ident::new("Title")), "#\"\"Title\"\"#");
        assert_eq!(qual_name(&QualName::from("public.shows")), "shows");
        assert_eq!(
            qual_name(&QualName::new("Core", "my t")),
            "#\"\"Core\".\"my t\"\"#"
        );
    }

    #[test]
    fn sql_values() {
        assert_eq!(sql_value("0"), "0");
        assert_eq!(sql_value("007"), "\"007\"");
        assert_eq!(sql_value("false"), "#false");
        assert_eq!(sql_value("now()"), "\"now()\"");
    }
}
