//! Splits a SQL file into statements, aware of quotes, dollar quotes,
//! comments and `BEGIN ATOMIC … END` bodies, so one bad statement does not
//! lose the rest of the file.
//!
//! The scanner is deliberately forgiving: an unterminated quote or comment
//! runs to the end of the file and ends the last statement there, so the
//! parser (not the splitter) reports what is wrong with it.

/// One statement of a file, without its terminating `;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub text: String,
    /// Byte offset of the statement's first character in the file (after
    /// any leading blanks and comments).
    pub offset: usize,
}

/// The statements of `sql` in order; blank and comment-only pieces are skipped.
pub fn split_statements(sql: &str) -> Vec<Statement> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Words seen at depth 0 of the current statement, to spot `BEGIN ATOMIC`.
    let mut prev_word = String::new();
    let mut atomic_depth = 0usize;
    let mut has_code = false;
    while i < bytes.len() {
        let b = bytes[i];
        let is_comment = (b == b'-' && bytes.get(i + 1) == Some(&b'-'))
            || (b == b'/' && bytes.get(i + 1) == Some(&b'*'));
        if !has_code && !is_comment && !b.is_ascii_whitespace() && b != b';' {
            // Leading comments belong to no statement: start at the code.
            start = i;
        }
        match b {
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = memchr(bytes, i, b'\n').map_or(bytes.len(), |n| n + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => i = skip_block_comment(bytes, i),
            b'\'' => {
                has_code = true;
                let escapes = i > 0
                    && matches!(bytes[i - 1], b'e' | b'E')
                    && !is_ident_byte(bytes.get(i.wrapping_sub(2)).copied());
                i = skip_single_quoted(bytes, i, escapes);
                prev_word.clear();
            }
            b'"' => {
                has_code = true;
                i = skip_double_quoted(bytes, i);
                prev_word.clear();
            }
            b'$' if !(i > 0 && is_ident_byte(Some(bytes[i - 1]))) => {
                has_code = true;
                match dollar_tag(bytes, i) {
                    Some(tag_end) => {
                        let tag = &sql[i..tag_end];
                        i = find(sql, tag_end, tag).map_or(bytes.len(), |p| p + tag.len());
                    }
                    None => i += 1,
                }
                prev_word.clear();
            }
            b';' if atomic_depth == 0 => {
                push(&mut out, sql, start, i, has_code);
                i += 1;
                start = i;
                has_code = false;
                prev_word.clear();
            }
            _ if is_ident_start(b) => {
                has_code = true;
                let word_start = i;
                while i < bytes.len() && is_ident_byte(Some(bytes[i])) {
                    i += 1;
                }
                let word = sql[word_start..i].to_ascii_lowercase();
                // Inside `BEGIN ATOMIC … END`, nested `CASE … END` also ends in
                // `END`; track both so only the body's own `END` closes it.
                let opens_body = prev_word == "begin" && word == "atomic";
                if opens_body || (atomic_depth > 0 && word == "case") {
                    atomic_depth += 1;
                } else if atomic_depth > 0 && word == "end" {
                    atomic_depth -= 1;
                }
                prev_word = word;
            }
            _ => {
                if !b.is_ascii_whitespace() {
                    has_code = true;
                    prev_word.clear();
                }
                i += 1;
            }
        }
    }
    push(&mut out, sql, start, sql.len(), has_code);
    out
}

fn push(out: &mut Vec<Statement>, sql: &str, start: usize, end: usize, has_code: bool) {
    if !has_code {
        return;
    }
    let piece = &sql[start..end.min(sql.len())];
    let lead = piece.len() - piece.trim_start().len();
    let text = piece.trim();
    if !text.is_empty() {
        out.push(Statement {
            text: text.to_string(),
            offset: start + lead,
        });
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_byte(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80)
}

fn memchr(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes[from..]
        .iter()
        .position(|&b| b == needle)
        .map(|p| p + from)
}

fn find(sql: &str, from: usize, needle: &str) -> Option<usize> {
    sql.get(from..)?.find(needle).map(|p| p + from)
}

/// sqlparser's tokens of a statement without blanks, comments and the
/// final `;`, for the statements read token by token; `None` when it does
/// not tokenize.
pub(crate) fn significant_tokens(text: &str) -> Option<Vec<sqlparser::tokenizer::Token>> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(&sqlparser::dialect::PostgreSqlDialect {}, text)
        .tokenize()
        .ok()?;
    Some(
        tokens
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_) | Token::SemiColon))
            .collect(),
    )
}

