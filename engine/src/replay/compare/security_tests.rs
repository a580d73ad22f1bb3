//! The security surface: what the offline replay stores (as written) against
//! what PostgreSQL 15 prints for it (strings copied from the server).

use super::*;
use schema::{
    ArgMode, CheckOption, DefaultPrivilege, Expr, Function, FunctionArg, FunctionId,
    FunctionReturn, Grant, GrantTarget, Ident, ObjectClass, Parallel, Policy, PolicyCommand,
    Privilege, QualName, Query, SqlType, Table, Trigger, TriggerEvent, TriggerTiming, View,
    Volatility,
};

fn policy(name: &str, using: &str, check: Option<&str>) -> Policy {
    Policy {
        name: Ident::new(name),
        table: QualName::from("core.shows"),
        permissive: true,
        command: PolicyCommand::All,
        roles: vec![Ident::new("authenticated")],
        using: Some(Expr::parse(using).unwrap()),
        check: check.map(|c| Expr::parse(c).unwrap()),
    }
}

fn view(name: &str, columns: &[&str], query: &str) -> View {
    View {
        name: QualName::from(name),
        materialized: false,
        columns: columns.iter().map(|c| Ident::new(*c)).collect(),
        query: Query::parse(query).unwrap(),
        security_invoker: false,
        security_barrier: false,
        check_option: None,
        comment: None,
    }
}

fn function(default: &str) -> Function {
    Function {
        name: QualName::from("core.is_member"),
        args: vec![FunctionArg {
            mode: ArgMode::In,
            name: Some(Ident::new("min_role")),
            ty: SqlType::parse("text").unwrap(),
            default: Some(Expr::parse(default).unwrap()),
        }],
        returns: FunctionReturn::Type {
            ty: SqlType::parse("boolean").unwrap(),
        },
        language: "sql".into(),
        body: "select true".into(),
        volatility: Volatility::Stable,
        strict: false,
        security_definer: true,
        leakproof: false,
        parallel: Parallel::Unsafe,
        config: [("search_path".to_string(), "\"\"".to_string())].into(),
        comment: None,
    }
}

fn trigger(when: &str) -> Trigger {
    Trigger {
        name: Ident::new("touch"),
        table: QualName::from("core.shows"),
        timing: TriggerTiming::Before,
        events: vec![TriggerEvent::Update { columns: vec![] }],
        for_each_row: true,
        when: Some(Expr::parse(when).unwrap()),
        function: QualName::from("core.touch"),
        args: vec![],
        old_table: None,
        new_table: None,
        constraint: None,
    }
}

fn with<K: Ord, T: Clone>(items: &[T], key: impl Fn(&T) -> K, into: &mut BTreeMap<K, T>) {
    for item in items {
        into.insert(key(item), item.clone());
    }
}

/// Offline and shadow Catalogs holding one of each kind, `offline`
/// as a user writes it and `shadow` as PostgreSQL prints it.
fn pair() -> (Catalog, Catalog) {
    let mut offline = Catalog::default();
    let mut shadow = Catalog::default();
    with(
        &[
            policy(
                "owner",
                "owner_id = (select auth.uid())",
                Some("(owner_id = (select auth.uid()))"),
            ),
            policy(
                "role",
                "(select auth.jwt() ->> 'app_role') = any (array['editor', 'admin'])",
                None,
            ),
            policy(
                "org",
                "org_id in (select org_id from core.memberships where user_id = auth.uid() and role in ('admin'))",
                None,
            ),
        ],
        Policy::key,
        &mut offline.policies,
    );
    with(
        &[
            policy(
                "owner",
                "owner_id = (( SELECT auth.uid() AS uid))",
                Some("owner_id = (( SELECT auth.uid() AS uid))"),
            ),
            policy(
                "role",
                "(( SELECT auth.jwt() ->> 'app_role'::text)) = ANY (ARRAY['editor'::text, 'admin'::text])",
                None,
            ),
            policy(
                "org",
                "(org_id IN ( SELECT memberships.org_id\n   FROM core.memberships\n  WHERE memberships.user_id = auth.uid() AND (memberships.role = 'admin'::text)))",
                None,
            ),
        ],
        Policy::key,
        &mut shadow.policies,
    );
    with(
        &[
            view(
                "core.renamed",
                &["a", "b"],
                "select id, title from core.shows",
            ),
            view(
                "core.counts",
                &[],
                "select org_id, count(*) from core.shows where title <> 'x' group by org_id",
            ),
        ],
        |v| v.name.clone(),
        &mut offline.views,
    );
    with(
        &[
            view(
                "core.renamed",
                &[],
                " SELECT shows.id AS a,\n    shows.title AS b\n   FROM core.shows;",
            ),
            view(
                "core.counts",
                &[],
                " SELECT shows.org_id,\n    count(*) AS count\n   FROM core.shows\n  WHERE shows.title <> 'x'::text\n  GROUP BY shows.org_id;",
            ),
        ],
        |v| v.name.clone(),
        &mut shadow.views,
    );
    with(
        &[function("'viewer'")],
        Function::id,
        &mut offline.functions,
    );
    with(
        &[function("'viewer'::text")],
        Function::id,
        &mut shadow.functions,
    );
    with(
        &[trigger("OLD.* is distinct from NEW.*")],
        Trigger::key,
        &mut offline.triggers,
    );
    with(
        &[trigger("old.* IS DISTINCT FROM new.*")],
        Trigger::key,
        &mut shadow.triggers,
    );
    (offline, shadow)
}

