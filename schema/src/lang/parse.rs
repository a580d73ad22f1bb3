//! KDL text → nodes, and checked access to a node's arguments, properties
//! and children. Every accessor reports what it expected into the [`Sink`]
//! instead of failing, so loading carries on and finds every problem.

use super::errors::{Diag, Loc, Sink, did_you_mean};
use crate::ident::{Ident, QualName};
use kdl::{KdlDocument, KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;

/// Far deeper than the language ever nests; a guard for the parser's
/// recursion, which would otherwise overflow the stack.
const MAX_DEPTH: usize = 64;

/// The byte offset of the first `{` nested deeper than [`MAX_DEPTH`],
/// skipping strings and comments (an approximate KDL lexer: enough to
/// count blocks).
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b'}' => depth = depth.saturating_sub(1),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b'#' if bytes.get(i + 1).is_some_and(|b| *b == b'"' || *b == b'#') => {
                // Raw string: `#"…"#` with as many `#` on both sides.
                let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
                if bytes.get(i + hashes) == Some(&b'"') {
                    let close: Vec<u8> = std::iter::once(b'"')
                        .chain(std::iter::repeat_n(b'#', hashes))
                        .collect();
                    i += hashes + 1;
                    while i < bytes.len() && !bytes[i..].starts_with(&close) {
                        i += 1;
                    }
                    i += close.len() - 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Parses one file; syntax errors go to `sink`.
pub fn parse_file(file: usize, text: &str, sink: &mut Sink) -> Option<KdlDocument> {
    if let Some(at) = too_deep(text) {
        sink.push(
            Diag::new(
                Loc::new(file, (at, 1).into()),
                format!("blocks are nested more than {MAX_DEPTH} levels deep"),
                "too deep",
            )
            .help("the schema language nests a few levels (table → column → references); close the `{` blocks"),
        );
        return None;
    }
    match KdlDocument::parse_v2(text) {
        Ok(doc) => Some(doc),
        Err(err) => {
            if err.diagnostics.is_empty() {
                sink.push(
                    Diag::new(
                        Loc::new(file, (0, 0).into()),
                        "this file is not valid KDL",
                        "here",
                    )
                    .help("see docs/kdl.md for the syntax"),
                );
            }
            for d in &err.diagnostics {
                let message = d.message.clone().unwrap_or_else(|| "invalid KDL".into());
                let span = clamp(d.span, text.len());
                let written = text
                    .get(span.offset()..span.offset() + span.len())
                    .unwrap_or_default();
                let help = if ["true", "false", "null"].contains(&written) {
                    format!("bare `{written}` is reserved in KDL v2: write `#{written}`")
                } else {
                    d.help.clone().unwrap_or_else(|| {
                        "KDL v2: strings with spaces or punctuation need quotes, booleans are #true/#false".into()
                    })
                };
                sink.push(
                    Diag::new(
                        Loc::new(file, span),
                        format!("KDL syntax error: {message}"),
                        d.label.clone().unwrap_or_else(|| "here".into()),
                    )
                    .help(help),
                );
            }
            None
        }
    }
}

/// KDL type annotations (`(u8)5`, `(sql)"now()"`) mean nothing in this
/// language; silently ignoring one would hide a misunderstanding.
pub fn check_annotations(doc: &KdlDocument, file: usize, sink: &mut Sink) {
    for node in doc.nodes() {
        let annotated = node.ty().map(|t| t.span()).into_iter().chain(
            node.entries()
                .iter()
                .filter_map(|e| e.ty().map(|_| e.span())),
        );
        for span in annotated {
            sink.push(
                Diag::new(
                    Loc::new(file, span),
                    "type annotations are not part of the schema language",
                    "annotation here",
                )
                .help("remove the `(…)` prefix; column types are the second argument of `column`"),
            );
        }
        if let Some(children) = node.children() {
            check_annotations(children, file, sink);
        }
    }
}

/// Whether `word` is a plain lower-case SQL word (`fillfactor`, `plpgsql`,
/// `search_path`): what a language, a storage parameter or a part of a
/// setting name must be. Anything else would reach SQL outside quotes.
pub fn is_sql_word(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A NUL character anywhere in the document (a name, a key, a value,
/// written raw or as `\u{0}`) is an error: PostgreSQL cannot store it, and
/// tools that run SQL files (psql) end the line there, so the quoting of
/// everything after it would flip.
pub fn check_nul(doc: &KdlDocument, file: usize, sink: &mut Sink) {
    let report = |span: SourceSpan, what: &str, sink: &mut Sink| {
        sink.push(
            Diag::new(
                Loc::new(file, span),
                format!("{what} contains a NUL character (\\u{{0}})"),
                "NUL here",
            )
            .help("remove it: PostgreSQL text cannot hold NUL, and SQL files would end the line there"),
        );
    };
    for node in doc.nodes() {
        if node.name().value().contains('\0') {
            report(node.name().span(), "this node name", sink);
        }
        for e in node.entries() {
            if let Some(name) = e.name().filter(|n| n.value().contains('\0')) {
                report(name.span(), "this property name", sink);
            }
            if matches!(e.value(), KdlValue::String(s) if s.contains('\0')) {
                report(e.span(), "this string", sink);
            }
        }
        if let Some(children) = node.children() {
            check_nul(children, file, sink);
        }
    }
}

fn clamp(span: SourceSpan, len: usize) -> SourceSpan {
    let start = span.offset().min(len);
    let end = (span.offset() + span.len()).min(len);
    (start, end - start).into()
}

/// A node being read, with its file.
#[derive(Clone, Copy)]
pub struct NodeView<'a> {
    pub node: &'a KdlNode,
    pub file: usize,
}

impl<'a> NodeView<'a> {
    pub fn new(node: &'a KdlNode, file: usize) -> Self {
        NodeView { node, file }
    }

    pub fn name(&self) -> &'a str {
        self.node.name().value()
    }

    /// The node's name, where most problems about the node point.
    pub fn name_loc(&self) -> Loc {
        Loc::new(self.file, self.node.name().span())
    }

    pub fn entry_loc(&self, e: &KdlEntry) -> Loc {
        Loc::new(self.file, e.span())
    }

    pub fn args(&self) -> Vec<&'a KdlEntry> {
        self.node
            .entries()
            .iter()
            .filter(|e| e.name().is_none())
            .collect()
    }

    pub fn props(&self) -> impl Iterator<Item = &'a KdlEntry> {
        self.node.entries().iter().filter(|e| e.name().is_some())
    }

    pub fn children(&self) -> Vec<NodeView<'a>> {
        self.node
            .children()
            .map(|d| {
                d.nodes()
                    .iter()
                    .map(|n| NodeView::new(n, self.file))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Reports every property not in `allowed`.
    pub fn check_props(&self, allowed: &[&str], sink: &mut Sink) {
        for e in self.props() {
            let key = e.name().map(|n| n.value()).unwrap_or_default();
            if !allowed.contains(&key) {
                let list = if allowed.is_empty() {
                    format!("`{}` takes no properties", self.name())
                } else {
                    format!(
                        "allowed on `{}`: {}",
                        self.name(),
                        allowed
                            .iter()
                            .map(|a| format!("{a}="))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let help = match did_you_mean(key, allowed.iter().copied()) {
                    Some(d) => format!("{d} ({list})"),
                    None => list,
                };
                sink.push(
                    Diag::new(
                        self.entry_loc(e),
                        format!("unknown property `{key}` on `{}`", self.name()),
                        "not a property of this node",
                    )
                    .help(help),
                );
            }
        }
    }

    /// Reports children named in `single` that appear more than once.
    pub fn single_children(&self, single: &[&str], sink: &mut Sink) {
        let children = self.children();
        for (i, c) in children.iter().enumerate() {
            if !single.contains(&c.name()) {
                continue;
            }
            if let Some(first) = children[..i].iter().find(|p| p.name() == c.name()) {
                sink.push(
                    Diag::new(
                        c.name_loc(),
                        format!("`{}` is given twice in one `{}`", c.name(), self.name()),
                        "given again",
                    )
                    .also(first.name_loc(), "first given here")
                    .help("keep one; a later one would silently replace the first"),
                );
            }
        }
    }

    /// Reports a block on a node that takes none.
    pub fn no_children(&self, sink: &mut Sink) {
        if let Some(children) = self.node.children() {
            sink.push(
                Diag::new(
                    Loc::new(self.file, children.span()),
                    format!("`{}` does not take a block", self.name()),
                    "unexpected block",
                )
                .help("remove the `{ … }` block"),
            );
        }
    }

    /// Reports arguments past `max`.
    pub fn max_args(&self, max: usize, what: &str, sink: &mut Sink) {
        for e in self.args().into_iter().skip(max) {
            sink.push(
                Diag::new(
                    self.entry_loc(e),
                    format!("too many arguments to `{}`", self.name()),
                    "extra argument",
                )
                .help(format!("`{}` takes {what}", self.name())),
            );
        }
    }

    /// The `i`-th argument as a string, or a problem saying it is missing.
    pub fn req_arg(
        &self,
        i: usize,
        what: &str,
        example: &str,
        sink: &mut Sink,
    ) -> Option<(String, Loc)> {
        match self.args().get(i) {
            Some(e) => self
                .string_of(e, what, sink)
                .map(|s| (s, self.entry_loc(e))),
            None => {
                sink.push(
                    Diag::new(
                        self.name_loc(),
                        format!("`{}` is missing {what}", self.name()),
                        format!("expected {what} after this"),
                    )
                    .help(format!("write it like `{example}`")),
                );
                None
            }
        }
    }

    /// All arguments from `from` on, as strings.
    pub fn rest_args(&self, from: usize, what: &str, sink: &mut Sink) -> Vec<(String, Loc)> {
        self.args()
            .into_iter()
            .skip(from)
            .filter_map(|e| {
                self.string_of(e, what, sink)
                    .map(|s| (s, self.entry_loc(e)))
            })
            .collect()
    }

    /// A string value (bare identifiers are strings in KDL).
    pub fn string_of(&self, e: &KdlEntry, what: &str, sink: &mut Sink) -> Option<String> {
        match e.value() {
            KdlValue::String(s) => Some(s.clone()),
            other => {
                sink.push(
                    Diag::new(
                        self.entry_loc(e),
                        format!("expected {what} (a string), found {}", describe(other)),
                        "not a string",
                    )
                    .help(format!("write {what} as a bare word or in double quotes")),
                );
                None
            }
        }
    }

    /// Whether property `key` is written (whatever its value).
    pub fn has_prop(&self, key: &str) -> bool {
        self.prop(key).is_some()
    }

    fn prop(&self, key: &str) -> Option<&'a KdlEntry> {
        // The last occurrence wins, as in KDL.
        self.props()
            .filter(|e| e.name().is_some_and(|n| n.value() == key))
            .last()
    }

    pub fn prop_string(&self, key: &str, what: &str, sink: &mut Sink) -> Option<(String, Loc)> {
        let e = self.prop(key)?;
        match e.value() {
            KdlValue::String(s) => Some((s.clone(), self.entry_loc(e))),
            other => {
                sink.push(
                    Diag::new(
                        self.entry_loc(e),
                        format!("`{key}=` expects {what}, found {}", describe(other)),
                        "wrong value type",
                    )
                    .help(format!("write `{key}=\"…\"`")),
                );
                None
            }
        }
    }

    /// A SQL expression property: a string, or a number or boolean taken as
    /// the SQL literal it spells (`default=0`, `default=#false`).
    pub fn prop_sql(&self, key: &str, sink: &mut Sink) -> Option<(String, Loc)> {
        let e = self.prop(key)?;
        let text = match e.value() {
            KdlValue::String(s) => s.clone(),
            KdlValue::Integer(i) => i.to_string(),
            KdlValue::Float(f) => f.to_string(),
            KdlValue::Bool(b) => b.to_string(),
            KdlValue::Null => {
                sink.push(
                    Diag::new(
                        self.entry_loc(e),
                        format!("`{key}=` expects a SQL expression, found #null"),
                        "wrong value type",
                    )
                    .help(format!(
                        "write the SQL in a string, e.g. `{key}=\"null\"`, or leave `{key}=` out"
                    )),
                );
                return None;
            }
        };
        Some((text, self.entry_loc(e)))
    }

    /// A `#true`/`#false` property; absent means `false`.
    pub fn prop_bool(&self, key: &str, sink: &mut Sink) -> bool {
        let Some(e) = self.prop(key) else {
            return false;
        };
        match e.value() {
            KdlValue::Bool(b) => *b,
            other => {
                sink.push(
                    Diag::new(
                        self.entry_loc(e),
                        format!(
                            "`{key}=` expects #true or #false, found {}",
                            describe(other)
                        ),
                        "wrong value type",
                    )
                    .help(format!(
                        "write `{key}=#true` (KDL v2 booleans start with `#`)"
                    )),
                );
                false
            }
        }
    }

    /// A property whose value is one of `choices`.
    pub fn prop_choice(
        &self,
        key: &str,
        choices: &[&'static str],
        sink: &mut Sink,
    ) -> Option<&'static str> {
        let e = self.prop(key)?;
        let list = choices.join(", ");
        match e.value() {
            KdlValue::String(s) => match choices.iter().find(|c| c.eq_ignore_ascii_case(s)) {
                Some(c) => Some(c),
                None => {
                    let mut help = format!("`{key}=` is one of: {list}");
                    if let Some(d) = did_you_mean(s, choices.iter().copied()) {
                        help = format!("{d} ({help})");
                    }
                    sink.push(
                        Diag::new(
                            self.entry_loc(e),
                            format!("`{s}` is not a valid `{key}=`"),
                            "unknown value",
                        )
                        .help(help),
                    );
                    None
                }
            },
            other => {
                sink.push(
                    Diag::new(
                        self.entry_loc(e),
                        format!("`{key}=` expects one of {list}, found {}", describe(other)),
                        "wrong value type",
                    )
                    .help(format!("write e.g. `{key}={}`", choices[0])),
                );
                None
            }
        }
    }
}

/// How a value is described in messages.
pub fn describe(v: &KdlValue) -> String {
    match v {
        KdlValue::String(s) => format!("the string \"{s}\""),
        KdlValue::Integer(i) => format!("the number {i}"),
        KdlValue::Float(f) => format!("the number {f}"),
        KdlValue::Bool(b) => format!("#{b}"),
        KdlValue::Null => "#null".into(),
    }
}

/// A possibly schema-qualified object name, or a problem.
pub fn qual_name(written: &str, at: Loc, what: &str, sink: &mut Sink) -> Option<QualName> {
    match QualName::from_sql(written).filter(|_| crate::ident::is_well_formed(written)) {
        Some(q) => Some(q),
        None => {
            sink.push(
                Diag::new(at, format!("`{written}` is not a valid {what} name"), "invalid name").help(
                    "write `name` or `schema.name`; keep case with SQL quotes inside the string: `\"\\\"Name\\\"\"`",
                ),
            );
            None
        }
    }
}

/// A single identifier (column, index, constraint, schema), or a problem.
pub fn ident(written: &str, at: Loc, what: &str, sink: &mut Sink) -> Option<Ident> {
    match crate::ident::split_qualified(written) {
        Some(parts) if parts.len() == 1 && crate::ident::is_well_formed(written) => {
            Some(Ident::from_sql(&parts[0]))
        }
        _ => {
            sink.push(
                Diag::new(at, format!("`{written}` is not a valid {what} name"), "invalid name").help(format!(
                    "a {what} name is a single identifier (no schema); keep case with SQL quotes: `\"\\\"Name\\\"\"`"
                )),
            );
            None
        }
    }
}

/// Splits `include="a b"` into names, respecting SQL quotes.
pub fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                cur.push(c);
            }
            c if (c.is_whitespace() || c == ',') && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod depth_tests {
    use crate::lang::test_util::{errors, load};

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!(
            "table core.x {{{}{}}}",
            " n {".repeat(5000),
            "}".repeat(5000)
        );
        let e = errors(&deep);
        assert!(e.contains("nested more than 64 levels deep"), "{e}");
        // Braces inside strings and comments do not count.
        let fine = format!(
            "table core.x {{ column a int {{ comment \"{}\" }} }} // {}\n/* {} */",
            "{".repeat(100),
            "{".repeat(100),
            "{".repeat(100)
        );
        assert!(load(&fine).is_ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_are_reported_not_panicked() {
        let mut sink = Sink::default();
        assert!(parse_file(0, "table x { column", &mut sink).is_none());
        assert!(!sink.is_empty());
        let mut sink = Sink::default();
        assert!(parse_file(0, "table x { column a text }", &mut sink).is_some());
        assert!(sink.is_empty());
    }

    #[test]
    fn reads_props_with_type_checks() {
        let doc = KdlDocument::parse_v2("column a text nullable=\"yes\" identity=always bogus=1")
            .unwrap();
        let v = NodeView::new(&doc.nodes()[0], 0);
        let mut sink = Sink::default();
        assert!(!v.prop_bool("nullable", &mut sink));
        assert_eq!(
            v.prop_choice("identity", &["always", "by-default"], &mut sink),
            Some("always")
        );
        v.check_props(&["nullable", "identity"], &mut sink);
        assert_eq!(sink.diags.len(), 2);
        assert!(sink.diags[0].message.contains("expects #true or #false"));
        assert!(sink.diags[1].message.contains("unknown property `bogus`"));
    }

    #[test]
    fn annotations_are_reported() {
        let doc = KdlDocument::parse_v2("(t)table x { column a (sql)\"int\" }").unwrap();
        let mut sink = Sink::default();
        check_annotations(&doc, 0, &mut sink);
        assert_eq!(sink.diags.len(), 2);
    }

    #[test]
    fn splits_words_keeping_quotes() {
        assert_eq!(split_words("a b,\"C d\""), vec!["a", "b", "\"C d\""]);
    }
}
