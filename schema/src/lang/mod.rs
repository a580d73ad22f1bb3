//! The KDL language: `schema/*.kdl` files → [`Catalog`](crate::Catalog).
//! See `docs/kdl.md` for the language reference.
//!
//! Loading runs in two steps: each file is parsed and read into
//! declarations that remember where they were written ([`decl`]), then the
//! declarations of all files are merged and checked together
//! ([`validate`]). Problems are collected, never returned early, and come
//! back as one [`LoadError`].
//!
//! The reverse, Catalog → KDL files, is [`write`] (`trr-schema import`).

mod approve;
mod column;
mod constraint;
mod decl;
mod default_privileges;
mod errors;
mod function;
mod grant;
mod index;
mod macros;
mod managed;
mod objects;
mod parse;
mod policy;
mod privileges;
mod roles;
mod security;
mod table;
mod trigger;
mod unmanaged;
mod validate;
mod view;
pub mod write;

pub use errors::{LoadError, Problem};

use crate::{Catalog, Declared, Ident, Source};
use decl::Decls;
use errors::Sink;
use parse::NodeView;
use std::path::Path;

const TOP_LEVEL: &[&str] = &[
    "schema",
    "extension",
    "enum",
    "table",
    "function",
    "view",
    "materialized-view",
    "policy",
    "default-privileges",
    "approve",
    "unmanaged",
];

/// Loads and merges the given KDL files into one Catalog, whatever schemas
/// they declare objects in.
pub fn load_sources(sources: &[Source]) -> Result<Catalog, LoadError> {
    load_with(sources, None).map(|d| d.catalog)
}

/// Like [`load_sources`], and a schema, enum or table declared outside
/// `managed` (the `schemas` of trr-schema.toml) is an error: `plan` would
/// otherwise ignore it without a word.
pub fn load_sources_managed(sources: &[Source], managed: &[Ident]) -> Result<Catalog, LoadError> {
    load_with(sources, Some(managed)).map(|d| d.catalog)
}

/// Like [`load_sources_managed`] (`managed: None` for any schema), with the
/// [`Intents`](crate::Intents) the files declare: renames, backfills,
/// conversions, approvals.
pub fn load_sources_declared(
    sources: &[Source],
    managed: Option<&[Ident]>,
) -> Result<Declared, LoadError> {
    load_with(sources, managed)
}

/// Loads every `*.kdl` file directly inside `dir`, in file-name order.
pub fn load_dir(dir: &Path) -> Result<Catalog, LoadError> {
    read_dir(dir).and_then(|sources| load_sources(&sources))
}

/// Like [`load_dir`], restricted to the `managed` schemas as
/// [`load_sources_managed`] is.
pub fn load_dir_managed(dir: &Path, managed: &[Ident]) -> Result<Catalog, LoadError> {
    read_dir(dir).and_then(|sources| load_sources_managed(&sources, managed))
}

/// Like [`load_dir_managed`], with the declared [`Intents`](crate::Intents).
pub fn load_dir_declared(dir: &Path, managed: &[Ident]) -> Result<Declared, LoadError> {
    read_dir(dir).and_then(|sources| load_sources_declared(&sources, Some(managed)))
}

fn load_with(sources: &[Source], managed: Option<&[Ident]>) -> Result<Declared, LoadError> {
    let mut sink = Sink::default();
    let mut decls = Decls::default();
    let mut syntax_ok = true;
    for (file, source) in sources.iter().enumerate() {
        let Some(doc) = parse::parse_file(file, &source.text, &mut sink) else {
            syntax_ok = false;
            continue;
        };
        parse::check_annotations(&doc, file, &mut sink);
        parse::check_nul(&doc, file, &mut sink);
        for node in doc.nodes() {
            read_top_level(NodeView::new(node, file), &mut decls, &mut sink);
        }
    }
    // Per declaration, so it holds for the files that did parse.
    if let Some(managed) = managed {
        managed::check(&mut decls, managed, &mut sink);
    }
    // Macros become ordinary declarations before the cross-file checks, so
    // their output is validated like what the user wrote. After the
    // managed-schema check: what they add lives in their table's schema,
    // and a table outside the managed schemas is reported once, not again
    // for its trigger function.
    macros::expand(&mut decls, &mut sink);
    // Cross-file checks on a partial read would report objects of the
    // unreadable file as missing: fix the syntax first.
    let mut intents = std::mem::take(&mut decls.intents);
    intents.approvals = std::mem::take(&mut decls.approvals).into_keys().collect();
    intents
        .tables
        .extend(table::renames(&decls.tables, &mut sink));
    let catalog = if syntax_ok {
        Some(validate::build(decls, &mut sink))
    } else {
        None
    };
    match catalog {
        Some(catalog) if sink.is_empty() => Ok(Declared { catalog, intents }),
        _ => Err(sink.into_error(sources)),
    }
}

