//! `view` and `materialized-view` nodes (top level).

use super::errors::{Diag, Loc, Sink};
use super::grant::{GrantEdit, GrantOn, read_grant};
use super::objects::{read_comment, unknown_node};
use super::parse::{NodeView, ident, qual_name};
use super::trigger::{TriggerDecl, read_trigger};
use crate::expr::Query;
use crate::views::{CheckOption, View};

#[derive(Clone, Debug)]
pub struct ViewDecl {
    pub view: View,
    pub name_at: Loc,
    pub grants: Vec<GrantEdit>,
    /// `instead-of` row triggers (and statement triggers) on the view.
    pub triggers: Vec<TriggerDecl>,
}

const CHILDREN: &[&str] = &["columns", "query", "grant", "revoke", "trigger", "comment"];

pub fn read_view(v: NodeView<'_>, sink: &mut Sink) -> Option<ViewDecl> {
    let materialized = v.name() == "materialized-view";
    if materialized {
        v.check_props(&[], sink);
    } else {
        v.check_props(
            &["security-invoker", "security-barrier", "check-option"],
            sink,
        );
    }
    v.max_args(1, "one view name (the query goes in its block)", sink);
    let (written, name_at) = v.req_arg(
        0,
        "a view name",
        "view core.active { query \"select …\" }",
        sink,
    )?;
    let name = qual_name(&written, name_at, "view", sink);
    let security_invoker = v.prop_bool("security-invoker", sink);
    let security_barrier = v.prop_bool("security-barrier", sink);
    let check_option = match v.prop_choice("check-option", &["local", "cascaded"], sink) {
        Some("local") => Some(CheckOption::Local),
        Some(_) => Some(CheckOption::Cascaded),
        None => None,
    };
    let mut columns = Vec::new();
    let mut query = None;
    let mut comment = None;
    let mut grants = Vec::new();
    let mut triggers = Vec::new();
    v.single_children(&["columns", "query", "comment"], sink);
    for c in v.children() {
        match c.name() {
            "columns" => {
                c.check_props(&[], sink);
                c.no_children(sink);
                columns = c
                    .rest_args(0, "a column name", sink)
                    .into_iter()
                    .filter_map(|(s, at)| ident(&s, at, "column", sink))
                    .collect();
            }
            "query" => {
                c.check_props(&[], sink);
                c.no_children(sink);
                c.max_args(1, "one string: the SELECT", sink);
                query = c
                    .req_arg(
                        0,
                        "the view's query",
                        "query \"select id from core.shows\"",
                        sink,
                    )
                    .and_then(|(s, at)| parse_query(&s, at, sink));
            }
            "grant" | "revoke" => grants.extend(read_grant(c, GrantOn::View, sink)),
            "trigger" if !materialized => {
                if let Some(name) = &name {
                    triggers.extend(read_trigger(c, name, sink));
                }
            }
            "comment" => comment = read_comment(c, sink),
            _ => unknown_node(c, &format!("in a `{}` block", v.name()), CHILDREN, sink),
        }
    }
    if !v.children().iter().any(|c| c.name() == "query") {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("{} {written} has no query", v.name()),
                "expected a `query` child",
            )
            .help("add `query \"select …\"` in the block"),
        );
    }
    let mut view = View {
        name: name?,
        materialized,
        columns,
        query: query?,
        security_invoker,
        security_barrier,
        check_option,
        comment,
    };
    // Stored as replay and introspection store it: the list as output names.
    view.fold_columns();
    Some(ViewDecl {
        view,
        name_at,
        grants,
        triggers,
    })
}

/// Parses a view query, or reports where inside the string it fails.
fn parse_query(written: &str, at: Loc, sink: &mut Sink) -> Option<Query> {
    match Query::parse(written) {
        Ok(q) => Some(q),
        Err(e) => {
            let position = e
                .position
                .map(|(l, c)| format!(" (line {l}, column {c} of the query)"))
                .unwrap_or_default();
            sink.push(
                Diag::new(at, format!("the view query is not valid SQL: {}{position}", e.message), "cannot parse this SQL")
                    .help("write one SELECT (or VALUES / WITH … SELECT) inside the KDL string, without a trailing statement"),
            );
            None
        }
    }
}
