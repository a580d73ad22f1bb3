//! Different spellings of one schema load into equal Catalogs, and derived
//! names follow PostgreSQL.

use schema::lang::load_sources;
use schema::{Catalog, ConstraintKind, Ident, QualName, Source};

fn load(text: &str) -> Catalog {
    load_sources(&[Source::new("schema/core.kdl", text)])
        .unwrap_or_else(|e| panic!("{e}\n---\n{text}"))
}

fn same(a: &str, b: &str) {
    assert_eq!(load(a), load(b), "\n{a}\n---\n{b}");
}

fn constraint_names(c: &Catalog, table: &str) -> Vec<String> {
    let t = &c.tables[&QualName::from(table)];
    let mut names: Vec<String> = t
        .constraints
        .keys()
        .map(|k| k.as_str().to_string())
        .collect();
    if let Some(pk) = &t.primary_key {
        names.insert(0, pk.name.as_str().to_string());
    }
    names
}

#[test]
fn type_aliases_are_one_type() {
    same("table t { column a int4 }", "table t { column a integer }");
    same("table t { column a INT }", "table t { column a integer }");
    same(
        "table t { column a timestamptz }",
        "table t { column a \"timestamp with time zone\" }",
    );
    same(
        "table t { column a \"varchar(20)\" }",
        "table t { column a \"character varying(20)\" }",
    );
    same(
        "table t { column a \"int[]\" }",
        "table t { column a \"integer[]\" }",
    );
}

#[test]
fn expression_spellings_are_one_expression() {
    same(
        "table t { column a timestamptz default=\"NOW()\" }",
        "table t { column a timestamptz default=\"now()\" }",
    );
    same(
        "table t { column a int; check \"(a > 0)\" }",
        "table t { column a int; check \"a>0\" }",
    );
    same(
        "table t { column a int; column b bigint default=\"CAST(1 AS int8)\" }",
        "table t { column a int; column b bigint default=\"1::bigint\" }",
    );
    same(
        "table t { column a int default=0 }",
        "table t { column a int default=\"0\" }",
    );
}

#[test]
fn names_fold_like_postgres() {
    same(
        "table Core.Shows { column ID uuid }",
        "table core.shows { column id uuid }",
    );
    same(
        "table t { column \"\\\"Title\\\"\" text }",
        "table t { column #\"\"Title\"\"# text }",
    );
    let c = load("table t { column \"\\\"Title\\\"\" text }");
    assert_eq!(
        c.tables[&QualName::from("public.t")].columns[0].name,
        Ident::new("Title")
    );
}

#[test]
fn shorthands_equal_their_long_forms() {
    same(
        "table t { column id uuid primary-key=#true }",
        "table t { column id uuid; primary-key id }",
    );
    same(
        "table t { column e text unique=#true }",
        "table t { column e text; unique e }",
    );
    same(
        "table t { column id uuid primary-key=#true }\ntable u { column t_id uuid { references t; } }",
        "table t { column id uuid; primary-key id name=t_pkey }\n\
         table u { column t_id uuid; foreign-key t_id name=u_t_id_fkey { references public.t id; } }",
    );
    same(
        "table core.shows { column n serial }",
        "table core.shows { column n integer default=\"nextval('core.shows_n_seq'::regclass)\" }",
    );
    same(
        "table #\"\"Shows\"\"# { column \"\\\"N\\\"\" bigserial }",
        "table #\"\"Shows\"\"# { column \"\\\"N\\\"\" bigint default=\"nextval('public.\\\"Shows_N_seq\\\"'::regclass)\" }",
    );
}

#[test]
fn primary_key_columns_are_not_null() {
    let c = load("table t { column a int nullable=#true; primary-key a }");
    assert!(!c.tables[&QualName::from("t")].columns[0].nullable);
}

#[test]
fn derived_names_match_postgres() {
    let c = load(
        "table core.shows {\n\
           column id uuid primary-key=#true\n\
           column org_id uuid { references core.orgs; }\n\
           column slug text\n\
           column title text { check \"char_length(title) > 0\"; }\n\
           column starts_at date; column ends_at date\n\
           unique org_id slug\n\
           check \"ends_at > starts_at\"\n\
           check \"now() > '2000-01-01'\"\n\
         }\n\
         table core.orgs { column id uuid primary-key=#true }",
    );
    assert_eq!(
        constraint_names(&c, "core.shows"),
        [
            "shows_pkey",
            "shows_check",
            "shows_check1",
            "shows_org_id_fkey",
            "shows_org_id_slug_key",
            "shows_title_check"
        ]
    );
}

