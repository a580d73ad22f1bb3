use super::*;
use crate::lang::load_sources;

fn load(text: &str) -> Catalog {
    load_sources(&[Source::new("in.kdl", text)]).unwrap_or_else(|e| panic!("{e}"))
}

fn managed(c: &Catalog) -> Vec<Ident> {
    let mut s: BTreeSet<Ident> = c.schemas.keys().cloned().collect();
    s.extend(c.tables.keys().map(|t| t.schema.clone()));
    s.extend(c.enums.keys().map(|t| t.schema.clone()));
    s.into_iter().collect()
}

/// KDL → Catalog → KDL: the files, joined, after checking they load back.
fn round_trip(text: &str) -> String {
    let c = load(text);
    let files = write_catalog(&c, &managed(&c), "test").unwrap_or_else(|e| panic!("{e}"));
    files
        .iter()
        .map(|f| format!("== {}\n{}", f.file_name, f.text))
        .collect()
}

#[test]
fn writes_plain_tables_readably() {
    let out = round_trip(
        "schema core { comment \"Core\" }\n\
         extension pgcrypto schema=extensions\n\
         enum core.status active \"on hold\" ended\n\
         table core.orgs { column id uuid default=\"gen_random_uuid()\" primary-key=#true }\n\
         table core.shows {\n\
           comment \"TV shows\"\n\
           column id bigint identity=always primary-key=#true\n\
           column org_id uuid { references core.orgs on-delete=cascade }\n\
           column title text unique=#true { check \"char_length(title) > 0\"; comment \"Shown\" }\n\
           column n serial\n\
           column rank int default=0 nullable=#true\n\
           column status core.status default=\"'active'\"\n\
           index shows_recent org_id \"n desc\" where=\"rank > 0\"\n\
         }",
    );
    insta::assert_snapshot!(out);
}

#[test]
fn quoted_names_and_strings_survive() {
    round_trip(
        r###"schema "\"Odd Schema\""
enum "\"Odd Schema\".\"Mood\"" "it's" "a\"b" "back\\slash" "new\nline"
table "\"Odd Schema\".\"Table\"" {
    comment "line one\nline \"two\""
    column #""Id""# int primary-key=#true
    column user text default="'o''neil'"
    column #""select""# text nullable=#true
    column #""a""b""# text nullable=#true
    column mood "\"Odd Schema\".\"Mood\"[]" nullable=#true
    index #""Idx""# "lower(\"select\")" #""Id" desc"# include=#"user "a""b""#
}"###,
    );
}

#[test]
fn names_are_written_only_when_the_loader_would_derive_another() {
    let out = round_trip(
        "table t {\n\
           column a int; column b int\n\
           primary-key a name=t_main\n\
           unique b name=t_b_key\n\
           check \"a > 0\" name=t_a_check1\n\
           check \"a < 10\"\n\
           check \"a < b\"\n\
         }",
    );
    assert!(out.contains("primary-key a name=t_main"), "{out}");
    assert!(out.contains("column b integer unique=#true"), "{out}");
    assert!(out.contains("check \"a > 0\" name=t_a_check1"), "{out}");
    assert!(out.contains("check \"a < 10\"\n"), "{out}");
}

fn inexpressible_catalog() -> Catalog {
    let mut c = load(
        "table t { column a int; index t_a a }\n\
         table core.u { column e text; column c extensions.citext }\n\
         table core.v { column id int primary-key=#true; column e \"extensions.vector(3)\"\n\
           index v_e using=hnsw { on \"e vector_cosine_ops\"; with m=16 } }",
    );
    c.tables
        .get_mut(&QualName::from("t"))
        .unwrap()
        .columns
        .clear();
    // A domain the replay does not model, in a schema written here.
    c.tables.get_mut(&QualName::from("core.u")).unwrap().columns[0].ty =
        crate::SqlType::canonical("core.email");
    c
}

#[test]
fn what_kdl_cannot_declare_is_an_error() {
    let c = inexpressible_catalog();
    let e = write_catalog(&c, &[Ident::new("public"), Ident::new("core")], "").unwrap_err();
    assert_eq!(e.problems.len(), 2, "{e}");
    let e = e.to_string();
    assert!(e.contains("table public.t: it has no columns"), "{e}");
    // The extension's type, from a schema not written here, is fine.
    assert!(
        e.contains("table core.u: column e: its type core.email is not an enum"),
        "{e}"
    );
}

