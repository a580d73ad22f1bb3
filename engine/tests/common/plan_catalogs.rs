//! Hand-built Catalogs shared by the plan tests (snapshots and the
//! PostgreSQL check). Each scenario is a (current, desired) pair.
#![allow(dead_code)]

use schema::*;
use std::collections::BTreeMap;

pub fn id(s: &str) -> Ident {
    Ident::new(s)
}

pub fn qn(s: &str) -> QualName {
    QualName::from(s)
}

pub fn ty(s: &str) -> SqlType {
    SqlType::parse(s).expect("type")
}

pub fn ex(s: &str) -> Expr {
    Expr::parse(s).expect("expression")
}

/// NOT NULL, as KDL columns are by default.
pub fn col(name: &str, t: &str) -> Column {
    let mut c = Column::new(id(name), ty(t));
    c.nullable = false;
    c
}

pub fn nullable(mut c: Column) -> Column {
    c.nullable = true;
    c
}

pub fn table(name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(qn(name));
    t.columns = columns;
    t
}

pub fn pk(t: &mut Table, name: &str, cols: &[&str]) {
    t.primary_key = Some(PrimaryKey {
        name: id(name),
        columns: cols.iter().map(|c| id(c)).collect(),
    });
}

pub fn add(t: &mut Table, name: &str, kind: ConstraintKind) {
    t.constraints.insert(
        id(name),
        Constraint {
            name: id(name),
            kind,
            not_valid: false,
        },
    );
}

pub fn fk(cols: &[&str], ref_table: &str, ref_cols: &[&str]) -> ConstraintKind {
    ConstraintKind::ForeignKey(ForeignKey {
        columns: cols.iter().map(|c| id(c)).collect(),
        ref_table: qn(ref_table),
        ref_columns: ref_cols.iter().map(|c| id(c)).collect(),
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        match_full: false,
        deferral: Deferral::NotDeferrable,
    })
}

pub fn check(expr: &str) -> ConstraintKind {
    ConstraintKind::Check {
        expr: ex(expr),
        no_inherit: false,
    }
}

pub fn unique(cols: &[&str]) -> ConstraintKind {
    ConstraintKind::Unique {
        columns: cols.iter().map(|c| id(c)).collect(),
        nulls_not_distinct: false,
        deferral: Deferral::NotDeferrable,
    }
}

pub fn index(name: &str, table: &str, keys: &[&str]) -> Index {
    let table = qn(table);
    Index {
        name: QualName::new(table.schema.clone(), id(name)),
        table,
        unique: false,
        method: "btree".into(),
        keys: keys
            .iter()
            .map(|k| index_key::parse_index_key(k).expect("key"))
            .collect(),
        include: vec![],
        predicate: None,
        nulls_not_distinct: false,
        with: BTreeMap::new(),
        comment: None,
    }
}

pub fn with_schema(c: &mut Catalog, name: &str) {
    c.schemas.insert(
        id(name),
        Schema {
            name: id(name),
            comment: None,
        },
    );
}

pub fn put_table(c: &mut Catalog, t: Table) {
    c.tables.insert(t.name.clone(), t);
}

pub fn put_index(c: &mut Catalog, i: Index) {
    c.indexes.insert(i.name.clone(), i);
}

pub fn managed() -> Vec<Ident> {
    vec![id("core"), id("public")]
}

pub fn options() -> engine::plan::PlanOptions {
    engine::plan::PlanOptions::new(managed())
}

/// The `orgs` table both sides of several scenarios start from.
pub fn orgs() -> Table {
    let mut t = table("core.orgs", vec![col("id", "uuid"), col("name", "text")]);
    t.columns[0].default = Some(ex("gen_random_uuid()"));
    pk(&mut t, "orgs_pkey", &["id"]);
    t
}

