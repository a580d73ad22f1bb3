//! Introspection of the security surface (RLS, policies, grants, default
//! privileges, functions, triggers, views) against a real server with the
//! Supabase stand-in installed.

use super::*;
use crate::scratch::{ScratchDb, server_url};
use schema::provided::platform_catalog;
use schema::{
    ArgMode, CheckOption, FunctionReturn, GrantTarget, ObjectClass, PolicyCommand, Privilege,
    QualName, TriggerEvent, TriggerTiming, Volatility,
};

/// A scratch database with the stand-in and `sql` applied, or `None`
/// (skip) without a server.
fn standin_with(sql: &str) -> Option<ScratchDb> {
    let Some(mut db) = ScratchDb::create("trr_introspect_sec").expect("scratch database") else {
        eprintln!("skipped: no PostgreSQL at {}", server_url());
        return None;
    };
    db.install_standin().expect("stand-in installs");
    db.client().batch_execute(sql).expect("fixture SQL applies");
    Some(db)
}

fn ids(names: &[&str]) -> Vec<Ident> {
    names.iter().map(|n| Ident::new(*n)).collect()
}

const FIXTURE: &str = r#"
CREATE SCHEMA core;
GRANT USAGE ON SCHEMA core TO authenticated, service_role;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM public;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT SELECT ON TABLES TO authenticated;
ALTER DEFAULT PRIVILEGES IN SCHEMA core GRANT USAGE ON SEQUENCES TO authenticated WITH GRANT OPTION;
CREATE TABLE core.memberships (org_id uuid, user_id uuid, role text);
CREATE TABLE core.shows (
    id uuid PRIMARY KEY,
    owner_id uuid,
    org_id uuid,
    title text,
    summary text,
    n serial,
    k int GENERATED ALWAYS AS IDENTITY,
    updated_at timestamptz
);
ALTER TABLE core.shows ENABLE ROW LEVEL SECURITY;
ALTER TABLE core.shows FORCE ROW LEVEL SECURITY;
ALTER TABLE core.memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY "owners read" ON core.shows FOR SELECT TO authenticated
    USING (owner_id = (select auth.uid()));
CREATE POLICY edit ON core.shows AS RESTRICTIVE FOR UPDATE TO authenticated, anon, authenticated
    USING ((auth.uid() = owner_id)) WITH CHECK (title <> 'x' AND summary IN ('a', 'b'));
CREATE POLICY shows_org_insert ON core.shows FOR INSERT
    WITH CHECK (org_id IN (SELECT m.org_id FROM core.memberships m
                            WHERE m.user_id = (SELECT auth.uid())
                              AND m.role = ANY (ARRAY['editor', 'admin'])));
CREATE POLICY shows_service_all ON core.shows TO service_role USING (true) WITH CHECK (true);
CREATE POLICY shows_role_delete ON core.shows FOR DELETE
    USING ((SELECT auth.jwt() ->> 'app_role') = ANY (ARRAY['admin']));
CREATE POLICY "media read" ON storage.objects FOR SELECT TO authenticated
    USING (bucket_id = 'trr-media');
GRANT SELECT, INSERT ON core.shows TO anon;
GRANT UPDATE (title, summary) ON core.shows TO authenticated;
REVOKE SELECT ON core.memberships FROM authenticated;
GRANT USAGE ON SEQUENCE core.shows_n_seq TO service_role;

