//! `schema`, `extension` and `comment` nodes, and the unknown-node report
//! shared by every block.

use super::decl::{ExtensionDecl, SchemaDecl};
use super::default_privileges::{DefaultPrivEdit, read_default_privileges};
use super::errors::{Diag, Sink, did_you_mean};
use super::grant::{GrantOn, read_grant};
use super::parse::{NodeView, ident};

/// Macros the design has planned but this version does not read yet.
const LATER: &[&str] = &["soft-delete", "s3-objects"];

/// Reports a node that is not allowed where it was written.
pub fn unknown_node(v: NodeView<'_>, context: &str, known: &[&str], sink: &mut Sink) {
    let name = v.name();
    let help = if LATER.contains(&name) {
        format!(
            "`{name}` is not part of the language yet (see \"Not in the language yet\" in docs/kdl.md)"
        )
    } else {
        let list = format!("allowed {context}: {}", known.join(", "));
        match did_you_mean(name, known.iter().copied()) {
            Some(d) => format!("{d} ({list})"),
            None => list,
        }
    };
    sink.push(
        Diag::new(
            v.name_loc(),
            format!("unknown node `{name}` {context}"),
            "not known here",
        )
        .help(help),
    );
}

/// `comment "text"`.
pub fn read_comment(v: NodeView<'_>, sink: &mut Sink) -> Option<String> {
    v.check_props(&[], sink);
    v.no_children(sink);
    v.max_args(1, "one string", sink);
    v.req_arg(0, "the comment text", "comment \"What this is\"", sink)
        .map(|(s, _)| s)
}

const SCHEMA_CHILDREN: &[&str] = &["comment", "grant", "revoke", "default-privileges"];

/// `schema core { comment "…"; grant …; default-privileges { … } }`;
/// the schema's default privileges go to `defaults`.
pub fn read_schema(
    v: NodeView<'_>,
    defaults: &mut Vec<DefaultPrivEdit>,
    sink: &mut Sink,
) -> Option<SchemaDecl> {
    v.check_props(&[], sink);
    v.max_args(1, "one schema name", sink);
    let (written, at) = v.req_arg(0, "a schema name", "schema core", sink)?;
    let name = ident(&written, at, "schema", sink)?;
    let mut comment = None;
    let mut grants = Vec::new();
    v.single_children(&["comment"], sink);
    for c in v.children() {
        match c.name() {
            "comment" => comment = read_comment(c, sink),
            "grant" | "revoke" => grants.extend(read_grant(c, GrantOn::Schema, sink)),
            "default-privileges" => defaults.extend(read_default_privileges(c, Some(&name), sink)),
            _ => unknown_node(c, "in a `schema` block", SCHEMA_CHILDREN, sink),
        }
    }
    Some(SchemaDecl {
        name,
        at: v.name_loc(),
        name_at: at,
        comment,
        grants,
    })
}

/// `extension pgcrypto schema=extensions`.
pub fn read_extension(v: NodeView<'_>, sink: &mut Sink) -> Option<ExtensionDecl> {
    v.check_props(&["schema"], sink);
    v.no_children(sink);
    v.max_args(1, "one extension name", sink);
    let schema = v
        .prop_string("schema", "a schema name", sink)
        .and_then(|(s, at)| ident(&s, at, "schema", sink));
    let (written, at) = v.req_arg(0, "an extension name", "extension pgcrypto", sink)?;
    let name = ident(&written, at, "extension", sink)?;
    Some(ExtensionDecl {
        name,
        at: v.name_loc(),
        schema,
    })
}

/// `enum core.show_status active paused ended { comment "…" }`.
pub fn read_enum(v: NodeView<'_>, sink: &mut Sink) -> Option<super::decl::EnumDecl> {
    v.check_props(&[], sink);
    let (written, at) = v.req_arg(0, "an enum name", "enum core.status active paused", sink)?;
    let name = super::parse::qual_name(&written, at, "enum", sink)?;
    // Labels are data, not identifiers: kept exactly as written.
    let values = v.rest_args(1, "an enum label", sink);
    let mut comment = None;
    v.single_children(&["comment"], sink);
    for c in v.children() {
        match c.name() {
            "comment" => comment = read_comment(c, sink),
            _ => unknown_node(c, "in an `enum` block", &["comment"], sink),
        }
    }
    Some(super::decl::EnumDecl {
        name,
        at: v.name_loc(),
        name_at: at,
        values,
        comment,
    })
}

#[cfg(test)]
mod tests {
    use crate::lang::test_util::{errors, load};
    use crate::{Ident, QualName};

    #[test]
    fn schemas_extensions_enums() {
        let c = load(
            "schema Core { comment \"c\" }\nextension pgcrypto schema=extensions\nextension citext\n\
             enum core.s Active paused { comment \"e\" }",
        )
        .unwrap();
        assert_eq!(c.schemas[&Ident::new("core")].comment.as_deref(), Some("c"));
        assert_eq!(
            c.extensions[&Ident::new("pgcrypto")].schema,
            Some(Ident::new("extensions"))
        );
        assert_eq!(c.extensions[&Ident::new("citext")].schema, None);
        // Labels keep their case: they are data, not identifiers.
        assert_eq!(
            c.enums[&QualName::from("core.s")].values,
            ["Active", "paused"]
        );
    }

    #[test]
    fn macros_are_not_in_the_language_yet() {
        assert!(
            errors("table t { column a int; soft-delete }").contains("unknown node `soft-delete`")
        );
    }

    #[test]
    fn public_is_never_created_so_it_is_not_a_catalog_schema() {
        let c = load("schema public { default-privileges { revoke all on=tables from=anon } }")
            .unwrap();
        assert!(c.schemas.is_empty());
        // A comment needs its schema entry.
        let c = load("schema public { comment \"p\" }").unwrap();
        assert_eq!(
            c.schemas[&Ident::new("public")].comment.as_deref(),
            Some("p")
        );
        assert!(errors("schema public\nschema public").contains("schema public is declared twice"));
    }

    #[test]
    fn duplicates_and_empty_enums() {
        assert!(errors("schema a\nschema A").contains("schema a is declared twice"));
        assert!(errors("enum s").contains("has no labels"));
        assert!(
            errors("enum s a { comment \"x\"; comment \"y\" }")
                .contains("`comment` is given twice in one `enum`")
        );
        assert!(
            errors("enum t a\ntable t { column a int }")
                .contains("type public.t is declared twice")
        );
    }
}