/// Everything a new table can have.
pub fn new_tables() -> (Catalog, Catalog) {
    let current = Catalog::default();
    let mut d = Catalog::default();
    d.schemas.insert(
        id("core"),
        Schema {
            name: id("core"),
            comment: Some("TRR core data".into()),
        },
    );
    d.extensions.insert(
        id("pg_trgm"),
        Extension {
            name: id("pg_trgm"),
            schema: None,
        },
    );
    d.enums.insert(
        qn("core.show_status"),
        Enum {
            name: qn("core.show_status"),
            values: vec!["active".into(), "paused".into(), "ended".into()],
            comment: Some("Lifecycle".into()),
        },
    );
    put_table(&mut d, orgs());
    let mut shows = table(
        "core.shows",
        vec![
            col("id", "uuid"),
            col("org_id", "uuid"),
            col("title", "text"),
            nullable(col("summary", "text")),
            col("status", "core.show_status"),
            col("seq", "bigint"),
            col("n", "integer"),
            col("price", "numeric(10,2)"),
            col("quantity", "integer"),
            col("total", "numeric(12,2)"),
            col("email", "text"),
            nullable(col("tags", "text[]")),
            col("created_at", "timestamp with time zone"),
            nullable(col("deleted_at", "timestamptz")),
        ],
    );
    shows.comment = Some("TV shows".into());
    shows.columns[0].default = Some(ex("gen_random_uuid()"));
    shows.columns[2].comment = Some("Display title".into());
    shows.columns[4].default = Some(ex("'active'::core.show_status"));
    shows.columns[5].identity = Some(Identity::Always);
    shows.columns[6].default = Some(ex("nextval('core.shows_n_seq'::regclass)"));
    shows.columns[9].generated = Some(ex("price * quantity"));
    shows.columns[12].default = Some(ex("now()"));
    pk(&mut shows, "shows_pkey", &["id"]);
    add(
        &mut shows,
        "shows_title_check",
        check("char_length(title) > 0"),
    );
    add(&mut shows, "shows_email_key", unique(&["email"]));
    add(
        &mut shows,
        "shows_org_email_key",
        ConstraintKind::Unique {
            columns: vec![id("org_id"), id("email")],
            nulls_not_distinct: true,
            deferral: Deferral::DeferrableInitiallyDeferred,
        },
    );
    let ConstraintKind::ForeignKey(mut org) = fk(&["org_id"], "core.orgs", &["id"]) else {
        unreachable!()
    };
    org.on_delete = FkAction::Cascade;
    org.on_update = FkAction::Restrict;
    org.match_full = true;
    add(
        &mut shows,
        "shows_org_id_fkey",
        ConstraintKind::ForeignKey(org),
    );
    put_table(&mut d, shows);
    let mut recent = index(
        "shows_org_recent",
        "core.shows",
        &["org_id", "created_at desc"],
    );
    recent.predicate = Some(ex("deleted_at is null"));
    put_index(&mut d, recent);
    let mut lower = index("shows_lower_email", "core.shows", &["lower(email)"]);
    lower.unique = true;
    lower.include = vec![id("org_id"), id("title")];
    lower.nulls_not_distinct = true;
    lower.with.insert("fillfactor".into(), "70".into());
    lower.comment = Some("Case-insensitive email lookup".into());
    put_index(&mut d, lower);
    let mut trgm = index("shows_title_trgm", "core.shows", &["title gin_trgm_ops"]);
    trgm.method = "gin".into();
    put_index(&mut d, trgm);
    (current, d)
}

pub fn core_base() -> Catalog {
    let mut c = Catalog::default();
    with_schema(&mut c, "core");
    put_table(&mut c, orgs());
    c
}

/// Two new tables referencing each other.
pub fn fk_cycle() -> (Catalog, Catalog) {
    let current = core_base();
    let mut d = current.clone();
    let mut a = table(
        "core.a",
        vec![col("id", "integer"), nullable(col("b_id", "integer"))],
    );
    pk(&mut a, "a_pkey", &["id"]);
    add(&mut a, "a_b_id_fkey", fk(&["b_id"], "core.b", &["id"]));
    let mut b = table(
        "core.b",
        vec![col("id", "integer"), nullable(col("a_id", "integer"))],
    );
    pk(&mut b, "b_pkey", &["id"]);
    add(&mut b, "b_a_id_fkey", fk(&["a_id"], "core.a", &["id"]));
    put_table(&mut d, a);
    put_table(&mut d, b);
    (current, d)
}

pub fn self_reference() -> (Catalog, Catalog) {
    let current = core_base();
    let mut d = current.clone();
    let mut t = table(
        "core.categories",
        vec![col("id", "bigint"), nullable(col("parent_id", "bigint"))],
    );
    t.columns[0].identity = Some(Identity::ByDefault);
    pk(&mut t, "categories_pkey", &["id"]);
    let ConstraintKind::ForeignKey(mut f) = fk(&["parent_id"], "core.categories", &["id"]) else {
        unreachable!()
    };
    f.on_delete = FkAction::SetNull;
    add(
        &mut t,
        "categories_parent_id_fkey",
        ConstraintKind::ForeignKey(f),
    );
    put_table(&mut d, t);
    (current, d)
}