/// `/* … */`, nested as PostgreSQL allows; returns the index after it.
pub(crate) fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// `'…'` with `''` doubling, and backslash escapes for `E'…'`.
fn skip_single_quoted(bytes: &[u8], mut i: usize, escapes: bool) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if escapes => i += 2,
            b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_double_quoted(bytes: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' if bytes.get(i + 1) == Some(&b'"') => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of a dollar-quote opening tag (`$$` or `$tag$`) starting at `i`.
pub(crate) fn dollar_tag(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if bytes.get(j).is_some_and(|b| b.is_ascii_digit()) {
        return None; // `$1` is a parameter, not a quote
    }
    while j < bytes.len() {
        match bytes[j] {
            b'$' => return Some(j + 1),
            b if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 => j += 1,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sql: &str) -> Vec<String> {
        split_statements(sql).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn splits_on_semicolons_with_offsets() {
        let s = split_statements("create table a (x int);\n  select 1;\n\n");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].offset, 0);
        assert_eq!(s[1].text, "select 1");
        assert_eq!(s[1].offset, 26);
        assert_eq!(texts("select 1"), vec!["select 1"]);
    }

    #[test]
    fn quotes_hide_semicolons() {
        assert_eq!(
            texts("select 'a;b'; select 'it''s;'"),
            vec!["select 'a;b'", "select 'it''s;'"]
        );
        assert_eq!(
            texts(r"select E'a\';b'; select 2"),
            vec![r"select E'a\';b'", "select 2"]
        );
        // Outside E'' a backslash is literal, so the quote closes after it.
        assert_eq!(
            texts(r"select 'a\'; select 2"),
            vec![r"select 'a\'", "select 2"]
        );
        assert_eq!(
            texts("create table \"a;b\" (x int); select 1"),
            vec!["create table \"a;b\" (x int)", "select 1"]
        );
    }

    #[test]
    fn dollar_quotes_hide_semicolons() {
        let sql = "create function f() returns int as $$ select 1; $$ language sql;\ndo $body$ begin perform 1; end $body$; select $1";
        assert_eq!(
            texts(sql),
            vec![
                "create function f() returns int as $$ select 1; $$ language sql",
                "do $body$ begin perform 1; end $body$",
                "select $1"
            ]
        );
        // A `$` inside an identifier is not a quote.
        assert_eq!(
            texts("select a$b; select 2"),
            vec!["select a$b", "select 2"]
        );
    }

    #[test]
    fn comments_are_skipped_and_nest() {
        let sql = "-- header; not a statement\n/* a /* nested; */ still; */ select 1; -- trailing;\n/* only */";
        let s = split_statements(sql);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].text, "select 1");
        assert_eq!(&sql[s[0].offset..s[0].offset + 6], "select");
    }

    #[test]
    fn begin_atomic_bodies_stay_whole() {
        let sql = "create function f() returns int language sql begin atomic select 1; select case when true then 1 end; end; select 2; begin; commit";
        assert_eq!(
            texts(sql),
            vec![
                "create function f() returns int language sql begin atomic select 1; select case when true then 1 end; end",
                "select 2",
                "begin",
                "commit"
            ]
        );
    }

    #[test]
    fn never_panics_on_garbage() {
        let inputs = [
            "'",
            "\"",
            "$$",
            "$a$ x",
            "/*",
            "/* /* */",
            "--",
            "E'\\",
            "$",
            "é'é",
            "begin atomic",
            ";;;",
            "$1$",
            "select 'é",
            "x\"é",
            "$é$ é $é",
            "e'\\'",
        ];
        for input in inputs {
            let _ = split_statements(input);
            for cut in 0..=input.len() {
                if input.is_char_boundary(cut) {
                    let _ = split_statements(&input[..cut]);
                }
            }
        }
        assert_eq!(
            texts("select 'unterminated; select 2"),
            vec!["select 'unterminated; select 2"]
        );
        assert!(texts(";;  ;").is_empty());
    }
}
