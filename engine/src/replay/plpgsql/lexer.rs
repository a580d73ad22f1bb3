//! Tokens of a PL/pgSQL body (or of any SQL text), each with its byte span,
//! so statements found inside a `DO` body can be cut out of the original
//! text and placed at their own line:column.
//!
//! Forgiving like the statement splitter: an unterminated quote or comment
//! runs to the end of the text instead of failing.

use crate::replay::split::{dollar_tag, skip_block_comment};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// An identifier or keyword: lower case unless it was quoted.
    Word {
        text: String,
        quoted: bool,
    },
    /// A string constant's value (`'it''s'` → `it's`, `$q$…$q$` → `…`).
    Str(String),
    Number(String),
    /// Punctuation and operators: `(`, `)`, `,`, `;`, `.`, `::`, `:=`, `=`,
    /// `<>`, `||`, `<<`, `>>`, `..`, …
    Op(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// Whether this is the unquoted keyword `kw` (lower case).
    pub fn is(&self, kw: &str) -> bool {
        matches!(&self.tok, Tok::Word { text, quoted: false } if text == kw)
    }

    pub fn is_op(&self, op: &str) -> bool {
        matches!(&self.tok, Tok::Op(o) if o == op)
    }

    /// The identifier, quoted or not.
    pub fn word(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn string(&self) -> Option<&str> {
        match &self.tok {
            Tok::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// The tokens of `text`, comments and blanks skipped.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let push = |out: &mut Vec<Token>, tok, end| out.push(Token { tok, start, end });
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'-' && bytes.get(i + 1) == Some(&b'-') {
            i = text[i..].find('\n').map_or(bytes.len(), |p| i + p + 1);
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i = skip_block_comment(bytes, i);
        } else if b == b'\'' || ((b == b'e' || b == b'E') && bytes.get(i + 1) == Some(&b'\'')) {
            let escapes = b != b'\'';
            let (value, end) = single_quoted(text, if escapes { i + 1 } else { i }, escapes);
            i = end;
            push(&mut out, Tok::Str(value), i);
        } else if b == b'"' {
            let mut j = i + 1;
            let mut value = String::new();
            loop {
                match text[j..].find('"') {
                    Some(p) if bytes.get(j + p + 1) == Some(&b'"') => {
                        value.push_str(&text[j..j + p + 1]);
                        j += p + 2;
                    }
                    Some(p) => {
                        value.push_str(&text[j..j + p]);
                        j += p + 1;
                        break;
                    }
                    None => {
                        value.push_str(&text[j..]);
                        j = bytes.len();
                        break;
                    }
                }
            }
            i = j;
            push(
                &mut out,
                Tok::Word {
                    text: value,
                    quoted: true,
                },
                i,
            );
        } else if b == b'$'
            && let Some(tag_end) = dollar_tag(bytes, i)
        {
            let tag = &text[i..tag_end];
            let (value, end) = match text[tag_end..].find(tag) {
                Some(p) => (&text[tag_end..tag_end + p], tag_end + p + tag.len()),
                None => (&text[tag_end..], bytes.len()),
            };
            i = end;
            push(&mut out, Tok::Str(value.to_string()), i);
        } else if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 {
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] == b'$'
                    || bytes[i] >= 0x80)
            {
                i += 1;
            }
            let word = text[start..i].to_lowercase();
            push(
                &mut out,
                Tok::Word {
                    text: word,
                    quoted: false,
                },
                i,
            );
        } else if b.is_ascii_digit() {
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            push(&mut out, Tok::Number(text[start..i].to_string()), i);
        } else {
            const TWO: &[&str] = &[
                "::", ":=", "<>", "!=", "<=", ">=", "||", "<<", ">>", "..", "=>",
            ];
            let two = text.get(i..i + 2).filter(|t| TWO.contains(t));
            let op = match two {
                Some(t) => t.to_string(),
                None => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    c.to_string()
                }
            };
            i += op.len();
            push(&mut out, Tok::Op(op), i);
        }
    }
    out
}

/// `'…'` starting at `i` (the quote): its value and the index after it.
fn single_quoted(text: &str, i: usize, escapes: bool) -> (String, usize) {
    let bytes = text.as_bytes();
    let mut value = String::new();
    let mut j = i + 1;
    let mut run = j;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if escapes => {
                value.push_str(&text[run..j]);
                let next = text[j + 1..].chars().next();
                match next {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(c) => value.push(c),
                    None => {}
                }
                j += 1 + next.map_or(0, char::len_utf8);
                run = j;
            }
            b'\'' if bytes.get(j + 1) == Some(&b'\'') => {
                value.push_str(&text[run..=j]);
                j += 2;
                run = j;
            }
            b'\'' => {
                value.push_str(&text[run..j]);
                return (value, j + 1);
            }
            _ => j += 1,
        }
    }
    value.push_str(&text[run.min(bytes.len())..]);
    (value, bytes.len())
}

/// Splits at the operator `op` outside parentheses.
pub fn split_top_op<'t>(toks: &'t [Token], op: &str) -> Vec<&'t [Token]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (k, t) in toks.iter().enumerate() {
        if t.is_op("(") {
            depth += 1;
        } else if t.is_op(")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && t.is_op(op) {
            parts.push(&toks[start..k]);
            start = k + 1;
        }
    }
    parts.push(&toks[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<Tok> {
        tokenize(text).into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn words_strings_and_operators() {
        let w = |s: &str| Tok::Word {
            text: s.into(),
            quoted: false,
        };
        assert_eq!(
            toks("IF x := 'it''s' || E'a\\'b' -- c\n/* d */ \"Q\"::regclass; $q$ ; $q$ 1.5 a..b"),
            vec![
                w("if"),
                w("x"),
                Tok::Op(":=".into()),
                Tok::Str("it's".into()),
                Tok::Op("||".into()),
                Tok::Str("a'b".into()),
                Tok::Word {
                    text: "Q".into(),
                    quoted: true
                },
                Tok::Op("::".into()),
                w("regclass"),
                Tok::Op(";".into()),
                Tok::Str(" ; ".into()),
                Tok::Number("1.5".into()),
                w("a"),
                Tok::Op("..".into()),
                w("b"),
            ]
        );
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "  alter  table";
        let t = tokenize(text);
        assert_eq!(&text[t[1].start..t[1].end], "table");
    }

    #[test]
    fn never_panics_on_truncated_text() {
        let text = "é 'x E'\\ \"q $a$ b $ /* c -- $$ 1. ";
        for cut in (0..=text.len()).filter(|c| text.is_char_boundary(*c)) {
            let _ = tokenize(&text[..cut]);
        }
    }
}