/// New column, check, FK and index on an existing table.
pub fn add_to_existing() -> (Catalog, Catalog) {
    let mut current = core_base();
    let mut shows = table(
        "core.shows",
        vec![
            col("id", "uuid"),
            col("org_id", "uuid"),
            col("title", "text"),
        ],
    );
    pk(&mut shows, "shows_pkey", &["id"]);
    put_table(&mut current, shows.clone());
    let mut d = current.clone();
    shows.columns.push(nullable(col("summary", "text")));
    let mut slug = col("slug", "text");
    slug.default = Some(ex("''"));
    shows.columns.push(slug);
    add(
        &mut shows,
        "shows_org_id_fkey",
        fk(&["org_id"], "core.orgs", &["id"]),
    );
    add(&mut shows, "shows_slug_check", check("slug <> 'new'"));
    put_table(&mut d, shows);
    put_index(
        &mut d,
        index("shows_org_slug", "core.shows", &["org_id", "slug"]),
    );
    let mut by_title = index("shows_title", "core.shows", &["title"]);
    by_title.comment = Some("Title lookup".into());
    put_index(&mut d, by_title);
    (current, d)
}

/// Everything the other scenarios create, then removed.
pub fn drops() -> (Catalog, Catalog) {
    let (_, mut current) = new_tables();
    let (_, cycle) = fk_cycle();
    for t in cycle.tables.into_values() {
        put_table(&mut current, t);
    }
    with_schema(&mut current, "old");
    // Dropped before the column it covers.
    put_index(&mut current, index("orgs_name", "core.orgs", &["name"]));
    let mut d = Catalog::default();
    with_schema(&mut d, "core");
    d.schemas.get_mut(&id("core")).unwrap().comment = Some("TRR core data".into());
    d.extensions = current.extensions.clone();
    let mut orgs = orgs();
    orgs.columns.pop();
    put_table(&mut d, orgs);
    (current, d)
}

pub fn drops_managed() -> Vec<Ident> {
    vec![id("core"), id("public"), id("old")]
}

/// Widening and narrowing type changes plus default/null/identity changes.
pub fn type_change() -> (Catalog, Catalog) {
    let mut current = core_base();
    let mut t = table(
        "core.items",
        vec![
            col("id", "integer"),
            col("code", "character varying(20)"),
            col("price", "numeric(10,2)"),
            nullable(col("note", "text")),
            col("qty", "integer"),
        ],
    );
    t.columns[4].default = Some(ex("0"));
    let mut state = col("state", "text");
    state.default = Some(ex("'a'"));
    t.columns.push(state);
    pk(&mut t, "items_pkey", &["id"]);
    current.enums.insert(
        qn("core.state"),
        Enum {
            name: qn("core.state"),
            values: vec!["a".into(), "b".into()],
            comment: None,
        },
    );
    put_table(&mut current, t.clone());
    let mut d = current.clone();
    t.columns[0].ty = ty("bigint");
    t.columns[0].identity = Some(Identity::Always);
    t.columns[1].ty = ty("text");
    t.columns[2].ty = ty("numeric(8,1)");
    t.columns[3].nullable = false;
    t.columns[3].default = Some(ex("'n/a'"));
    t.columns[4].nullable = true;
    t.columns[4].default = None;
    t.columns[5].ty = ty("core.state");
    t.columns[5].default = Some(ex("'a'::core.state"));
    put_table(&mut d, t);
    (current, d)
}

pub fn enum_value_added() -> (Catalog, Catalog) {
    let mut current = core_base();
    let status = Enum {
        name: qn("core.status"),
        values: vec!["active".into(), "ended".into()],
        comment: None,
    };
    current.enums.insert(status.name.clone(), status.clone());
    let mut t = table(
        "core.jobs",
        vec![col("id", "integer"), col("status", "core.status")],
    );
    pk(&mut t, "jobs_pkey", &["id"]);
    put_table(&mut current, t);
    let mut d = current.clone();
    d.enums.get_mut(&qn("core.status")).unwrap().values = vec![
        "draft".into(),
        "pending".into(),
        "active".into(),
        "paused".into(),
        "ended".into(),
        "archived".into(),
    ];
    // A new label used right away: it must be committed first.
    let mut stage = col("stage", "core.status");
    stage.default = Some(ex("'draft'::core.status"));
    d.tables
        .get_mut(&qn("core.jobs"))
        .unwrap()
        .columns
        .push(stage);
    (current, d)
}