/// `import` writes everything else, and declares what it left out
/// `unmanaged` so that `plan` leaves it alone.
#[test]
fn a_partial_write_declares_what_it_leaves_out() {
    let c = inexpressible_catalog();
    let schemas = [Ident::new("public"), Ident::new("core")];
    let written = write_catalog_partial(&c, &schemas, "h").unwrap();
    let left: Vec<String> = written
        .left_out
        .iter()
        .map(|(o, _)| o.to_string())
        .collect();
    assert_eq!(left, ["table core.u", "table public.t"]);
    let sources: Vec<crate::Source> = written
        .files
        .iter()
        .map(|f| crate::Source::new(&f.file_name, f.text.clone()))
        .collect();
    let declared = crate::lang::load_sources_declared(&sources, None).unwrap();
    let unmanaged: Vec<String> = declared
        .intents
        .unmanaged
        .keys()
        .map(|o| o.to_string())
        .collect();
    assert_eq!(unmanaged, left);
    let mut rest = c.restricted_to(&schemas);
    rest.tables.remove(&QualName::from("t"));
    rest.indexes.remove(&QualName::from("t_a"));
    rest.tables.remove(&QualName::from("core.u"));
    rest.grants.retain(|g| {
        !matches!(&g.on, crate::GrantTarget::Table { table } if ["t", "core.u"].map(QualName::from).contains(table))
    });
    assert!(declared.catalog.restricted_to(&schemas) == rest);
    let text: Vec<String> = written
        .files
        .iter()
        .map(|f| format!("==> {}\n{}", f.file_name, f.text))
        .collect();
    insta::assert_snapshot!(text.join("\n"));
}

#[test]
fn extensions_without_a_schema_file_go_to_the_first_file() {
    let c = load("extension citext\nextension pgcrypto schema=extensions");
    let files = write_catalog(&c, &[Ident::new("core")], "h").unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "core.kdl");
    assert_eq!(
        files[0].text,
        "// h\n\nextension citext\nextension pgcrypto schema=extensions\n"
    );
}

#[test]
fn every_option_round_trips() {
    let out = round_trip(
        r###"schema core
enum core.mood happy sad { comment "How it feels" }
table core.t {
    column id bigint identity=by-default
    column a int nullable=#true
    column b int nullable=#true
    column m core.mood nullable=#true
    column total bigint generated="a + b" nullable=#true
    column title text nullable=#true
    column j jsonb nullable=#true
    primary-key id name=t_main
    unique a b nulls-not-distinct=#true initially-deferred=#true
    check "a < b" no-inherit=#true
    foreign-key a b name=t_ext_fkey {
        references ext.x c d on-delete=set-null on-update=set-default deferrable=#true match-full=#true
    }
    index t_keys "title collate \"C\" desc nulls last" "a nulls first" "(a + b)" "lower(title) text_pattern_ops" include="j" unique=#true nulls-not-distinct=#true where="a > 0" {
        with fillfactor=70 deduplicate_items=#false
        comment "All the options"
    }
    index t_j using=gin { on "j jsonb_path_ops"; with fastupdate=#false }
}"###,
    );
    insta::assert_snapshot!(out);
}

#[test]
fn a_difference_on_loading_back_is_an_error_not_a_silent_loss() {
    // The loader lower-cases storage parameter values; a Catalog value it
    // cannot reproduce must be reported.
    let mut c = load("table t { column a int; index t_a a }");
    let index = c.indexes.get_mut(&QualName::from("t_a")).unwrap();
    index.with.insert("buffering".into(), "AUTO".into());
    let e = write_catalog(&c, &[Ident::new("public")], "").unwrap_err();
    assert!(e.to_string().contains("index public.t_a"), "{e}");
}

#[test]
fn repeated_keys_are_reported() {
    let mut c = load("table t { column a int primary-key=#true }");
    let t = c.tables.get_mut(&QualName::from("t")).unwrap();
    t.constraints.insert(
        Ident::new("t_a_key"),
        crate::Constraint {
            name: Ident::new("t_a_key"),
            kind: crate::ConstraintKind::Unique {
                columns: vec![Ident::new("a")],
                nulls_not_distinct: false,
                deferral: crate::Deferral::NotDeferrable,
            },
            not_valid: false,
        },
    );
    let e = write_catalog(&c, &[Ident::new("public")], "").unwrap_err();
    assert!(
        e.to_string()
            .contains("constraint public.t.t_a_key: it repeats the columns of t_pkey"),
        "{e}"
    );
}

