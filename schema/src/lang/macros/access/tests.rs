//! Each template's expansion, as the SQL it stands for.

use crate::lang::test_util::{errors, load};
use crate::{Catalog, GrantTarget, QualName};

/// The policies and grants of `core.shows` as SQL, plus its RLS flag.
fn expansion(access: &str) -> String {
    let text = format!(
        "schema core\n\
         table core.memberships {{ column org_id uuid; column user_id uuid; column role text }}\n\
         table core.shows {{\n    column id uuid\n    column org_id uuid\n    column owner_id uuid\n    {access}\n}}\n"
    );
    let c = load(&text).unwrap_or_else(|e| panic!("{e}"));
    sql(&c, &QualName::from("core.shows"))
}

fn sql(c: &Catalog, table: &QualName) -> String {
    let t = &c.tables[table];
    let mut out = format!(
        "-- rls enabled: {}, forced: {}\n",
        t.rls_enabled, t.rls_forced
    );
    for p in c.policies_on(table) {
        out.push_str(&format!(
            "CREATE POLICY {} ON {} AS {} FOR {} TO {}",
            p.name,
            p.table,
            if p.permissive {
                "PERMISSIVE"
            } else {
                "RESTRICTIVE"
            },
            p.command.sql(),
            p.roles
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if let Some(u) = &p.using {
            out.push_str(&format!("\n  USING ({u})"));
        }
        if let Some(k) = &p.check {
            out.push_str(&format!("\n  WITH CHECK ({k})"));
        }
        out.push_str(";\n");
    }
    let on = GrantTarget::Table {
        table: table.clone(),
    };
    for g in c.grants.iter().filter(|g| g.on == on) {
        out.push_str(&format!(
            "GRANT {} ON {} TO {};\n",
            g.privilege.sql(),
            g.on,
            g.grantee
        ));
    }
    out
}

#[test]
fn owner() {
    insta::assert_snapshot!(expansion("access owner column=owner_id"));
}

#[test]
fn owner_read_only() {
    insta::assert_snapshot!(expansion("access owner column=owner_id allow=select"));
}

#[test]
fn org_membership() {
    insta::assert_snapshot!(expansion(
        "access org-membership column=org_id members=core.memberships read=viewer write=editor delete=admin"
    ));
}

#[test]
fn role_based() {
    insta::assert_snapshot!(expansion(
        "access role-based claim=user_role select=viewer insert=editor update=editor delete=none"
    ));
}

#[test]
fn service_bypass_with_owner() {
    insta::assert_snapshot!(expansion(
        "access owner column=owner_id\n    access service-bypass"
    ));
}

#[test]
fn anon_gets_nothing_from_any_template() {
    for access in [
        "access owner column=owner_id",
        "access org-membership column=org_id members=core.memberships",
        "access role-based",
        "access service-bypass",
    ] {
        let out = expansion(access);
        assert!(!out.contains("anon"), "{access}:\n{out}");
    }
}

#[test]
fn template_errors() {
    let e = errors("table t { column a uuid; access ownr column=a }");
    assert!(e.contains("unknown access template `ownr`"), "{e}");
    let e = errors("table t { column a uuid; access owner column=b colour=red }");
    assert!(e.contains("unknown property `colour` on `access`"), "{e}");
    assert!(
        e.contains("`column=` names column `b`, which public.t does not have"),
        "{e}"
    );
    let e = errors("table t { column a uuid; access role-based delete=boss }");
    assert!(
        e.contains("`delete=boss` is not a tier of the ladder"),
        "{e}"
    );
    let e = errors(
        "table t { column a uuid; access owner column=a; access owner column=a allow=select }",
    );
    assert!(
        e.contains("policy t_owner_select on public.t is declared twice"),
        "{e}"
    );
    let e = errors("table t { column a uuid; access org-membership column=a }");
    assert!(e.contains("needs members="), "{e}");
}
