//! `policy` nodes: inside a `table` block, or at the top level with `on=`
//! (how policies on an external table such as `storage.objects` are
//! declared).

use super::column::expression;
use super::errors::{Diag, Loc, Sink};
use super::parse::{NodeView, qual_name};
use super::roles::read_roles;
use crate::ident::{Ident, QualName};
use crate::security::PUBLIC;
use crate::security::{Policy, PolicyCommand};

#[derive(Clone, Debug)]
pub struct PolicyDecl {
    pub policy: Policy,
    /// The node (or the `access` node that expanded to it).
    pub at: Loc,
    /// Where `on=` is written (top-level policies).
    pub table_at: Option<Loc>,
}

const FOR: &[&str] = &["all", "select", "insert", "update", "delete"];

/// Reads a policy of `table`, or of its `on=` table when `table` is
/// `None` (top level).
pub fn read_policy(
    v: NodeView<'_>,
    table: Option<&QualName>,
    sink: &mut Sink,
) -> Option<PolicyDecl> {
    let mut props = vec!["for", "to", "using", "check", "as"];
    if table.is_none() {
        props.push("on");
    }
    v.check_props(&props, sink);
    v.no_children(sink);
    v.max_args(1, "one policy name", sink);
    let (written, name_at) = v.req_arg(
        0,
        "a policy name",
        "policy \"owners read\" for=select using=\"…\"",
        sink,
    )?;
    // Policy names are identifiers, but people write them as prose
    // ("owners read"): any text is the name, kept as written unless it is
    // a plain identifier (folded) or SQL-quoted.
    let name = policy_name(&written);
    let (table, table_at) = match table {
        Some(t) => (Some(t.clone()), None),
        None => match v.prop_string("on", "a table name", sink) {
            Some((s, at)) => (qual_name(&s, at, "table", sink), Some(at)),
            None => {
                if !v.has_prop("on") {
                    sink.push(
                        Diag::new(v.name_loc(), "a top-level `policy` does not say which table it is on", "expected on= here")
                            .help("write `policy \"name\" on=storage.objects …`, or put the policy inside its `table` block"),
                    );
                }
                (None, None)
            }
        },
    };
    let command = match v.prop_choice("for", FOR, sink) {
        Some("select") => PolicyCommand::Select,
        Some("insert") => PolicyCommand::Insert,
        Some("update") => PolicyCommand::Update,
        Some("delete") => PolicyCommand::Delete,
        _ => PolicyCommand::All,
    };
    let permissive =
        v.prop_choice("as", &["permissive", "restrictive"], sink) != Some("restrictive");
    let roles = match read_roles(&v, "to", sink) {
        Some((roles, _)) => roles,
        None => vec![Ident::new(PUBLIC)],
    };
    let using = v.prop_sql("using", sink);
    let check = v.prop_sql("check", sink);
    let misplaced = |key: &str, at: Loc, why: &str, sink: &mut Sink| {
        let article = if command == PolicyCommand::Insert {
            "an"
        } else {
            "a"
        };
        sink.push(
            Diag::new(
                at,
                format!("{article} {} policy takes no `{key}=`", command.sql()),
                "not allowed for this command",
            )
            .help(why.to_string()),
        );
    };
    if command == PolicyCommand::Insert
        && let Some((_, at)) = &using
    {
        misplaced(
            "using",
            *at,
            "INSERT policies only check new rows: write the condition as check=\"…\" (WITH CHECK)",
            sink,
        );
    }
    if matches!(command, PolicyCommand::Select | PolicyCommand::Delete)
        && let Some((_, at)) = &check
    {
        misplaced(
            "check",
            *at,
            "SELECT and DELETE policies only filter existing rows: write the condition as using=\"…\"",
            sink,
        );
    }
    let using = using.and_then(|(s, at)| expression(&s, at, "using= condition", sink));
    let check = check.and_then(|(s, at)| expression(&s, at, "check= condition", sink));
    Some(PolicyDecl {
        policy: Policy {
            name,
            table: table?,
            permissive,
            command,
            roles,
            using,
            check,
        },
        at: name_at,
        table_at,
    })
}

/// A policy name as written: SQL quotes keep it exact, a plain identifier
/// is folded to lower case as SQL would, anything else is taken verbatim.
pub fn policy_name(written: &str) -> Ident {
    let single = crate::ident::split_qualified(written).is_some_and(|p| p.len() == 1)
        && crate::ident::is_well_formed(written);
    if single {
        Ident::from_sql(written)
    } else {
        Ident::new(crate::ident::truncate_ident(written))
    }
}
