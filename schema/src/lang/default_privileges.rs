//! `default-privileges { grant …; revoke … }`: at the top level it edits
//! the migration role's global defaults (PostgreSQL's built-in ones to
//! start with); inside `schema s { … }` it edits the defaults `IN SCHEMA
//! s`, which add to the global ones (so a revoke there only removes
//! per-schema entries, such as Supabase's in `public`).

use super::errors::{Diag, Sink};
use super::grant::{Privs, read_privileges};
use super::objects::unknown_node;
use super::parse::NodeView;
use super::roles::read_roles;
use crate::catalog::Catalog;
use crate::ident::Ident;
use crate::security::{DefaultPrivilege, ObjectClass};

#[derive(Clone, Debug)]
pub struct DefaultPrivEdit {
    /// `None`: global.
    pub schema: Option<Ident>,
    pub revoke: bool,
    pub objects: ObjectClass,
    pub privileges: Privs,
    pub roles: Vec<Ident>,
    pub grantable: bool,
}

const ON: &[&str] = &["tables", "sequences", "functions", "types", "schemas"];

/// Reads a `default-privileges` block; `schema` is the enclosing schema.
pub fn read_default_privileges(
    v: NodeView<'_>,
    schema: Option<&Ident>,
    sink: &mut Sink,
) -> Vec<DefaultPrivEdit> {
    v.check_props(&[], sink);
    v.max_args(
        0,
        "no arguments (its `grant`/`revoke` nodes go in its block)",
        sink,
    );
    let mut out = Vec::new();
    for c in v.children() {
        match c.name() {
            "grant" | "revoke" => out.extend(read_edit(c, schema, sink)),
            _ => unknown_node(
                c,
                "in a `default-privileges` block",
                &["grant", "revoke"],
                sink,
            ),
        }
    }
    out
}

fn read_edit(v: NodeView<'_>, schema: Option<&Ident>, sink: &mut Sink) -> Option<DefaultPrivEdit> {
    let revoke = v.name() == "revoke";
    let roles_key = if revoke { "from" } else { "to" };
    if revoke {
        v.check_props(&["on", roles_key], sink);
    } else {
        v.check_props(&["on", roles_key, "grant-option"], sink);
    }
    v.no_children(sink);
    let on = match v.prop_choice("on", ON, sink) {
        Some(on) => on,
        None => {
            if !v.has_prop("on") {
                sink.push(
                    Diag::new(v.name_loc(), format!("`{}` in `default-privileges` does not say which objects", v.name()), "expected on= here")
                        .help(format!("write e.g. `{} select on=tables {roles_key}=authenticated` (on= is one of: {})", v.name(), ON.join(", "))),
                );
            }
            return None;
        }
    };
    let objects = match on {
        "tables" => ObjectClass::Table,
        "sequences" => ObjectClass::Sequence,
        "functions" => ObjectClass::Function,
        "types" => ObjectClass::Type,
        _ => ObjectClass::Schema,
    };
    if objects == ObjectClass::Schema
        && let Some(s) = schema
    {
        sink.push(
            Diag::new(v.name_loc(), format!("default privileges on schemas cannot be set in schema {s}"), "only global")
                .help("PostgreSQL has no `ALTER DEFAULT PRIVILEGES IN SCHEMA … ON SCHEMAS`: move this into a top-level `default-privileges` block"),
        );
        return None;
    }
    let what = format!("{on} (default privileges)");
    let privileges = read_privileges(&v, objects, &what, sink);
    let roles = read_roles(&v, roles_key, sink);
    if !v.has_prop(roles_key) {
        sink.push(
            Diag::new(
                v.name_loc(),
                format!("`{}` does not name its roles", v.name()),
                format!("expected {roles_key}= on this node"),
            )
            .help(format!(
                "write e.g. `{} all on={on} {roles_key}=anon`",
                v.name()
            )),
        );
    }
    let grantable = v.prop_bool("grant-option", sink);
    Some(DefaultPrivEdit {
        schema: schema.cloned(),
        revoke,
        objects,
        privileges: privileges?,
        roles: roles?.0,
        grantable,
    })
}

/// Applies every edit to the Catalog's default privileges: revokes first,
/// then grants (the same rule as object grants).
pub fn apply(catalog: &mut Catalog, edits: &[DefaultPrivEdit]) {
    for e in edits.iter().filter(|e| e.revoke) {
        let privileges = e.privileges.expand(e.objects);
        catalog.default_privileges.retain(|d| {
            !(d.schema == e.schema
                && d.objects == e.objects
                && e.roles.contains(&d.grantee)
                && privileges.contains(&d.privilege))
        });
    }
    for e in edits.iter().filter(|e| !e.revoke) {
        for p in e.privileges.expand(e.objects) {
            for role in &e.roles {
                let entry = DefaultPrivilege {
                    schema: e.schema.clone(),
                    objects: e.objects,
                    grantee: role.clone(),
                    privilege: p,
                    grantable: false,
                };
                let with_option = DefaultPrivilege {
                    grantable: true,
                    ..entry.clone()
                };
                if catalog.default_privileges.contains(&with_option) {
                    continue;
                }
                if e.grantable {
                    catalog.default_privileges.remove(&entry);
                    catalog.default_privileges.insert(with_option);
                } else {
                    catalog.default_privileges.insert(entry);
                }
            }
        }
    }
}