#[test]
fn derived_names_avoid_taken_names() {
    // A second unnamed check on one column gets a number, as in PostgreSQL.
    let c = load(
        "table shows { column title text { check \"title <> ''\"; check \"length(title) < 100\"; } }",
    );
    assert_eq!(
        constraint_names(&c, "shows"),
        ["shows_title_check", "shows_title_check1"]
    );

    // Explicit names are reserved first, whatever the order they are written in.
    let c = load(
        "table shows { column title text { check \"title <> ''\"; check \"title <> 'x'\" name=shows_title_check; } }",
    );
    assert_eq!(
        constraint_names(&c, "shows"),
        ["shows_title_check", "shows_title_check1"]
    );

    // Primary-key and unique names share the schema's namespace with indexes.
    let c = load("table shows { column id int primary-key=#true; index shows_pkey id }");
    assert_eq!(constraint_names(&c, "shows"), ["shows_pkey1"]);

    // Constraint names are unique per schema, across tables.
    let c = load(
        "table a { column x int; check \"x > 0\" name=b_x_check }\ntable b { column x int { check \"x > 0\"; } }",
    );
    assert_eq!(constraint_names(&c, "b"), ["b_x_check1"]);
}

#[test]
fn long_names_are_truncated_like_postgres() {
    let table = "t".repeat(40);
    let col = "c".repeat(40);
    let c = load(&format!(
        "table {table} {{ column {col} int unique=#true }}"
    ));
    let names = constraint_names(&c, &table);
    assert_eq!(
        names,
        [format!("{}_{}_key", "t".repeat(29), "c".repeat(29))]
    );
    assert!(matches!(
        c.tables[&QualName::from(table.as_str())]
            .constraints
            .values()
            .next()
            .unwrap()
            .kind,
        ConstraintKind::Unique { .. }
    ));
}

#[test]
fn security_spellings_are_one_declaration() {
    let t = |body: &str| {
        format!(
            "schema core\nfunction core.f returns=trigger language=plpgsql {{ body \"begin return new; end;\" }}\ntable core.t {{\n    column owner_id uuid\n    column title text\n    {body}\n}}\n"
        )
    };
    // Expressions are normalized; role lists are sets; `for=all` is the default.
    same(
        &t("policy p using=\"(owner_id = (select auth.uid()))\" to=\"b a a\""),
        &t("policy P for=all using=\"owner_id=(SELECT auth.uid())\" to=\"a, b\" as=permissive"),
    );
    same(
        &t("policy p using=#true"),
        &t("policy p using=\"true\" to=public"),
    );
    // Events are a set in enum order; `for-each=row` is the default.
    same(
        &t("trigger g after delete insert execute=core.f"),
        &t("trigger g after insert delete for-each=row execute=\"core.f\""),
    );
    // Grants: `all` is the list; order of nodes does not matter.
    same(
        &t("grant all to=anon\n    revoke truncate from=anon"),
        &t(
            "revoke truncate from=anon\n    grant select insert update delete truncate references trigger to=anon",
        ),
    );
    // An access template is exactly the policies, grants and rls it stands for.
    same(
        &t("access owner column=owner_id allow=\"select update\""),
        &t(
            "rls\n    policy t_owner_select for=select to=authenticated using=\"owner_id = (select auth.uid())\"\n    policy t_owner_update for=update to=authenticated using=\"owner_id = (select auth.uid())\" check=\"owner_id = (select auth.uid())\"\n    grant select update to=authenticated",
        ),
    );
}

#[test]
fn timestamps_is_its_columns_trigger_and_function() {
    same(
        "schema core\ntable core.t { column id uuid; timestamps }",
        "schema core\n\
         function core.set_updated_at returns=trigger language=plpgsql {\n    set search_path=\"\"\n    body \"begin if current_setting('trr.backfill', true) is distinct from 'on' then new.updated_at := now(); end if; return new; end;\"\n}\n\
         table core.t {\n    column id uuid\n    column created_at timestamptz default=\"now()\"\n    column updated_at timestamptz default=\"now()\"\n    trigger t_set_updated_at before update execute=core.set_updated_at\n}",
    );
}