/// Names that need quotes: capitals, spaces, embedded quotes, keywords.
pub fn quoted() -> (Catalog, Catalog) {
    let current = Catalog::default();
    let mut d = Catalog::default();
    let mut shows = table(
        "public.\"Shows\"",
        vec![
            col("\"Id\"", "integer"),
            nullable(col("\"my column\"", "text")),
            nullable(col("user", "text")),
        ],
    );
    shows.columns[0].name = id("Id");
    shows.columns[1].name = id("my column");
    shows.comment = Some("It's a \"show\"".into());
    pk(&mut shows, "Shows_pkey", &["Id"]);
    put_table(&mut d, shows);
    let mut weird = table(
        "public.\"my table\"",
        vec![col("id", "integer"), nullable(col("show_id", "integer"))],
    );
    weird
        .columns
        .push(nullable(Column::new(id("a\"b"), ty("text"))));
    pk(&mut weird, "my table_pkey", &["id"]);
    add(
        &mut weird,
        "my table_show_id_fkey",
        fk(&["show_id"], "public.\"Shows\"", &["Id"]),
    );
    put_table(&mut d, weird);
    let mut i = index("\"A\"\"b idx\"", "public.\"my table\"", &["\"a\"\"b\""]);
    i.name = QualName::new(id("public"), id("A\"b idx"));
    put_index(&mut d, i);
    (current, d)
}

pub fn comments() -> (Catalog, Catalog) {
    let mut current = core_base();
    current.schemas.get_mut(&id("core")).unwrap().comment = Some("old".into());
    current.tables.get_mut(&qn("core.orgs")).unwrap().comment = Some("Organisations".into());
    put_index(&mut current, index("orgs_name", "core.orgs", &["name"]));
    let mut d = current.clone();
    d.schemas.get_mut(&id("core")).unwrap().comment = Some("TRR core data — it's new".into());
    d.tables.get_mut(&qn("core.orgs")).unwrap().comment = None;
    d.tables.get_mut(&qn("core.orgs")).unwrap().columns[1].comment = Some("Display name".into());
    d.indexes.get_mut(&qn("core.orgs_name")).unwrap().comment = Some("Lookup by name".into());
    (current, d)
}

/// Removing a label: recreated when unused, reported when used.
pub fn enum_removal() -> (Catalog, Catalog) {
    let mut current = core_base();
    for name in ["core.unused", "core.used"] {
        current.enums.insert(
            qn(name),
            Enum {
                name: qn(name),
                values: vec!["a".into(), "b".into(), "c".into()],
                comment: None,
            },
        );
    }
    let mut t = table(
        "core.things",
        vec![col("id", "integer"), col("kind", "core.used")],
    );
    pk(&mut t, "things_pkey", &["id"]);
    put_table(&mut current, t);
    let mut d = current.clone();
    d.enums.get_mut(&qn("core.unused")).unwrap().values = vec!["c".into(), "a".into()];
    d.enums.get_mut(&qn("core.used")).unwrap().values = vec!["a".into(), "c".into()];
    (current, d)
}

