//! `index` nodes: keys as arguments or `on` children, `with` storage
//! parameters, `include=`, `where=`.

use super::column::expression;
use super::decl::{IndexDecl, Named};
use super::errors::{Diag, Loc, Sink, did_you_mean};
use super::objects::{read_comment, unknown_node};
use super::parse::{NodeView, describe, ident, is_sql_word, split_words};
use crate::catalog::{Index, IndexTarget};
use crate::ident::QualName;
use crate::index_key::parse_index_key;
use kdl::KdlValue;
use std::collections::BTreeMap;

const PROPS: &[&str] = &["using", "where", "unique", "include", "nulls-not-distinct"];
// hnsw and ivfflat: pgvector's, for embeddings.
const METHODS: &[&str] = &[
    "btree", "hash", "gin", "gist", "brin", "spgist", "hnsw", "ivfflat",
];

/// `using=`: PostgreSQL's own access methods, or an extension's (`hnsw`,
/// `ivfflat`, `bloom`) written as a plain name; a near miss of a built-in
/// one (`btrie`) is a typo, not an extension.
fn access_method(v: NodeView<'_>, sink: &mut Sink) -> String {
    let Some((written, at)) = v.prop_string("using", "an access method", sink) else {
        return "btree".into();
    };
    let lower = written.to_lowercase();
    if METHODS.contains(&lower.as_str()) {
        return lower;
    }
    let near = METHODS
        .iter()
        .any(|m| strsim::damerau_levenshtein(m, &lower) <= 1);
    if is_sql_word(&lower) && !near {
        return lower;
    }
    let mut help = format!(
        "`using=` is one of {}, or an extension's access method such as hnsw",
        METHODS.join(", ")
    );
    if let Some(d) = did_you_mean(&lower, METHODS.iter().copied()) {
        help = format!("{d} ({help})");
    }
    sink.push(
        Diag::new(
            at,
            format!("`{written}` is not a valid `using=`"),
            "unknown access method",
        )
        .help(help),
    );
    "btree".into()
}

/// A number (`70`, `0.5`) or a plain word (`auto`, `on`): every value an
/// index storage parameter takes.
fn is_option_value(text: &str) -> bool {
    let lower = text.to_lowercase();
    is_sql_word(&lower)
        || (!text.is_empty()
            && text.chars().all(|c| c.is_ascii_digit() || c == '.')
            && text.chars().filter(|c| *c == '.').count() <= 1
            && !text.starts_with('.')
            && !text.ends_with('.'))
}

/// Reads `index name key… props { on …; with …; comment … }` of `table`.
pub fn read_index(v: NodeView<'_>, table: &QualName, sink: &mut Sink) -> Option<IndexDecl> {
    v.check_props(PROPS, sink);
    let (written, at) = v.req_arg(0, "an index name", "index shows_title_idx title", sink)?;
    let name = ident(&written, at, "index", sink);
    let mut keys = Vec::new();
    let mut columns = Vec::new();
    let mut key = |written: String, at: Loc, sink: &mut Sink| {
        match parse_index_key(&written) {
        Ok(k) => {
            if let IndexTarget::Column(c) = &k.target {
                columns.push(Named { name: c.clone(), at });
            }
            keys.push(k);
        }
        Err(e) => sink.push(
            Diag::new(at, format!("`{written}` is not a valid index key: {}", e.message), "cannot parse this key")
                .help("a key is a column or an expression, optionally followed by an operator class, ASC/DESC and NULLS FIRST/LAST, e.g. \"created_at desc\" or \"lower(email)\""),
        ),
    }
    };
    for (s, at) in v.rest_args(1, "an index key", sink) {
        key(s, at, sink);
    }
    let mut with = BTreeMap::new();
    let mut comment = None;
    v.single_children(&["comment"], sink);
    for c in v.children() {
        match c.name() {
            "on" => {
                c.check_props(&[], sink);
                c.no_children(sink);
                let args = c.rest_args(0, "an index key", sink);
                if args.is_empty() && c.args().is_empty() {
                    sink.push(
                        Diag::new(
                            c.name_loc(),
                            "`on` is missing its key",
                            "expected a key after this",
                        )
                        .help("write it like `on \"external_ids jsonb_path_ops\"`"),
                    );
                }
                for (s, at) in args {
                    key(s, at, sink);
                }
            }
            "with" => {
                c.no_children(sink);
                c.max_args(
                    0,
                    "only key=value properties, e.g. `with fillfactor=70`",
                    sink,
                );
                for e in c.props() {
                    let k = e
                        .name()
                        .map(|n| n.value().to_lowercase())
                        .unwrap_or_default();
                    if !is_sql_word(&k) {
                        sink.push(
                            Diag::new(
                                c.entry_loc(e),
                                format!("`{k}` is not a storage parameter name"),
                                "expected a name such as fillfactor",
                            )
                            .help("a storage parameter is a plain name (letters, digits, `_`) with a value: `with fillfactor=70`"),
                        );
                        continue;
                    }
                    let value = match e.value() {
                        KdlValue::String(s) if is_option_value(s) => Some(s.to_lowercase()),
                        KdlValue::String(s) => {
                            sink.push(
                                Diag::new(
                                    c.entry_loc(e),
                                    format!("`{s}` is not a value for storage parameter `{k}`"),
                                    "expected a number or a word",
                                )
                                .help("index storage parameters take a number or a word: `with fillfactor=70`, `with buffering=auto`, `with fastupdate=#false`"),
                            );
                            None
                        }
                        KdlValue::Integer(i) => Some(i.to_string()),
                        KdlValue::Float(f) => Some(f.to_string()),
                        KdlValue::Bool(b) => Some(b.to_string()),
                        KdlValue::Null => {
                            sink.push(
                                Diag::new(
                                    c.entry_loc(e),
                                    format!(
                                        "storage parameter `{k}` needs a value, found {}",
                                        describe(e.value())
                                    ),
                                    "no value",
                                )
                                .help("write e.g. `with fillfactor=70`"),
                            );
                            None
                        }
                    };
                    if let Some(value) = value {
                        with.insert(k, value);
                    }
                }
            }
            "comment" => comment = read_comment(c, sink),
            _ => unknown_node(c, "in an `index` block", &["on", "with", "comment"], sink),
        }
    }
    if keys.is_empty() && v.args().len() <= 1 && !v.children().iter().any(|c| c.name() == "on") {
        sink.push(
            Diag::new(v.name_loc(), format!("index `{written}` has no keys"), "expected keys after the index name")
                .help("write keys as arguments (`index shows_title_idx title`) or as children (`{ on \"lower(title)\" }`)"),
        );
    }
    let method = access_method(v, sink);
    let predicate = v
        .prop_string("where", "a SQL expression", sink)
        .and_then(|(s, at)| expression(&s, at, "index predicate", sink));
    let include = match v.prop_string("include", "column names separated by spaces", sink) {
        Some((s, at)) => split_words(&s)
            .into_iter()
            .filter_map(|w| ident(&w, at, "column", sink).map(|name| Named { name, at }))
            .collect(),
        None => Vec::new(),
    };
    columns.extend(include.iter().cloned());
    let name = name?;
    Some(IndexDecl {
        index: Index {
            name: QualName::new(table.schema.clone(), name),
            table: table.clone(),
            unique: v.prop_bool("unique", sink),
            method,
            keys,
            include: include.into_iter().map(|n| n.name).collect(),
            predicate,
            nulls_not_distinct: v.prop_bool("nulls-not-distinct", sink),
            with,
            comment,
        },
        at: v.name_loc(),
        columns,
    })
}