fn lines(offline: &Catalog, shadow: &Catalog) -> Vec<String> {
    compare(offline, shadow)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn postgres_spellings_are_not_differences() {
    let (offline, shadow) = pair();
    assert_eq!(lines(&offline, &shadow), Vec::<String>::new());
    // A checkpoint keeps the spelling of the offline replay.
    let kept = prefer_offline_spelling(&shadow, &offline);
    assert_eq!(kept.policies, offline.policies);
    assert_eq!(kept.views, offline.views);
    assert_eq!(kept.functions, offline.functions);
    assert_eq!(kept.triggers, offline.triggers);
}

#[test]
fn real_differences_are_named_by_aspect() {
    let (mut offline, shadow) = pair();
    let key = (QualName::from("core.shows"), Ident::new("owner"));
    let owner = offline.policies.get_mut(&key).unwrap();
    owner.using = Some(Expr::parse("owner_id = auth.uid() or true").unwrap());
    owner.command = PolicyCommand::Update;
    owner.roles = vec![Ident::new("anon"), Ident::new("authenticated")];
    owner.permissive = false;
    let renamed = offline
        .views
        .get_mut(&QualName::from("core.renamed"))
        .unwrap();
    renamed.columns = vec![Ident::new("a"), Ident::new("c")];
    renamed.check_option = Some(CheckOption::Local);
    let f = offline.functions.values_mut().next().unwrap();
    f.body = "select false".into();
    f.security_definer = false;
    f.config.clear();
    let t = offline.triggers.values_mut().next().unwrap();
    t.when = Some(Expr::parse("old.title <> new.title").unwrap());
    t.events.push(TriggerEvent::Delete);
    // `old.` and `new.` are not qualifiers to drop.
    let mut shadow = shadow;
    shadow.triggers.values_mut().next().unwrap().when =
        Some(Expr::parse("old.title <> old.title").unwrap());

    insta::assert_snapshot!(lines(&offline, &shadow).join("\n"), @r#"
    view core.renamed query: offline SELECT id AS a, title AS c FROM core.shows, PostgreSQL SELECT shows.id AS a, shows.title AS b FROM core.shows
    view core.renamed check option: offline LOCAL, PostgreSQL (absent)
    function core.is_member(text) body: offline select false, PostgreSQL select true
    function core.is_member(text) security: offline INVOKER, PostgreSQL DEFINER
    function core.is_member(text) config: offline (absent), PostgreSQL search_path=""
    policy core.shows.owner as: offline RESTRICTIVE, PostgreSQL PERMISSIVE
    policy core.shows.owner command: offline UPDATE, PostgreSQL ALL
    policy core.shows.owner roles: offline anon, authenticated, PostgreSQL authenticated
    policy core.shows.owner using: offline (owner_id = auth.uid()) OR true, PostgreSQL owner_id = (SELECT auth.uid())
    trigger core.shows.touch events: offline UPDATE OR DELETE, PostgreSQL UPDATE
    trigger core.shows.touch when: offline old.title <> new.title, PostgreSQL old.title <> old.title
    "#);
}

#[test]
fn rls_grants_and_default_privileges() {
    let mut offline = Catalog::default();
    let mut shadow = Catalog::default();
    let mut table = Table::new(QualName::from("core.shows"));
    table.rls_enabled = true;
    offline.tables.insert(table.name.clone(), table.clone());
    table.rls_forced = true;
    shadow.tables.insert(table.name.clone(), table);
    let grant = |on: GrantTarget, grantee: &str, privilege, grantable| Grant {
        on,
        grantee: Ident::new(grantee),
        privilege,
        grantable,
    };
    let shows = GrantTarget::Table {
        table: QualName::from("core.shows"),
    };
    let is_member = GrantTarget::Function {
        function: FunctionId {
            name: QualName::from("core.is_member"),
            arg_types: vec![SqlType::parse("uuid").unwrap()],
        },
    };
    offline.grants.extend([
        grant(shows.clone(), "anon", Privilege::Select, false),
        grant(shows.clone(), "authenticated", Privilege::Select, false),
        grant(shows.clone(), "authenticated", Privilege::Insert, false),
        grant(is_member.clone(), "public", Privilege::Execute, false),
    ]);
    shadow.grants.extend([
        grant(shows.clone(), "authenticated", Privilege::Insert, true),
        grant(shows.clone(), "authenticated", Privilege::Select, false),
        grant(
            GrantTarget::Column {
                table: QualName::from("core.shows"),
                column: Ident::new("title"),
            },
            "authenticated",
            Privilege::Update,
            false,
        ),
        grant(
            GrantTarget::Sequence {
                sequence: QualName::from("core.shows_n_seq"),
            },
            "service_role",
            Privilege::Usage,
            false,
        ),
        grant(is_member, "public", Privilege::Execute, false),
    ]);
    offline
        .default_privileges
        .extend(schema::security::builtin_default_privileges());
    shadow.default_privileges.insert(DefaultPrivilege {
        schema: Some(Ident::new("core")),
        objects: ObjectClass::Table,
        grantee: Ident::new("authenticated"),
        privilege: Privilege::Select,
        grantable: false,
    });
    insta::assert_snapshot!(lines(&offline, &shadow).join("\n"), @r#"
    table core.shows row level security: offline enabled, PostgreSQL enabled, forced
    grant TABLE core.shows to anon privileges: offline SELECT, PostgreSQL (absent)
    grant TABLE core.shows to authenticated privileges: offline SELECT, INSERT, PostgreSQL SELECT, INSERT*
    grant TABLE core.shows (title) to authenticated privileges: offline (absent), PostgreSQL UPDATE
    grant SEQUENCE core.shows_n_seq to service_role privileges: offline (absent), PostgreSQL USAGE
    default privileges global on functions to public privileges: offline EXECUTE, PostgreSQL (absent)
    default privileges global on types to public privileges: offline USAGE, PostgreSQL (absent)
    default privileges in schema core on tables to authenticated privileges: offline (absent), PostgreSQL SELECT
    "#);
}
