//! `grant` and `revoke` inside `table`, `schema`, `function` and `view`
//! blocks. They are *edits* of the privileges the object receives when it
//! is created (its default privileges): revokes are applied first, then
//! grants, so `revoke all from=anon` followed by `grant select to=anon`
//! leaves anon exactly SELECT.

use super::decl::Named;
use super::errors::{Diag, Loc, Sink, did_you_mean};
use super::parse::{NodeView, ident, split_words};
use super::roles::read_roles;
use crate::catalog::Catalog;
use crate::ident::{Ident, QualName};
use crate::security::{Grant, GrantTarget, ObjectClass, Privilege};

/// The kind of block a grant is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantOn {
    Schema,
    Table,
    View,
    Function,
}

impl GrantOn {
    fn word(self) -> &'static str {
        match self {
            GrantOn::Schema => "schema",
            GrantOn::Table => "table",
            GrantOn::View => "view",
            GrantOn::Function => "function",
        }
    }
}

/// Privileges as written: `all`, or a list.
#[derive(Clone, Debug)]
pub enum Privs {
    All,
    Some(Vec<Privilege>),
}

impl Privs {
    pub fn expand(&self, class: ObjectClass) -> Vec<Privilege> {
        match self {
            Privs::All => Privilege::all_for(class).to_vec(),
            Privs::Some(p) => p.clone(),
        }
    }
}

/// One `grant` or `revoke` node.
#[derive(Clone, Debug)]
pub struct GrantEdit {
    pub revoke: bool,
    pub privileges: Privs,
    pub roles: Vec<Ident>,
    pub grantable: bool,
    /// `columns=`: column privileges instead of table ones.
    pub columns: Vec<Named>,
    /// `sequence=`: a sequence the table owns.
    pub sequence: Option<(QualName, Loc)>,
}

impl GrantEdit {
    /// `grant` or `revoke`, for messages.
    pub fn verb(&self) -> &'static str {
        if self.revoke { "revoke" } else { "grant" }
    }

    /// What the edit is on, for privileges: column, sequence or `class`.
    pub fn class(&self, object: ObjectClass) -> ObjectClass {
        if !self.columns.is_empty() {
            ObjectClass::Column
        } else if self.sequence.is_some() {
            ObjectClass::Sequence
        } else {
            object
        }
    }
}

pub fn privilege(word: &str) -> Option<Privilege> {
    Privilege::ALL
        .iter()
        .copied()
        .find(|p| p.sql().eq_ignore_ascii_case(word))
}

/// The privileges named by a node's arguments, each checked against what
/// `class` objects can hold.
pub fn read_privileges(
    v: &NodeView<'_>,
    class: ObjectClass,
    what: &str,
    sink: &mut Sink,
) -> Option<Privs> {
    let args = v.rest_args(0, "a privilege", sink);
    let allowed: Vec<String> = std::iter::once("all".to_string())
        .chain(
            Privilege::all_for(class)
                .iter()
                .map(|p| p.sql().to_lowercase()),
        )
        .collect();
    let allowed_list = allowed.join(", ");
    if args.is_empty() {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("`{}` names no privilege", v.name()),
                "expected privileges after this",
            )
            .help(format!("privileges on {what}: {allowed_list}")),
        );
        return None;
    }
    let mut out = Vec::new();
    let mut all = false;
    let mut ok = true;
    for (word, at) in args {
        let lower = word.to_lowercase();
        if lower == "all" {
            all = true;
            continue;
        }
        match privilege(&lower) {
            Some(p) if Privilege::all_for(class).contains(&p) => {
                if !out.contains(&p) {
                    out.push(p);
                }
            }
            Some(p) => {
                ok = false;
                sink.push(
                    Diag::new(
                        at,
                        format!("{} is not a privilege of {what}", p.sql()),
                        "not applicable here",
                    )
                    .help(format!("privileges on {what}: {allowed_list}")),
                );
            }
            None => {
                ok = false;
                let help = match did_you_mean(&lower, allowed.iter().map(String::as_str)) {
                    Some(d) => format!("{d} (privileges on {what}: {allowed_list})"),
                    None => format!("privileges on {what}: {allowed_list}"),
                };
                sink.push(
                    Diag::new(at, format!("unknown privilege `{word}`"), "not a privilege")
                        .help(help),
                );
            }
        }
    }
    if all && !out.is_empty() {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("`{}` names `all` and single privileges", v.name()),
                "redundant",
            )
            .help("`all` already means every privilege: keep `all` or list the privileges"),
        );
        return None;
    }
    if !ok {
        return None;
    }
    Some(if all { Privs::All } else { Privs::Some(out) })
}