/// Names and strings that need every kind of quoting, and names long
/// enough that derived names are truncated: each table built directly as a
/// Catalog must be written and load back the same (the writer checks).
#[test]
fn awkward_names_round_trip() {
    use crate::ident::quote_ident;
    let awkward = [
        "user",
        "select",
        "Title",
        "my table",
        "a\"b",
        "a\"#b",
        "#hash",
        "dot.ted",
        "1st",
        "a-b",
        "true",
        "null",
        "café",
        "Ünïcode",
        "back\\slash",
        "x".repeat(63).as_str(),
        &format!("{}Y", "y".repeat(60)),
    ]
    .map(str::to_string);
    for (i, n) in awkward.iter().enumerate() {
        let q = quote_ident(n);
        let schema = Ident::new(format!("s{i}"));
        let ty = QualName::new(schema.clone(), Ident::new(n.clone()));
        let table = QualName::new(schema.clone(), Ident::new(format!("t{n}")));
        let text = format!(
            "schema {s}\n\
             enum {t} {label} other\n\
             table {table} {{\n\
               column {c} {t} nullable=#true\n\
               column id serial\n\
               column other text nullable=#true\n\
               primary-key id\n\
               unique {c} other\n\
               check {chk}\n\
               index {idx} {key} include={c}\n\
             }}",
            s = super::text::name(&schema),
            t = super::text::qual_name(&ty),
            table = super::text::qual_name(&table),
            label = super::text::string(n),
            c = super::text::name(&Ident::new(n.clone())),
            chk = super::text::prose(&format!("{q} IS NOT NULL OR other IS NULL")),
            idx = super::text::name(&Ident::new(format!("i{n}"))),
            key = super::text::string(&format!("{q} desc")),
        );
        let c = load_sources(&[Source::new("in.kdl", text.clone())])
            .unwrap_or_else(|e| panic!("{n:?}: the test input does not load: {e}\n{text}"));
        let schemas: Vec<Ident> = c.schemas.keys().cloned().collect();
        if let Err(e) = write_catalog(&c, &schemas, "t") {
            panic!("{n:?}: {e}");
        }
    }
}