/// Changed constraints, indexes and generated columns (drop + add), a
/// foreign key rebuilt because the key it points at changes, an extension
/// moved, identity kind changed, a serial column added.
pub fn replacements() -> (Catalog, Catalog) {
    let mut current = core_base();
    with_schema(&mut current, "extensions");
    current.extensions.insert(
        id("citext"),
        Extension {
            name: id("citext"),
            schema: None,
        },
    );
    let orgs = current.tables.get_mut(&qn("core.orgs")).unwrap();
    add(orgs, "orgs_name_key", unique(&["name"]));
    add(orgs, "orgs_name_check", check("name <> ''"));
    orgs.columns.push(col("price", "numeric"));
    orgs.columns.push(col("qty", "integer"));
    let mut total = col("total", "numeric");
    total.generated = Some(ex("price * qty"));
    orgs.columns.push(total);
    let mut half = col("half", "numeric");
    half.generated = Some(ex("price / 2"));
    orgs.columns.push(half);
    orgs.columns.push(nullable(col("score", "numeric")));
    let mut seq = col("seq", "bigint");
    seq.identity = Some(Identity::Always);
    orgs.columns.push(seq);
    let mut members = table(
        "core.members",
        vec![col("id", "integer"), col("org_name", "text")],
    );
    pk(&mut members, "members_pkey", &["id"]);
    add(
        &mut members,
        "members_org_name_fkey",
        fk(&["org_name"], "core.orgs", &["name"]),
    );
    put_table(&mut current, members);
    put_index(&mut current, index("orgs_total", "core.orgs", &["total"]));
    put_index(&mut current, index("orgs_qty", "core.orgs", &["qty"]));
    put_index(&mut current, index("orgs_score", "core.orgs", &["score"]));

    let mut d = current.clone();
    d.extensions.insert(
        id("citext"),
        Extension {
            name: id("citext"),
            schema: Some(id("extensions")),
        },
    );
    let orgs = d.tables.get_mut(&qn("core.orgs")).unwrap();
    add(
        orgs,
        "orgs_name_key",
        ConstraintKind::Unique {
            columns: vec![id("name")],
            nulls_not_distinct: true,
            deferral: Deferral::NotDeferrable,
        },
    );
    add(orgs, "orgs_name_check", check("char_length(name) > 1"));
    orgs.column_mut(&id("total")).unwrap().generated = Some(ex("price * qty * 2"));
    orgs.column_mut(&id("half")).unwrap().generated = None;
    orgs.column_mut(&id("score")).unwrap().generated = Some(ex("qty + 1"));
    orgs.column_mut(&id("score")).unwrap().nullable = false;
    orgs.column_mut(&id("seq")).unwrap().identity = Some(Identity::ByDefault);
    let mut n = col("n", "integer");
    n.default = Some(ex("nextval('core.orgs_n_seq'::regclass)"));
    orgs.columns.push(n);
    d.indexes.get_mut(&qn("core.orgs_qty")).unwrap().predicate = Some(ex("qty > 0"));
    (current, d)
}

/// A foreign key that needs a unique index built CONCURRENTLY on an
/// existing table must wait for it: it moves to the concurrent file.
pub fn fk_to_new_unique_index() -> (Catalog, Catalog) {
    let mut current = core_base();
    let mut parent = table("core.p", vec![col("id", "integer"), col("code", "text")]);
    pk(&mut parent, "p_pkey", &["id"]);
    put_table(&mut current, parent);
    put_table(
        &mut current,
        table("core.c", vec![col("id", "integer"), col("p_code", "text")]),
    );
    let mut d = current.clone();
    let mut code = index("p_code_idx", "core.p", &["code"]);
    code.unique = true;
    put_index(&mut d, code);
    add(
        d.tables.get_mut(&qn("core.c")).unwrap(),
        "c_p_code_fkey",
        fk(&["p_code"], "core.p", &["code"]),
    );
    (current, d)
}

// ---- The security surface: RLS, policies, grants, functions, triggers, views.

/// The platform baseline (Supabase's grants and default privileges) plus
/// the given schemas, as both sides of a security scenario start.
pub fn platform(schemas: &[&str]) -> Catalog {
    let mut c = schema::provided::platform_catalog();
    for s in schemas {
        with_schema(&mut c, s);
    }
    // As PostgreSQL creates it, so the scenarios read back unchanged.
    if let Some(public) = c.schemas.get_mut(&id("public")) {
        public.comment = Some("standard public schema".into());
    }
    c
}

/// Adds a table and the privileges the catalog's defaults give it.
pub fn create_table_in(c: &mut Catalog, t: Table) {
    let on = GrantTarget::Table {
        table: t.name.clone(),
    };
    put_table(c, t);
    c.grant_defaults(on, ObjectClass::Table);
}

pub fn create_function_in(c: &mut Catalog, f: Function) {
    let on = GrantTarget::Function { function: f.id() };
    c.functions.insert(f.id(), f);
    c.grant_defaults(on, ObjectClass::Function);
}

pub fn create_view_in(c: &mut Catalog, v: View) {
    let on = GrantTarget::Table {
        table: v.name.clone(),
    };
    c.views.insert(v.name.clone(), v);
    c.grant_defaults(on, ObjectClass::Table);
}

pub fn put_policy(c: &mut Catalog, p: Policy) {
    c.policies.insert(p.key(), p);
}

pub fn put_trigger(c: &mut Catalog, t: Trigger) {
    c.triggers.insert(t.key(), t);
}

/// Removes every privilege `grantee` holds on `on`.
pub fn revoke_all(c: &mut Catalog, on: &GrantTarget, grantee: &str) {
    c.grants
        .retain(|g| !(&g.on == on && g.grantee.as_str() == grantee));
}

pub fn grant(
    c: &mut Catalog,
    on: GrantTarget,
    grantee: &str,
    privileges: &[Privilege],
    grantable: bool,
) {
    for &privilege in privileges {
        c.grants
            .retain(|g| !(g.on == on && g.grantee.as_str() == grantee && g.privilege == privilege));
        c.grants.insert(Grant {
            on: on.clone(),
            grantee: id(grantee),
            privilege,
            grantable,
        });
    }
}