fn read_dir(dir: &Path) -> Result<Vec<Source>, LoadError> {
    Source::read_dir(dir, "kdl").map_err(|e| LoadError {
        problems: vec![Problem::without_source(
            dir.display().to_string(),
            format!("cannot read the schema directory: {e}"),
            Some("check the `schema` directory setting and that the directory exists".into()),
        )],
    })
}

fn read_top_level(v: NodeView<'_>, decls: &mut Decls, sink: &mut Sink) {
    match v.name() {
        "schema" => {
            let schema = objects::read_schema(v, &mut decls.default_privileges, sink);
            decls.schemas.extend(schema);
        }
        "function" => decls.functions.extend(function::read_function(v, sink)),
        "view" | "materialized-view" => decls.views.extend(view::read_view(v, sink)),
        "policy" => decls.policies.extend(policy::read_policy(v, None, sink)),
        "default-privileges" => {
            let edits = default_privileges::read_default_privileges(v, None, sink);
            decls.default_privileges.extend(edits);
        }
        "extension" => decls.extensions.extend(objects::read_extension(v, sink)),
        "enum" => decls.enums.extend(objects::read_enum(v, sink)),
        "table" => {
            if let Some(t) = table::read_table(v, sink) {
                let declared: std::collections::BTreeMap<_, _> = t
                    .columns
                    .iter()
                    .filter(|c| c.intent != crate::intents::ColumnIntent::default())
                    .map(|c| (c.column.name.clone(), c.intent.clone()))
                    .collect();
                if !declared.is_empty() {
                    decls
                        .intents
                        .columns
                        .entry(t.name.clone())
                        .or_default()
                        .extend(declared);
                }
                decls.tables.push(t);
            }
        }
        "approve" => approve::read_approve(v, &mut decls.approvals, sink),
        "unmanaged" => unmanaged::read_unmanaged(v, &mut decls.intents.unmanaged, sink),
        _ => objects::unknown_node(v, "at the top level", TOP_LEVEL, sink),
    }
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::*;

    /// Loads one file; on failure, the problems' plain text.
    pub fn load(text: &str) -> Result<Catalog, String> {
        load_sources(&[Source::new("t.kdl", text)]).map_err(|e| e.to_string())
    }

    pub fn errors(text: &str) -> String {
        match load(text) {
            Ok(c) => panic!("expected an error, loaded {c:?}"),
            Err(e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_util::*;
    use super::*;

    #[test]
    fn files_merge_and_all_problems_are_reported() {
        let sources = [
            Source::new("a.kdl", "table core.a { column id int primary-key=#true }"),
            Source::new(
                "b.kdl",
                "table core.b { column a_id int { references core.a; } }",
            ),
        ];
        let c = load_sources(&sources).unwrap();
        assert_eq!(c.tables.len(), 2);
        let e = errors("tabel x\ntable y { colum a int }");
        assert!(e.contains("3 errors"), "{e}");
    }

    #[test]
    fn syntax_errors_skip_cross_file_checks() {
        let sources = [
            Source::new("a.kdl", "table core.a { column id int primary-key=#true"),
            Source::new(
                "b.kdl",
                "table core.b { column a_id int { references core.a; } }",
            ),
        ];
        let e = load_sources(&sources).unwrap_err().to_string();
        assert!(e.contains("a.kdl") && !e.contains("b.kdl"), "{e}");
    }

    #[test]
    fn empty_input_is_the_platform_catalog() {
        // What every project starts from: the platform's privileges.
        let platform = crate::provided::platform_catalog();
        assert_eq!(load("").unwrap(), platform);
        assert_eq!(load("// nothing yet\n").unwrap(), platform);
    }
}