CREATE FUNCTION core.is_member(org_id uuid, min_role text DEFAULT 'viewer', OUT total integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = ''
    AS $$
        select 1
    $$;
CREATE FUNCTION core.touch() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, extensions
    AS $$
    begin
      new.updated_at := now();
      return new;
    end;
    $$;
COMMENT ON FUNCTION core.touch() IS 'Sets updated_at';
CREATE FUNCTION core.pairs(a int, VARIADIC b text[]) RETURNS TABLE (x int, y text)
    LANGUAGE sql IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE AS 'select 1, ''a''';
CREATE FUNCTION core.counts(INOUT a int DEFAULT 1 + 2) RETURNS SETOF int LANGUAGE sql AS 'select 1';
CREATE FUNCTION core.ids() RETURNS SETOF uuid LANGUAGE sql STABLE BEGIN ATOMIC SELECT id FROM core.shows; END;
GRANT EXECUTE ON FUNCTION core.touch() TO authenticated;
GRANT EXECUTE ON FUNCTION core.is_member(uuid, text) TO public;
CREATE EXTENSION pgcrypto SCHEMA core;

CREATE TRIGGER touch_shows BEFORE UPDATE ON core.shows
    FOR EACH ROW WHEN (old.* IS DISTINCT FROM new.*) EXECUTE FUNCTION core.touch();
CREATE TRIGGER audit AFTER DELETE OR UPDATE OF title, org_id OR INSERT ON core.shows
    FOR EACH STATEMENT EXECUTE FUNCTION core.touch('shows', 'a b', 'it''s');
CREATE TRIGGER checked BEFORE INSERT OR TRUNCATE ON core.shows
    EXECUTE FUNCTION core.touch();
CREATE TRIGGER guarded BEFORE INSERT ON core.shows
    FOR EACH ROW WHEN (new.title <> 'x' AND new.summary IN ('a', 'b')) EXECUTE FUNCTION core.touch();

CREATE VIEW core.titled AS SELECT id, title FROM core.shows WHERE title IS NOT NULL;
CREATE VIEW core.renamed (a, b) AS SELECT id, title FROM core.shows;
CREATE VIEW core.guarded WITH (security_invoker = on, security_barrier = true)
    AS SELECT s.id, s.title FROM core.shows s WHERE s.title <> 'x' WITH LOCAL CHECK OPTION;
CREATE VIEW core.cascaded AS SELECT * FROM core.guarded WITH CASCADED CHECK OPTION;
CREATE MATERIALIZED VIEW core.show_counts AS SELECT org_id, count(*) FROM core.shows GROUP BY org_id;
COMMENT ON VIEW core.titled IS 'Shows with a title';
CREATE TRIGGER renamed_insert INSTEAD OF INSERT ON core.renamed
    FOR EACH ROW EXECUTE FUNCTION core.touch();
REVOKE ALL ON core.renamed FROM authenticated;
GRANT SELECT ON core.show_counts TO anon;
"#;

#[test]
fn reads_the_security_surface() {
    let Some(mut db) = standin_with(FIXTURE) else {
        return;
    };
    let catalog = introspect(db.client(), &ids(&["core"])).unwrap();
    insta::assert_snapshot!("security_surface", readable(&catalog));

    let shows = &catalog.tables[&QualName::from("core.shows")];
    assert!(shows.rls_enabled && shows.rls_forced);
    let memberships = &catalog.tables[&QualName::from("core.memberships")];
    assert!(memberships.rls_enabled && !memberships.rls_forced);

    let policy = |t: &str, n: &str| &catalog.policies[&(QualName::from(t), Ident::new(n))];
    let read = policy("core.shows", "owners read");
    assert_eq!(read.command, PolicyCommand::Select);
    assert_eq!(read.roles, ids(&["authenticated"]));
    assert_eq!(
        read.using,
        Some(Expr::parse("owner_id = (select auth.uid())").unwrap())
    );
    assert_eq!(read.check, None);
    let edit = policy("core.shows", "edit");
    assert!(!edit.permissive);
    assert_eq!(edit.command, PolicyCommand::Update);
    assert_eq!(edit.roles, ids(&["anon", "authenticated"]));
    assert_eq!(
        edit.using,
        Some(Expr::parse("auth.uid() = owner_id").unwrap())
    );
    let insert = policy("core.shows", "shows_org_insert");
    assert_eq!(insert.roles, ids(&["public"]));
    assert_eq!(insert.using, None);
    assert_eq!(
        policy("core.shows", "shows_service_all").command,
        PolicyCommand::All
    );
    // Policies on the platform's tables are read too.
    assert_eq!(
        policy("storage.objects", "media read").using,
        Some(Expr::parse("bucket_id = 'trr-media'::text").unwrap())
    );

    let function = |n: &str| {
        catalog
            .functions
            .values()
            .find(|f| f.name == QualName::from(n))
            .unwrap_or_else(|| panic!("function {n}"))
    };
    let is_member = function("core.is_member");
    assert_eq!(is_member.id().to_string(), "core.is_member(uuid, text)");
    assert_eq!(
        is_member
            .args
            .iter()
            .map(|a| (a.mode, a.default.as_ref().map(|d| d.sql().to_string())))
            .collect::<Vec<_>>(),
        [
            (ArgMode::In, None),
            (ArgMode::In, Some("'viewer'".into())),
            (ArgMode::Out, None)
        ]
    );
    assert_eq!(is_member.body, "select 1");
    assert_eq!(is_member.volatility, Volatility::Stable);
    assert!(is_member.security_definer);
    assert_eq!(is_member.config["search_path"], "\"\"");
    let touch = function("core.touch");
    assert_eq!(
        touch.body,
        "begin\n  new.updated_at := now();\n  return new;\nend;"
    );
    assert_eq!(touch.config["search_path"], "public, extensions");
    assert!(matches!(touch.returns, FunctionReturn::Type { ref ty } if ty.as_str() == "trigger"));
    let pairs = function("core.pairs");
    assert!(matches!(&pairs.returns, FunctionReturn::Table { columns } if columns.len() == 2));
    assert_eq!(pairs.id().to_string(), "core.pairs(integer, text[])");
    assert!(pairs.strict && pairs.leakproof);
    let counts = function("core.counts");
    assert!(matches!(counts.returns, FunctionReturn::SetOf { .. }));
    assert_eq!(counts.args[0].mode, ArgMode::InOut);
    // Functions of an extension installed in a managed schema are its own.
    assert!(
        !catalog
            .functions
            .keys()
            .any(|f| f.name.name.as_str() == "gen_random_uuid")
    );

    let trigger = |n: &str| &catalog.triggers[&(QualName::from("core.shows"), Ident::new(n))];
    let audit = trigger("audit");
    assert_eq!(audit.timing, TriggerTiming::After);
    assert_eq!(
        audit.events,
        [
            TriggerEvent::Insert,
            TriggerEvent::Update {
                columns: ids(&["title", "org_id"])
            },
            TriggerEvent::Delete
        ]
    );
    assert!(!audit.for_each_row);
    assert_eq!(audit.args, ["shows", "a b", "it's"]);
    assert_eq!(
        trigger("touch_shows").when,
        Some(Expr::parse("old.* IS DISTINCT FROM new.*").unwrap())
    );
    assert_eq!(
        trigger("checked").events,
        [TriggerEvent::Insert, TriggerEvent::Truncate]
    );
    let instead =
        &catalog.triggers[&(QualName::from("core.renamed"), Ident::new("renamed_insert"))];
    assert_eq!(instead.timing, TriggerTiming::InsteadOf);

    let view = |n: &str| &catalog.views[&QualName::from(n)];
    assert!(view("core.renamed").columns.is_empty());
    assert_eq!(
        view("core.renamed").query.output_names(),
        Some(ids(&["a", "b"]))
    );
    let guarded = view("core.guarded");
    assert!(guarded.security_invoker && guarded.security_barrier);
    assert_eq!(guarded.check_option, Some(CheckOption::Local));
    assert_eq!(
        view("core.cascaded").check_option,
        Some(CheckOption::Cascaded)
    );
    assert!(view("core.show_counts").materialized);

    let held = |on: GrantTarget| -> Vec<String> {
        catalog
            .grants
            .iter()
            .filter(|g| g.on == on)
            .map(|g| {
                format!(
                    "{} {}{}",
                    g.grantee,
                    g.privilege.sql(),
                    if g.grantable { "*" } else { "" }
                )
            })
            .collect()
    };
    let table = |t: &str| GrantTarget::Table {
        table: QualName::from(t),
    };
    // Default privileges in core gave SELECT; the owner's own are not listed.
    assert_eq!(
        held(table("core.shows")),
        ["anon SELECT", "anon INSERT", "authenticated SELECT"]
    );
    assert_eq!(held(table("core.memberships")), Vec::<String>::new());
    assert_eq!(
        held(GrantTarget::Column {
            table: QualName::from("core.shows"),
            column: Ident::new("title")
        }),
        ["authenticated UPDATE"]
    );
    assert_eq!(
        held(GrantTarget::Sequence {
            sequence: QualName::from("core.shows_n_seq")
        }),
        ["authenticated USAGE*", "service_role USAGE"]
    );
    assert_eq!(
        held(GrantTarget::Sequence {
            sequence: QualName::from("core.shows_k_seq")
        }),
        ["authenticated USAGE*"]
    );
    assert_eq!(
        held(GrantTarget::Schema {
            schema: Ident::new("core")
        }),
        ["authenticated USAGE", "service_role USAGE"]
    );
    // The global revoke took EXECUTE from PUBLIC on new functions.
    assert_eq!(
        held(GrantTarget::Function {
            function: touch.id()
        }),
        ["authenticated EXECUTE"]
    );
    assert_eq!(
        held(GrantTarget::Function {
            function: is_member.id()
        }),
        ["public EXECUTE"]
    );
    assert_eq!(held(table("core.renamed")), Vec::<String>::new());
    assert_eq!(
        held(table("core.show_counts")),
        ["anon SELECT", "authenticated SELECT"]
    );

    let defaults: Vec<String> = catalog
        .default_privileges
        .iter()
        .map(|d| {
            format!(
                "{} {:?} {} {}{}",
                d.schema.as_ref().map_or("(global)", |s| s.as_str()),
                d.objects,
                d.grantee,
                d.privilege.sql(),
                if d.grantable { "*" } else { "" }
            )
        })
        .collect();
    assert_eq!(
        defaults,
        [
            "(global) Type public USAGE",
            "core Table authenticated SELECT",
            "core Sequence authenticated USAGE*",
        ]
    );
}

#[test]
fn an_untouched_public_schema_reads_as_the_platform_baseline() {
    let Some(mut db) = standin_with("") else {
        return;
    };
    let catalog = introspect(db.client(), &ids(&["public"])).unwrap();
    let baseline = platform_catalog();
    assert_eq!(catalog.grants, baseline.grants);
    assert_eq!(catalog.default_privileges, baseline.default_privileges);
    assert!(catalog.policies.is_empty() && catalog.functions.is_empty());
    assert!(catalog.views.is_empty() && catalog.triggers.is_empty());
    // The API roles get everything on a new table in public, as on Supabase.
    let table = Ident::new("public");
    assert_eq!(
        catalog
            .default_grants(ObjectClass::Table, &table)
            .iter()
            .filter(|(g, p, _)| g.as_str() == "anon" && *p == Privilege::Delete)
            .count(),
        1
    );
}