pub fn on_table(name: &str) -> GrantTarget {
    GrantTarget::Table { table: qn(name) }
}

pub fn policy(
    table: &str,
    name: &str,
    command: PolicyCommand,
    roles: &[&str],
    using: Option<&str>,
    check: Option<&str>,
) -> Policy {
    let mut roles: Vec<Ident> = roles.iter().map(|r| id(r)).collect();
    roles.sort();
    Policy {
        name: Ident::from_sql(name),
        table: qn(table),
        permissive: true,
        command,
        roles,
        using: using.map(ex),
        check: check.map(ex),
    }
}

pub fn function(
    name: &str,
    args: &[(&str, &str)],
    returns: &str,
    language: &str,
    body: &str,
) -> Function {
    Function {
        name: qn(name),
        args: args
            .iter()
            .map(|(n, t)| FunctionArg {
                mode: ArgMode::In,
                name: Some(id(n)),
                ty: ty(t),
                default: None,
            })
            .collect(),
        // Pseudo-types live in pg_catalog and stay unqualified.
        returns: FunctionReturn::Type {
            ty: if returns == "trigger" || returns == "void" {
                SqlType::canonical(returns)
            } else {
                ty(returns)
            },
        },
        language: language.into(),
        body: normalize_body(body),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        config: BTreeMap::new(),
        comment: None,
    }
}

pub fn view(name: &str, query: &str) -> View {
    View {
        name: qn(name),
        materialized: false,
        columns: vec![],
        query: Query::parse(query).expect("query"),
        security_invoker: false,
        security_barrier: false,
        check_option: None,
        comment: None,
    }
}

pub fn trigger(table: &str, name: &str, function: &str, when: Option<&str>) -> Trigger {
    Trigger {
        name: id(name),
        table: qn(table),
        timing: TriggerTiming::Before,
        events: vec![
            TriggerEvent::Insert,
            TriggerEvent::Update { columns: vec![] },
        ],
        for_each_row: true,
        when: when.map(ex),
        function: qn(function),
        args: vec![],
        old_table: None,
        new_table: None,
        constraint: None,
    }
}

/// A new table in `public` (Supabase's defaults give the API roles
/// everything), one with RLS and policies where `anon`'s defaults are
/// revoked, and a policy that opens INSERT to everyone.
pub fn public_tables() -> (Catalog, Catalog) {
    let current = platform(&["public"]);
    let mut desired = current.clone();
    let mut feed = table(
        "public.feed",
        vec![col("id", "bigint"), col("body", "text")],
    );
    pk(&mut feed, "feed_pkey", &["id"]);
    create_table_in(&mut desired, feed);
    let mut notes = table(
        "public.notes",
        vec![
            col("id", "uuid"),
            col("owner_id", "uuid"),
            col("body", "text"),
        ],
    );
    pk(&mut notes, "notes_pkey", &["id"]);
    notes.rls_enabled = true;
    create_table_in(&mut desired, notes);
    revoke_all(&mut desired, &on_table("public.notes"), "anon");
    put_policy(
        &mut desired,
        policy(
            "public.notes",
            "notes_owner_select",
            PolicyCommand::Select,
            &["authenticated"],
            Some("owner_id = (select auth.uid())"),
            None,
        ),
    );
    put_policy(
        &mut desired,
        policy(
            "public.notes",
            "\"anyone writes\"",
            PolicyCommand::Insert,
            &["public"],
            None,
            Some("true"),
        ),
    );
    (current, desired)
}

