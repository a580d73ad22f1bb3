//! Clauses PostgreSQL accepts but sqlparser does not read (`LEAKPROOF`,
//! `COST n` in `CREATE FUNCTION`; trigger arguments; `WITH CHECK OPTION`
//! after a view's query): the statement modules find them among the
//! tokens, remember what they say, and blank them out (keeping every
//! offset, so parse errors still point into the original text) before
//! handing the statement to sqlparser.

use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, Tokenizer};

/// A significant token and its byte range in the statement.
pub(super) struct Tok {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

impl Tok {
    /// Whether this is the unquoted keyword `word` (any case).
    pub fn is(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }
}

/// The statement's tokens without blanks and comments; `None` when it does
/// not tokenize (the parser then reports why).
pub(super) fn tokens(text: &str) -> Option<Vec<Tok>> {
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, text)
        .tokenize_with_location()
        .ok()?;
    // Line starts once, so each token's offset is found without rescanning.
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |l: u64, c: u64| {
        let start = lines
            .get((l as usize).saturating_sub(1))
            .copied()
            .unwrap_or(text.len());
        let within: usize = text[start..]
            .chars()
            .take((c as usize).saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + within
    };
    Some(
        tokens
            .into_iter()
            .filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))
            .map(|t| Tok {
                start: offset(t.span.start.line, t.span.start.column),
                end: offset(t.span.end.line, t.span.end.column),
                token: t.token,
            })
            .collect(),
    )
}

/// `text` with the byte ranges replaced by spaces (newlines kept).
pub(super) fn blank(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(a, b) in ranges {
        for byte in bytes.iter_mut().take(b.min(text.len())).skip(a) {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Only whole tokens are blanked, so the text stays valid UTF-8; fall
    // back to the original if a range ever split a character.
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}