#[cfg(test)]
mod tests {
    use crate::lang::test_util::{errors, load};
    use crate::{IndexTarget, QualName};

    #[test]
    fn keys_as_arguments_and_children() {
        let c = load(
            "table core.t { column a int; column j jsonb\n\
               index t_a a \"j desc nulls last\" where=\"a > 0\"\n\
               index t_j using=GIN { on \"j jsonb_path_ops\"; with fastupdate=#false; comment \"x\" }\n\
             }",
        )
        .unwrap();
        let a = &c.indexes[&QualName::from("core.t_a")];
        assert_eq!(a.table, QualName::from("core.t"));
        assert_eq!(a.keys.len(), 2);
        assert!(a.keys[1].descending && !a.keys[1].nulls_first);
        assert_eq!(a.predicate.as_ref().unwrap().sql(), "a > 0");
        let j = &c.indexes[&QualName::from("core.t_j")];
        assert_eq!(j.method, "gin");
        assert_eq!(j.keys[0].target, IndexTarget::Column("j".into()));
        assert_eq!(j.with.get("fastupdate").map(String::as_str), Some("false"));
        assert_eq!(j.comment.as_deref(), Some("x"));
    }

    #[test]
    fn storage_parameter_names_are_plain_words() {
        let e = errors(
            "table t { column a int; index t_a a { with #\"fillfactor=70); drop table t; --\"#=1 } }",
        );
        assert!(e.contains("is not a storage parameter name"), "{e}");
        let e = errors(
            "table t { column a int; index t_a a { with fillfactor=\"70); drop table t cascade; --\" } }",
        );
        assert!(
            e.contains("is not a value for storage parameter `fillfactor`"),
            "{e}"
        );
        assert!(
            crate::lang::test_util::load(
                "table t { column a int; index t_a a { with fillfactor=\"70\" buffering=Auto } }"
            )
            .is_ok()
        );
    }

    #[test]
    fn extension_access_methods_load() {
        let c = load(
            "table core.t { column e \"extensions.vector(3)\"\n\
               index t_e using=hnsw { on \"e vector_cosine_ops\"; with m=16 ef_construction=64 }\n\
             }",
        );
        let c = c.unwrap();
        assert_eq!(c.indexes[&QualName::from("core.t_e")].method, "hnsw");
    }

    #[test]
    fn bad_indexes_are_errors() {
        assert!(errors("table t { column a int; index t_a }").contains("has no keys"));
        assert!(
            errors("table t { column a int; index t_a \"lower(\" }")
                .contains("not a valid index key")
        );
        assert!(
            errors("table t { column a int; index t_a a using=btrie }")
                .contains("`btrie` is not a valid `using=`")
        );
        assert!(
            errors("table t { column a int; index t_a a include=\"b\" }").contains("column `b`")
        );
    }
}
