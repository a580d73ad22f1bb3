//! Privileges as KDL: `grant`/`revoke` edits relative to the defaults an
//! object receives when it is created, and `default-privileges` blocks
//! relative to the platform's. The loader applies revokes first, then
//! grants, and that is the order written here.

use super::text::{name, name_sql, prose};
use crate::catalog::Catalog;
use crate::ident::Ident;
use crate::security::{DefaultPrivilege, Grant, GrantTarget, ObjectClass, Privilege};
use std::collections::{BTreeMap, BTreeSet};

/// (grantee, privilege, grantable).
pub type Entry = (Ident, Privilege, bool);

/// The `grant`/`revoke` lines that turn `defaults` into `held` for objects
/// of `class`; `suffix` is appended to each (` columns="a"`, ` sequence=…`).
pub fn edits(held: &[Entry], defaults: &[Entry], class: ObjectClass, suffix: &str) -> Vec<String> {
    edits_on(held, defaults, class, "", suffix)
}

/// [`edits`] with `on` written right after the privileges (` on=tables`).
fn edits_on(
    held: &[Entry],
    defaults: &[Entry],
    class: ObjectClass,
    on: &str,
    suffix: &str,
) -> Vec<String> {
    let mut revokes: BTreeMap<&Ident, BTreeSet<Privilege>> = BTreeMap::new();
    let mut grants: BTreeMap<(bool, &Ident), BTreeSet<Privilege>> = BTreeMap::new();
    for (g, p, o) in defaults {
        let kept = held.iter().find(|(hg, hp, _)| hg == g && hp == p);
        match kept {
            None => {
                revokes.entry(g).or_default().insert(*p);
            }
            // Held by default with the grant option but now without it:
            // revoke, then grant plainly.
            Some((_, _, false)) if *o => {
                revokes.entry(g).or_default().insert(*p);
                grants.entry((false, g)).or_default().insert(*p);
            }
            Some(_) => {}
        }
    }
    for (g, p, o) in held {
        let default = defaults.iter().find(|(dg, dp, _)| dg == g && dp == p);
        let needed = match default {
            None => true,
            Some((_, _, d)) => *o && !*d,
        };
        if needed {
            grants.entry((*o, g)).or_default().insert(*p);
        }
    }
    let mut out = Vec::new();
    for (privs, roles) in group(revokes.into_iter().map(|(g, p)| ((), g, p))) {
        out.push(format!(
            "revoke {}{on} from={}{suffix}",
            privileges(&privs, class),
            roles
        ));
    }
    for ((option, privs), roles) in group_opt(grants) {
        let opt = if option { " grant-option=#true" } else { "" };
        out.push(format!(
            "grant {}{on} to={}{opt}{suffix}",
            privileges(&privs, class),
            roles
        ));
    }
    out
}

/// Merges roles with the same privileges into one node: (privileges,
/// `to=` value).
fn group<'a, K: Ord>(
    entries: impl Iterator<Item = (K, &'a Ident, BTreeSet<Privilege>)>,
) -> Vec<(BTreeSet<Privilege>, String)> {
    let mut by: BTreeMap<(K, BTreeSet<Privilege>), Vec<&Ident>> = BTreeMap::new();
    for (k, g, p) in entries {
        by.entry((k, p)).or_default().push(g);
    }
    by.into_iter()
        .map(|((_, p), roles)| (p, roles_value(&roles)))
        .collect()
}

fn group_opt(
    grants: BTreeMap<(bool, &Ident), BTreeSet<Privilege>>,
) -> Vec<((bool, BTreeSet<Privilege>), String)> {
    let mut by: BTreeMap<(bool, BTreeSet<Privilege>), Vec<&Ident>> = BTreeMap::new();
    for ((o, g), p) in grants {
        by.entry((o, p)).or_default().push(g);
    }
    by.into_iter()
        .map(|(k, roles)| (k, roles_value(&roles)))
        .collect()
}

/// `authenticated`, or `"anon authenticated"`.
pub fn roles_value(roles: &[&Ident]) -> String {
    if let [one] = roles {
        return name(one);
    }
    let words: Vec<String> = roles.iter().map(|r| name_sql(r)).collect();
    prose(&words.join(" "))
}