/// Everything of the security surface, written and loaded back.
const SECURITY: &str = r#####"
schema core {
    grant usage to="authenticated service_role"
    revoke create from=public
    default-privileges {
        grant select on=tables to=authenticated
        grant execute on=functions to=authenticated grant-option=#true
    }
}
schema public {
    default-privileges { revoke all on=tables from=anon }
}
default-privileges {
    revoke execute on=functions from=public
}
function core.is_member returns=boolean language=sql volatility=stable security=definer {
    arg org_id uuid
    arg min_role text default="'viewer'"
    set search_path=""
    strict
    body #"""
        select exists (
            select 1 from core.memberships m
            where m.org_id = is_member.org_id
        )
        """#
    grant execute to=anon
    revoke execute from=authenticated
    comment "Membership test"
}
function core.audit returns=trigger language=plpgsql parallel=safe {
    body "begin return null; end;"
}
function core.totals returns="table (org_id uuid, n bigint)" language=sql {
    arg type=uuid
    arg total mode=out type=integer
    body "select null::uuid, 0::bigint"
}
table core.memberships {
    column org_id uuid
    column user_id uuid
    column role text
}
table core.shows {
    column id bigserial primary-key=#true
    column org_id uuid
    column owner_id uuid
    column title text
    column summary text nullable=#true
    rls force=#true
    policy "owners read" for=select to=authenticated using="owner_id = (select auth.uid())"
    policy owners_write for=insert to="authenticated anon" check="owner_id = (select auth.uid())"
    policy "Edit" for=update using=#true check="title <> ''" as=restrictive
    grant select insert update delete to=authenticated
    grant select to=anon grant-option=#true
    grant update to=anon columns="title summary"
    grant usage select sequence=core.shows_id_seq to=authenticated
    revoke select from=authenticated
    trigger audit after insert update delete for-each=statement execute=core.audit args="shows 'two words'"
    trigger only_title before update of="title summary" execute=core.audit when="old.title IS DISTINCT FROM new.title"
    timestamps
    access service-bypass
}
table items {
    column n integer identity=always
    grant all to=authenticated
}
view core.active_shows security-invoker=#true check-option=local {
    columns id title
    query "select id, title from core.shows where summary is null"
    grant select to=anon
    trigger redirect instead-of insert execute=core.audit
    comment "Active"
}
materialized-view core.show_counts {
    query "select org_id, count(*) from core.shows group by org_id"
    revoke select from=authenticated
}
policy "media read" on=storage.objects for=select to=authenticated using="bucket_id = 'trr-media'"
"#####;

#[test]
fn security_round_trips() {
    insta::assert_snapshot!(round_trip(SECURITY));
}

/// Privileges that differ from the defaults in every way the writer must
/// express: lost, gained, with and without the grant option, on `public`
/// itself; and policy names that need quotes.
#[test]
fn privilege_edits_round_trip() {
    use crate::security::{DefaultPrivilege, Grant, GrantTarget, ObjectClass, Privilege};
    let mut c = load(
        "schema core { default-privileges { grant select on=tables to=authenticated grant-option=#true } }\n\
         table core.t { column a int; policy \"Owner's \\\"view\\\"\" using=#true; policy \"Caps\" using=#false }\n\
         table t { column a serial }",
    );
    let t = GrantTarget::Table {
        table: QualName::from("core.t"),
    };
    // Held by default with the option, now without it.
    c.grants.remove(&Grant {
        on: t.clone(),
        grantee: Ident::new("authenticated"),
        privilege: Privilege::Select,
        grantable: true,
    });
    c.grants.insert(Grant {
        on: t.clone(),
        grantee: Ident::new("authenticated"),
        privilege: Privilege::Select,
        grantable: false,
    });
    // public loses PUBLIC's usage; anon loses its sequence privileges.
    c.grants.remove(&Grant {
        on: GrantTarget::Schema {
            schema: Ident::new("public"),
        },
        grantee: Ident::new("public"),
        privilege: Privilege::Usage,
        grantable: false,
    });
    c.grants.retain(|g| {
        !(matches!(g.on, GrantTarget::Sequence { .. }) && g.grantee.as_str() == "anon")
    });
    // A new global default.
    c.default_privileges.insert(DefaultPrivilege {
        schema: None,
        objects: ObjectClass::Schema,
        grantee: Ident::new("authenticated"),
        privilege: Privilege::Usage,
        grantable: false,
    });
    let schemas = [Ident::new("core"), Ident::new("public")];
    let files = write_catalog(&c, &schemas, "test").unwrap_or_else(|e| panic!("{e}"));
    let text: String = files
        .iter()
        .map(|f| format!("== {}\n{}", f.file_name, f.text))
        .collect();
    insta::assert_snapshot!(text);
}

#[test]
fn transition_tables_and_constraint_triggers_round_trip() {
    let text = r#"schema q
function q.log returns=trigger language=plpgsql {
    body "begin return null; end;"
}
table q.jobs {
    column id integer
    trigger log after update for-each=statement execute=q.log old-table=old_rows new-table=new_rows
    trigger checked after insert update execute=q.log constraint=#true deferrable=#true initially-deferred=#true
    trigger checked_now after delete execute=q.log constraint=#true
}
"#;
    let c = load(text);
    let t = |name: &str| c.triggers[&(QualName::from("q.jobs"), Ident::new(name))].clone();
    assert_eq!(t("log").old_table, Some(Ident::new("old_rows")));
    assert_eq!(t("log").new_table, Some(Ident::new("new_rows")));
    assert_eq!(
        t("checked").constraint,
        Some(crate::Deferral::DeferrableInitiallyDeferred)
    );
    assert_eq!(
        t("checked_now").constraint,
        Some(crate::Deferral::NotDeferrable)
    );
    let written = round_trip(text);
    assert!(written.contains("old-table=old_rows"), "{written}");
    assert!(
        written.contains("constraint=#true deferrable=#true initially-deferred=#true"),
        "{written}"
    );
    let files = write_catalog(&c, &managed(&c), "test").unwrap();
    let sources: Vec<Source> = files
        .iter()
        .map(|f| Source::new(&f.file_name, f.text.clone()))
        .collect();
    assert_eq!(load_sources(&sources).unwrap(), c);

    let e = load_sources(&[Source::new(
        "in.kdl",
        "function q.log returns=trigger language=plpgsql {\n body \"begin return null; end;\"\n}\n\
         table q.t {\n column id integer\n trigger x after insert execute=q.log deferrable=#true\n}\n",
    )])
    .unwrap_err()
    .to_string();
    assert!(e.contains("not a constraint trigger"), "{e}");
}
