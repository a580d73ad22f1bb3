//! Table constraints: `primary-key`, `unique`, `check`, `foreign-key` and
//! the `references` node shared by column and table foreign keys.

use super::column::expression;
use super::decl::{CheckDecl, FkDecl, KeyDecl, Named, UniqueDecl, deferral};
use super::errors::Loc;
use super::errors::{Diag, Sink};
use super::objects::unknown_node;
use super::parse::{NodeView, ident, qual_name};
use crate::catalog::FkAction;
use crate::ident::QualName;

const REFERENCES_PROPS: &[&str] = &[
    "on-delete",
    "on-update",
    "deferrable",
    "initially-deferred",
    "match-full",
];
/// A column's `references` also carries the constraint name.
pub const REFERENCES_PROPS_NAMED: &[&str] = &[
    "on-delete",
    "on-update",
    "deferrable",
    "initially-deferred",
    "match-full",
    "name",
];
const ACTIONS: &[&str] = &[
    "no-action",
    "restrict",
    "cascade",
    "set-null",
    "set-default",
];

fn optional_name(v: NodeView<'_>, sink: &mut Sink) -> Option<Named> {
    v.prop_string("name", "a constraint name", sink)
        .and_then(|(s, at)| ident(&s, at, "constraint", sink).map(|name| Named { name, at }))
}

fn column_list(v: NodeView<'_>, from: usize, sink: &mut Sink) -> Vec<Named> {
    v.rest_args(from, "a column name", sink)
        .into_iter()
        .filter_map(|(s, at)| ident(&s, at, "column", sink).map(|name| Named { name, at }))
        .collect()
}

fn require_columns(v: NodeView<'_>, columns: &[Named], example: &str, sink: &mut Sink) -> bool {
    if columns.is_empty() && v.args().is_empty() {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("`{}` is missing its columns", v.name()),
                "expected one or more column names",
            )
            .help(format!("write it like `{example}`")),
        );
        return false;
    }
    !columns.is_empty()
}

/// `primary-key id [other…] name=…`.
pub fn read_primary_key(v: NodeView<'_>, sink: &mut Sink) -> Option<KeyDecl> {
    v.check_props(&["name"], sink);
    v.no_children(sink);
    let columns = column_list(v, 0, sink);
    if !require_columns(v, &columns, "primary-key id", sink) {
        return None;
    }
    Some(KeyDecl {
        name: optional_name(v, sink),
        columns,
        at: v.name_loc(),
    })
}

/// `unique a b name=… nulls-not-distinct=#true deferrable=#true initially-deferred=#true`.
pub fn read_unique(v: NodeView<'_>, sink: &mut Sink) -> Option<UniqueDecl> {
    v.check_props(
        &[
            "name",
            "nulls-not-distinct",
            "deferrable",
            "initially-deferred",
        ],
        sink,
    );
    v.no_children(sink);
    let columns = column_list(v, 0, sink);
    if !require_columns(v, &columns, "unique org_id slug", sink) {
        return None;
    }
    Some(UniqueDecl {
        name: optional_name(v, sink),
        columns,
        nulls_not_distinct: v.prop_bool("nulls-not-distinct", sink),
        deferral: deferral(
            v.prop_bool("deferrable", sink),
            v.prop_bool("initially-deferred", sink),
        ),
    })
}

/// `check "expr" name=… no-inherit=#true` (table or column level).
pub fn read_check(v: NodeView<'_>, sink: &mut Sink) -> Option<CheckDecl> {
    v.check_props(&["name", "no-inherit"], sink);
    v.no_children(sink);
    v.max_args(1, "one SQL expression in a string", sink);
    let name = optional_name(v, sink);
    let no_inherit = v.prop_bool("no-inherit", sink);
    let (written, at) = v.req_arg(0, "a SQL expression", "check \"price > 0\"", sink)?;
    let expr = expression(&written, at, "check", sink)?;
    Some(CheckDecl {
        name,
        expr,
        at,
        no_inherit,
    })
}

/// `foreign-key a b name=… { references t x y … }`.
pub fn read_foreign_key(v: NodeView<'_>, sink: &mut Sink) -> Option<FkDecl> {
    v.check_props(&["name"], sink);
    let columns = column_list(v, 0, sink);
    let name = optional_name(v, sink);
    let mut reference = None;
    for c in v.children() {
        match c.name() {
            "references" if reference.is_none() => {
                c.check_props(REFERENCES_PROPS, sink);
                c.no_children(sink);
                reference = Some(read_references(c, sink));
            }
            "references" => sink.push(
                Diag::new(
                    c.name_loc(),
                    "a foreign key references one table",
                    "second `references`",
                )
                .help("declare a separate `foreign-key` for the other table"),
            ),
            _ => unknown_node(c, "in a `foreign-key` block", &["references"], sink),
        }
    }
    let ok = require_columns(
        v,
        &columns,
        "foreign-key show_id { references core.shows id }",
        sink,
    );
    let Some(reference) = reference else {
        sink.push(
            Diag::new(v.name_loc(), "`foreign-key` is missing its `references` child", "expected `{ references … }`")
                .help("write it like `foreign-key show_id { references core.shows id on-delete=cascade }`"),
        );
        return None;
    };
    let r = reference?;
    if !ok {
        return None;
    }
    Some(FkDecl {
        name,
        columns,
        ref_table: r.table,
        ref_at: r.table_at,
        ref_columns: r.columns,
        on_delete: r.on_delete,
        on_update: r.on_update,
        match_full: r.match_full,
        deferral: r.deferral,
        at: v.name_loc(),
    })
}