/// Tables, the function their policies call, and a policy that reads
/// another new table: creation order must follow what each uses.
pub fn policies_calling_functions() -> (Catalog, Catalog) {
    let current = platform(&["core"]);
    let mut desired = current.clone();
    let mut shows = table(
        "core.shows",
        vec![
            col("id", "uuid"),
            col("org_id", "uuid"),
            col("title", "text"),
        ],
    );
    pk(&mut shows, "shows_pkey", &["id"]);
    shows.rls_enabled = true;
    shows.rls_forced = true;
    create_table_in(&mut desired, shows);
    let mut members = table(
        "core.memberships",
        vec![
            col("org_id", "uuid"),
            col("user_id", "uuid"),
            col("role", "text"),
        ],
    );
    pk(&mut members, "memberships_pkey", &["org_id", "user_id"]);
    create_table_in(&mut desired, members);
    let mut is_member = function(
        "core.is_member",
        &[("org", "uuid")],
        "boolean",
        "sql",
        "select exists (select 1 from core.memberships m where m.org_id = org and m.user_id = auth.uid())",
    );
    is_member.volatility = Volatility::Stable;
    is_member.security_definer = true;
    is_member.config.insert("search_path".into(), "\"\"".into());
    create_function_in(&mut desired, is_member);
    revoke_all(
        &mut desired,
        &GrantTarget::Function {
            function: FunctionId {
                name: qn("core.is_member"),
                arg_types: vec![ty("uuid")],
            },
        },
        "public",
    );
    grant(
        &mut desired,
        GrantTarget::Function {
            function: FunctionId {
                name: qn("core.is_member"),
                arg_types: vec![ty("uuid")],
            },
        },
        "authenticated",
        &[Privilege::Execute],
        false,
    );
    grant(
        &mut desired,
        on_table("core.shows"),
        "authenticated",
        &[Privilege::Select, Privilege::Update],
        false,
    );
    put_policy(
        &mut desired,
        policy(
            "core.shows",
            "shows_member_select",
            PolicyCommand::Select,
            &["authenticated"],
            Some("core.is_member(org_id)"),
            None,
        ),
    );
    put_policy(
        &mut desired,
        policy(
            "core.shows",
            "shows_admin_update",
            PolicyCommand::Update,
            &["authenticated"],
            Some(
                "org_id IN (SELECT m.org_id FROM core.memberships m WHERE m.user_id = (SELECT auth.uid()) AND m.role = 'admin'::text)",
            ),
            Some("core.is_member(org_id)"),
        ),
    );
    (current, desired)
}

/// A view and a policy use a column whose type changes: both are dropped
/// before `ALTER COLUMN TYPE` and created again after it.
pub fn view_on_retyped_column() -> (Catalog, Catalog) {
    let mut current = platform(&["core"]);
    let mut shows = table(
        "core.shows",
        vec![
            col("id", "integer"),
            col("title", "varchar(20)"),
            col("owner_id", "uuid"),
        ],
    );
    pk(&mut shows, "shows_pkey", &["id"]);
    shows.rls_enabled = true;
    create_table_in(&mut current, shows);
    create_view_in(
        &mut current,
        view(
            "core.titles",
            "select shows.id, shows.title from core.shows",
        ),
    );
    create_view_in(
        &mut current,
        view(
            "core.long_titles",
            "select titles.id, titles.title from core.titles where length(titles.title) > 10",
        ),
    );
    put_policy(
        &mut current,
        policy(
            "core.shows",
            "shows_titled",
            PolicyCommand::Select,
            &["authenticated"],
            Some("title <> ''::text"),
            None,
        ),
    );
    put_policy(
        &mut current,
        policy(
            "core.shows",
            "shows_owner",
            PolicyCommand::Update,
            &["authenticated"],
            Some("owner_id = auth.uid()"),
            None,
        ),
    );
    put_policy(
        &mut current,
        policy(
            "core.shows",
            "shows_reader",
            PolicyCommand::Select,
            &["authenticated"],
            Some("owner_id = auth.uid()"),
            None,
        ),
    );
    let mut desired = current.clone();
    desired.tables.get_mut(&qn("core.shows")).unwrap().columns[1].ty = ty("text");
    // Only appended: CREATE OR REPLACE VIEW would do, but the retype forces
    // a drop anyway.
    desired.views.get_mut(&qn("core.titles")).unwrap().query =
        Query::parse("select shows.id, shows.title, shows.owner_id from core.shows").unwrap();
    // Renamed only: ALTER POLICY … RENAME TO.
    let reader = desired
        .policies
        .remove(&(qn("core.shows"), id("shows_reader")))
        .unwrap();
    put_policy(
        &mut desired,
        Policy {
            name: id("shows_owner_select"),
            ..reader
        },
    );
    // The other one is renamed too, but it uses the retyped column: it is
    // dropped and created under its new name.
    let titled = desired
        .policies
        .remove(&(qn("core.shows"), id("shows_titled")))
        .unwrap();
    put_policy(
        &mut desired,
        Policy {
            name: id("shows_titled_select"),
            ..titled
        },
    );
    // Widened to every write, with the owner condition kept.
    let owner = desired
        .policies
        .get_mut(&(qn("core.shows"), id("shows_owner")))
        .unwrap();
    owner.roles = vec![id("anon"), id("authenticated")];
    owner.using = Some(ex("true"));
    (current, desired)
}