/// `all` when the set is every privilege of `class`, else the words.
fn privileges(privs: &BTreeSet<Privilege>, class: ObjectClass) -> String {
    let all: BTreeSet<Privilege> = Privilege::all_for(class).iter().copied().collect();
    if *privs == all && privs.len() > 1 {
        return "all".into();
    }
    privs
        .iter()
        .map(|p| p.sql().to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The ACL entries held on `on`.
pub fn held(catalog: &Catalog, on: &GrantTarget) -> Vec<Entry> {
    catalog
        .grants
        .iter()
        .filter(|g| &g.on == on)
        .map(|g: &Grant| (g.grantee.clone(), g.privilege, g.grantable))
        .collect()
}

/// Lines for an object with the defaults of `class` in its schema.
pub fn object_edits(
    catalog: &Catalog,
    on: &GrantTarget,
    class: ObjectClass,
    suffix: &str,
) -> Vec<String> {
    let defaults = catalog.default_grants(class, on.schema());
    edits(&held(catalog, on), &defaults, class, suffix)
}

/// Column grants of a table: `grant select to=anon columns="a b"`,
/// grouped by (grantee, privilege, option) and then by column set.
pub fn column_edits(catalog: &Catalog, table: &crate::ident::QualName) -> Vec<String> {
    let mut by_entry: BTreeMap<Entry, Vec<&Ident>> = BTreeMap::new();
    for g in &catalog.grants {
        if let GrantTarget::Column { table: t, column } = &g.on
            && t == table
        {
            by_entry
                .entry((g.grantee.clone(), g.privilege, g.grantable))
                .or_default()
                .push(column);
        }
    }
    let mut by_columns: BTreeMap<Vec<&Ident>, Vec<Entry>> = BTreeMap::new();
    for (entry, columns) in by_entry {
        by_columns.entry(columns).or_default().push(entry);
    }
    let mut out = Vec::new();
    for (columns, entries) in by_columns {
        let list: Vec<String> = columns.iter().map(|c| name_sql(c)).collect();
        let suffix = format!(" columns={}", prose(&list.join(" ")));
        out.extend(edits(&entries, &[], ObjectClass::Column, &suffix));
    }
    out
}

/// The `grant`/`revoke` lines of a `default-privileges` block for
/// `schema` (`None`: global), relative to the platform's entries.
pub fn default_privilege_edits(
    catalog: &Catalog,
    baseline: &Catalog,
    schema: Option<&Ident>,
) -> Vec<String> {
    let pick = |c: &Catalog| -> BTreeMap<ObjectClass, Vec<Entry>> {
        let mut out: BTreeMap<ObjectClass, Vec<Entry>> = BTreeMap::new();
        for d in c
            .default_privileges
            .iter()
            .filter(|d: &&DefaultPrivilege| d.schema.as_ref() == schema)
        {
            out.entry(d.objects)
                .or_default()
                .push((d.grantee.clone(), d.privilege, d.grantable));
        }
        out
    };
    let want = pick(catalog);
    let base = pick(baseline);
    let classes: BTreeSet<&ObjectClass> = want.keys().chain(base.keys()).collect();
    let mut revokes = Vec::new();
    let mut grants = Vec::new();
    for class in classes {
        let on = match class {
            ObjectClass::Table => "tables",
            ObjectClass::Sequence => "sequences",
            ObjectClass::Function => "functions",
            ObjectClass::Type => "types",
            ObjectClass::Schema => "schemas",
            ObjectClass::Column => continue,
        };
        let lines = edits_on(
            want.get(class).map(Vec::as_slice).unwrap_or_default(),
            base.get(class).map(Vec::as_slice).unwrap_or_default(),
            *class,
            &format!(" on={on}"),
            "",
        );
        for l in lines {
            if l.starts_with("revoke") {
                revokes.push(l);
            } else {
                grants.push(l);
            }
        }
    }
    revokes.extend(grants);
    revokes
}