/// What a `references` node says.
pub struct References {
    pub table: QualName,
    pub table_at: Loc,
    pub columns: Vec<Named>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub match_full: bool,
    pub deferral: crate::catalog::Deferral,
}

/// `references core.shows [id …] on-delete=… on-update=… deferrable=… initially-deferred=… match-full=…`
/// (properties are checked by the caller, which knows whether `name=` is allowed).
pub fn read_references(v: NodeView<'_>, sink: &mut Sink) -> Option<References> {
    let action = |key: &str, sink: &mut Sink| match v.prop_choice(key, ACTIONS, sink) {
        Some("restrict") => FkAction::Restrict,
        Some("cascade") => FkAction::Cascade,
        Some("set-null") => FkAction::SetNull,
        Some("set-default") => FkAction::SetDefault,
        _ => FkAction::NoAction,
    };
    let on_delete = action("on-delete", sink);
    let on_update = action("on-update", sink);
    let match_full = v.prop_bool("match-full", sink);
    let deferral = deferral(
        v.prop_bool("deferrable", sink),
        v.prop_bool("initially-deferred", sink),
    );
    let columns = column_list(v, 1, sink);
    let (written, at) = v.req_arg(0, "the referenced table", "references core.shows id", sink)?;
    let table = qual_name(&written, at, "table", sink)?;
    Some(References {
        table,
        table_at: at,
        columns,
        on_delete,
        on_update,
        match_full,
        deferral,
    })
}

#[cfg(test)]
mod tests {
    use crate::lang::test_util::{errors, load};
    use crate::{ConstraintKind, Deferral, FkAction, QualName};

    fn kinds(text: &str) -> Vec<ConstraintKind> {
        let c = load(text).unwrap();
        c.tables[&QualName::from("t")]
            .constraints
            .values()
            .map(|c| c.kind.clone())
            .collect()
    }

    #[test]
    fn unique_options() {
        let k = kinds(
            "table t { column a int; unique a nulls-not-distinct=#true initially-deferred=#true }",
        );
        assert_eq!(
            k,
            [ConstraintKind::Unique {
                columns: vec!["a".into()],
                nulls_not_distinct: true,
                deferral: Deferral::DeferrableInitiallyDeferred
            }]
        );
    }

    #[test]
    fn foreign_key_actions() {
        let k = kinds(
            "table t { column a int { references ext.x id on-delete=set-default on-update=restrict deferrable=#true; } }",
        );
        let ConstraintKind::ForeignKey(fk) = &k[0] else {
            panic!("{k:?}")
        };
        assert_eq!(
            (fk.on_delete, fk.on_update),
            (FkAction::SetDefault, FkAction::Restrict)
        );
        assert_eq!(fk.deferral, Deferral::DeferrableInitiallyImmediate);
        assert!(
            errors("table t { column a int { references ext.x id on-delete=explode; } }")
                .contains("not a valid `on-delete=`")
        );
    }

    #[test]
    fn foreign_key_needs_references() {
        assert!(
            errors("table t { column a int; foreign-key a }")
                .contains("missing its `references` child")
        );
        assert!(errors("table t { column a int; foreign-key a { references ext.x id; references ext.y id } }")
            .contains("references one table"));
        assert!(
            errors("table t { column a int; foreign-key a { references ext.x b c } }")
                .contains("1 column(s) but references 2")
        );
    }

    #[test]
    fn check_options() {
        let k = kinds("table t { column a int; check \"a > 0\" no-inherit=#true }");
        assert!(matches!(
            &k[0],
            ConstraintKind::Check {
                no_inherit: true,
                ..
            }
        ));
    }

    #[test]
    fn constraints_need_columns() {
        assert!(
            errors("table t { column a int; unique }").contains("`unique` is missing its columns")
        );
        assert!(
            errors("table t { column a int; primary-key }")
                .contains("`primary-key` is missing its columns")
        );
    }

    #[test]
    fn one_primary_key_per_table() {
        assert!(
            errors("table t { column a int primary-key=#true; primary-key a }")
                .contains("more than one primary key")
        );
    }
}