/// A function whose input argument is renamed (PostgreSQL cannot replace
/// it in place) is dropped and created again, with the trigger, policy and
/// column default that call it around it; another only changes its body
/// (`CREATE OR REPLACE`).
pub fn function_signature_change() -> (Catalog, Catalog) {
    let mut current = platform(&["core"]);
    let score = function(
        "core.score",
        &[("n", "integer")],
        "integer",
        "sql",
        "select n * 2",
    );
    create_function_in(&mut current, score);
    let touch = function(
        "core.touch",
        &[],
        "trigger",
        "plpgsql",
        "begin\n  new.updated_at := now();\n  return new;\nend;",
    );
    create_function_in(&mut current, touch);
    let mut items = table(
        "core.items",
        vec![
            col("id", "integer"),
            col("n", "integer"),
            nullable(col("updated_at", "timestamptz")),
        ],
    );
    items.columns[1].default = Some(ex("core.score(0)"));
    add(&mut items, "items_n_scored", check("core.score(n) >= 0"));
    pk(&mut items, "items_pkey", &["id"]);
    items.rls_enabled = true;
    create_table_in(&mut current, items);
    put_trigger(
        &mut current,
        trigger(
            "core.items",
            "items_touch",
            "core.touch",
            Some("core.score(new.n) > 0"),
        ),
    );
    put_policy(
        &mut current,
        policy(
            "core.items",
            "items_scored",
            PolicyCommand::Select,
            &["authenticated"],
            Some("core.score(n) > 10"),
            None,
        ),
    );
    let mut desired = current.clone();
    let old_id = FunctionId {
        name: qn("core.score"),
        arg_types: vec![ty("integer")],
    };
    let mut score = desired.functions.remove(&old_id).unwrap();
    score.args[0].name = Some(id("points"));
    score.body = "select points * 3".into();
    desired.functions.insert(score.id(), score);
    let touch_id = FunctionId {
        name: qn("core.touch"),
        arg_types: vec![],
    };
    desired.functions.get_mut(&touch_id).unwrap().body =
        "begin\n  new.updated_at := clock_timestamp();\n  return new;\nend;".into();
    (current, desired)
}

/// Default privileges, grants with and without grant option, column
/// grants, a revoke, RLS disabled, and a policy on storage.objects.
pub fn grants_and_defaults() -> (Catalog, Catalog) {
    let mut current = platform(&["core"]);
    let mut shows = table(
        "core.shows",
        vec![col("id", "integer"), col("title", "text")],
    );
    pk(&mut shows, "shows_pkey", &["id"]);
    shows.rls_enabled = true;
    create_table_in(&mut current, shows);
    grant(
        &mut current,
        on_table("core.shows"),
        "anon",
        &[Privilege::Select, Privilege::Insert],
        false,
    );
    grant(
        &mut current,
        on_table("core.shows"),
        "service_role",
        &[Privilege::Select],
        true,
    );
    let mut desired = current.clone();
    desired
        .tables
        .get_mut(&qn("core.shows"))
        .unwrap()
        .rls_enabled = false;
    revoke_all(&mut desired, &on_table("core.shows"), "anon");
    grant(
        &mut desired,
        on_table("core.shows"),
        "service_role",
        &[Privilege::Select],
        false,
    );
    grant(
        &mut desired,
        GrantTarget::Schema { schema: id("core") },
        "authenticated",
        &[Privilege::Usage],
        false,
    );
    desired.default_privileges.insert(DefaultPrivilege {
        schema: Some(id("core")),
        objects: ObjectClass::Table,
        grantee: id("authenticated"),
        privilege: Privilege::Select,
        grantable: false,
    });
    let mut items = table(
        "core.items",
        vec![col("id", "integer"), col("label", "text")],
    );
    items.columns[0].identity = Some(Identity::ByDefault);
    create_table_in(&mut desired, items);
    grant(
        &mut desired,
        GrantTarget::Column {
            table: qn("core.items"),
            column: id("label"),
        },
        "authenticated",
        &[Privilege::Update],
        false,
    );
    grant(
        &mut desired,
        on_table("core.items"),
        "anon",
        &[Privilege::Select],
        false,
    );
    put_policy(
        &mut desired,
        policy(
            "storage.objects",
            "\"media read\"",
            PolicyCommand::Select,
            &["authenticated"],
            Some("bucket_id = 'trr-media'::text"),
            None,
        ),
    );
    (current, desired)
}
