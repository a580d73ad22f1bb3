//! `access org-membership column=org_id members=core.memberships
//! [member-org=org_id] [member-user=user_id] [member-role=role]
//! [ladder="viewer editor admin"] [read=viewer] [write=editor]
//! [delete=<write>]`: a row belongs to an organisation; a user may act on
//! it when the membership table gives them a high enough tier there.

use super::{Expansion, TableColumns, UID, check_column, read_ladder, read_tier, tiers_from};
use crate::ident::{Ident, QualName, quote_ident};
use crate::lang::decl::TableDecl;
use crate::lang::errors::{Diag, Loc, Sink};
use crate::lang::parse::{NodeView, ident, qual_name};
use crate::security::PolicyCommand;

#[derive(Clone, Debug)]
pub struct OrgMembership {
    pub column: (Ident, Loc),
    pub members: (QualName, Loc),
    pub member_org: (Ident, Loc),
    pub member_user: (Ident, Loc),
    pub member_role: (Ident, Loc),
    pub ladder: Vec<String>,
    pub read: String,
    pub write: String,
    pub delete: String,
}

pub fn read(v: &NodeView<'_>, sink: &mut Sink) -> Option<OrgMembership> {
    v.check_props(
        &[
            "column",
            "members",
            "member-org",
            "member-user",
            "member-role",
            "ladder",
            "read",
            "write",
            "delete",
        ],
        sink,
    );
    let required = |key: &str, example: &str, sink: &mut Sink| -> Option<(String, Loc)> {
        let got = v.prop_string(key, "a name", sink);
        if got.is_none() && !v.has_prop(key) {
            sink.push(
                Diag::new(
                    v.name_loc(),
                    format!("`access org-membership` needs {key}="),
                    format!("expected {key}= here"),
                )
                .help(format!("write e.g. `access org-membership {example}`")),
            );
        }
        got
    };
    let column = required("column", "column=org_id members=core.memberships", sink)
        .and_then(|(s, at)| ident(&s, at, "column", sink).map(|c| (c, at)));
    let members = required("members", "column=org_id members=core.memberships", sink)
        .and_then(|(s, at)| qual_name(&s, at, "table", sink).map(|q| (q, at)));
    let member_column = |key: &str, default: &str, sink: &mut Sink| -> Option<(Ident, Loc)> {
        match v.prop_string(key, "a column of the membership table", sink) {
            Some((s, at)) => ident(&s, at, "column", sink).map(|c| (c, at)),
            None if v.has_prop(key) => None,
            None => Some((Ident::new(default), v.name_loc())),
        }
    };
    let member_org = member_column("member-org", "org_id", sink);
    let member_user = member_column("member-user", "user_id", sink);
    let member_role = member_column("member-role", "role", sink);
    let ladder = read_ladder(v, sink);
    let read = read_tier(v, "read", "viewer", &ladder, false, sink).flatten();
    let write = read_tier(v, "write", "editor", &ladder, false, sink).flatten();
    let delete = match &write {
        Some(w) => read_tier(v, "delete", w, &ladder, false, sink).flatten(),
        None => None,
    };
    Some(OrgMembership {
        column: column?,
        members: members?,
        member_org: member_org?,
        member_user: member_user?,
        member_role: member_role?,
        ladder,
        read: read?,
        write: write?,
        delete: delete?,
    })
}

impl OrgMembership {
    pub fn expand(
        &self,
        t: &TableDecl,
        tables: &TableColumns,
        _at: Loc,
        sink: &mut Sink,
    ) -> Option<Expansion> {
        let own: Vec<Ident> = t.columns.iter().map(|c| c.column.name.clone()).collect();
        let mut ok = check_column(&self.column.0, self.column.1, &t.name, &own, "column", sink);
        // The membership table is checked when it is declared here; an
        // external one is PostgreSQL's to judge.
        if let Some(member_columns) = tables.get(&self.members.0) {
            for (key, (c, at)) in [
                ("member-org", &self.member_org),
                ("member-user", &self.member_user),
                ("member-role", &self.member_role),
            ] {
                ok &= check_column(c, *at, &self.members.0, member_columns, key, sink);
            }
        }
        if !ok {
            return None;
        }
        let q = |i: &Ident| quote_ident(i.as_str());
        let predicate = |tier: &str| {
            format!(
                "{col} in (select m.{org} from {members} m where m.{user} = {UID} and m.{role} = any ({tiers}))",
                col = q(&self.column.0),
                org = q(&self.member_org.0),
                members = self.members.0,
                user = q(&self.member_user.0),
                role = q(&self.member_role.0),
                tiers = tiers_from(&self.ladder, tier),
            )
        };
        Some(Expansion {
            short: "org",
            role: "authenticated",
            commands: vec![
                (PolicyCommand::Select, predicate(&self.read)),
                (PolicyCommand::Insert, predicate(&self.write)),
                (PolicyCommand::Update, predicate(&self.write)),
                (PolicyCommand::Delete, predicate(&self.delete)),
            ],
        })
    }
}