/// Reads `grant … to=…` or `revoke … from=…` in a block of kind `on`.
pub fn read_grant(v: NodeView<'_>, on: GrantOn, sink: &mut Sink) -> Option<GrantEdit> {
    let revoke = v.name() == "revoke";
    let roles_key = if revoke { "from" } else { "to" };
    let mut props = vec![roles_key];
    if !revoke {
        props.push("grant-option");
    }
    if on == GrantOn::Table {
        props.extend(["columns", "sequence"]);
    }
    v.check_props(&props, sink);
    v.no_children(sink);
    let columns: Vec<Named> =
        match v.prop_string("columns", "column names separated by spaces", sink) {
            Some((written, at)) => split_words(&written)
                .iter()
                .filter_map(|w| ident(w, at, "column", sink).map(|name| Named { name, at }))
                .collect(),
            None => Vec::new(),
        };
    let sequence = v
        .prop_string("sequence", "a sequence name", sink)
        .and_then(|(s, at)| super::parse::qual_name(&s, at, "sequence", sink).map(|q| (q, at)));
    if !columns.is_empty() && sequence.is_some() {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("`{}` has both columns= and sequence=", v.name()),
                "conflicting targets",
            )
            .help("write one node for the columns and another for the sequence"),
        );
        return None;
    }
    let (class, what) = match on {
        GrantOn::Schema => (ObjectClass::Schema, "a schema"),
        GrantOn::Function => (ObjectClass::Function, "a function"),
        GrantOn::View => (ObjectClass::Table, "a view"),
        GrantOn::Table if !columns.is_empty() => (ObjectClass::Column, "columns"),
        GrantOn::Table if sequence.is_some() => (ObjectClass::Sequence, "a sequence"),
        GrantOn::Table => (ObjectClass::Table, "a table"),
    };
    let privileges = read_privileges(&v, class, what, sink);
    let roles = read_roles(&v, roles_key, sink);
    if !v.has_prop(roles_key) {
        let verb = if revoke { "revoked from" } else { "granted to" };
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("`{}` does not say who the privileges are {verb}", v.name()),
                format!("expected {roles_key}= on this node"),
            )
            .help(format!(
                "write e.g. `{} select {roles_key}=authenticated` (in a {} block)",
                v.name(),
                on.word()
            )),
        );
    }
    let grantable = v.prop_bool("grant-option", sink);
    Some(GrantEdit {
        revoke,
        privileges: privileges?,
        roles: roles?.0,
        grantable,
        columns,
        sequence,
    })
}

/// Applies the edits of one object: revokes first, then grants. `targets`
/// maps an edit to what it is on (the object, its columns, a sequence it
/// owns) and `object` is the object's own class.
pub fn apply(
    catalog: &mut Catalog,
    edits: &[GrantEdit],
    object: ObjectClass,
    target: impl Fn(&GrantEdit) -> Vec<GrantTarget>,
) {
    for e in edits.iter().filter(|e| e.revoke) {
        let privileges = e.privileges.expand(e.class(object));
        for on in target(e) {
            for role in &e.roles {
                for p in &privileges {
                    revoke(catalog, &on, role, *p);
                }
            }
        }
    }
    for e in edits.iter().filter(|e| !e.revoke) {
        let privileges = e.privileges.expand(e.class(object));
        for on in target(e) {
            for role in &e.roles {
                for p in &privileges {
                    grant(catalog, &on, role, *p, e.grantable);
                }
            }
        }
    }
}

/// One ACL entry per (object, grantee, privilege): granting with the
/// grant option upgrades an entry, granting without it keeps the option.
pub fn grant(
    catalog: &mut Catalog,
    on: &GrantTarget,
    grantee: &Ident,
    privilege: Privilege,
    grantable: bool,
) {
    let plain = Grant {
        on: on.clone(),
        grantee: grantee.clone(),
        privilege,
        grantable: false,
    };
    let with_option = Grant {
        grantable: true,
        ..plain.clone()
    };
    if catalog.grants.contains(&with_option) {
        return;
    }
    if grantable {
        catalog.grants.remove(&plain);
        catalog.grants.insert(with_option);
    } else {
        catalog.grants.insert(plain);
    }
}

/// Removes `privilege` of `grantee` on `on`; on a table, also from its
/// columns, as PostgreSQL's `REVOKE … ON TABLE` does.
pub fn revoke(catalog: &mut Catalog, on: &GrantTarget, grantee: &Ident, privilege: Privilege) {
    catalog.grants.retain(|g| {
        let same_object = match (&g.on, on) {
            (GrantTarget::Column { table, .. }, GrantTarget::Table { table: t }) => table == t,
            (held, target) => held == target,
        };
        !(same_object && &g.grantee == grantee && g.privilege == privilege)
    });
}
