use super::*;
use crate::plan::sql::constraint_def;
use schema::{
    Column, Constraint, ConstraintKind, Enum, Expr, Extension, Ident, Index, IndexKey, IndexTarget,
    PrimaryKey, QualName, Schema, SqlType, Table,
};

fn base() -> Catalog {
    let mut c = Catalog::default();
    c.schemas.insert(
        Ident::new("core"),
        Schema {
            name: Ident::new("core"),
            comment: None,
        },
    );
    c.extensions.insert(
        Ident::new("pgcrypto"),
        Extension {
            name: Ident::new("pgcrypto"),
            schema: None,
        },
    );
    c.enums.insert(
        QualName::from("core.status"),
        Enum {
            name: QualName::from("core.status"),
            values: vec!["a".into(), "b".into()],
            comment: None,
        },
    );
    let mut t = Table::new(QualName::from("core.shows"));
    let mut id = Column::new(Ident::new("id"), SqlType::parse("uuid").unwrap());
    id.nullable = false;
    t.columns.push(id);
    t.columns.push(Column::new(
        Ident::new("title"),
        SqlType::parse("text").unwrap(),
    ));
    t.primary_key = Some(PrimaryKey {
        name: Ident::new("shows_pkey"),
        columns: vec![Ident::new("id")],
    });
    t.constraints.insert(
        Ident::new("shows_title_check"),
        Constraint {
            name: Ident::new("shows_title_check"),
            kind: ConstraintKind::Check {
                expr: Expr::parse("title <> ''").unwrap(),
                no_inherit: false,
            },
            not_valid: false,
        },
    );
    c.tables.insert(t.name.clone(), t);
    c.indexes.insert(
        QualName::from("core.shows_title"),
        Index {
            name: QualName::from("core.shows_title"),
            table: QualName::from("core.shows"),
            unique: false,
            method: "btree".into(),
            keys: vec![IndexKey {
                target: IndexTarget::Column(Ident::new("title")),
                collation: None,
                opclass: None,
                descending: false,
                nulls_first: false,
            }],
            include: vec![],
            predicate: None,
            nulls_not_distinct: false,
            with: BTreeMap::new(),
            comment: None,
        },
    );
    c
}

fn lines(offline: &Catalog, shadow: &Catalog) -> Vec<String> {
    compare(offline, shadow)
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn equal_catalogs_agree() {
    assert!(compare(&base(), &base()).is_empty());
}

#[test]
fn every_object_kind_is_named_with_both_sides() {
    let offline = base();
    let mut shadow = base();
    shadow.schemas.get_mut(&Ident::new("core")).unwrap().comment = Some("TRR".into());
    shadow
        .extensions
        .get_mut(&Ident::new("pgcrypto"))
        .unwrap()
        .schema = Some(Ident::new("extensions"));
    shadow.extensions.insert(
        Ident::new("pg_trgm"),
        Extension {
            name: Ident::new("pg_trgm"),
            schema: None,
        },
    );
    shadow
        .enums
        .get_mut(&QualName::from("core.status"))
        .unwrap()
        .values
        .push("c".into());
    let t = shadow
        .tables
        .get_mut(&QualName::from("core.shows"))
        .unwrap();
    t.columns[1].ty = SqlType::parse("varchar(10)").unwrap();
    t.columns[1].nullable = false;
    t.columns[1].default = Some(Expr::parse("'x'").unwrap());
    t.columns.push(Column::new(
        Ident::new("extra"),
        SqlType::parse("int").unwrap(),
    ));
    t.primary_key = None;
    t.constraints.clear();
    t.comment = Some("shows".into());
    shadow
        .indexes
        .get_mut(&QualName::from("core.shows_title"))
        .unwrap()
        .unique = true;
    let mut ghost = Table::new(QualName::from("core.ghost"));
    ghost
        .columns
        .push(Column::new(Ident::new("a"), SqlType::parse("int").unwrap()));
    let mut offline = offline;
    offline.tables.insert(ghost.name.clone(), ghost);

    insta::assert_snapshot!(lines(&offline, &shadow).join("\n"), @r#"
    schema core comment: offline (absent), PostgreSQL TRR
    extension pg_trgm: only in PostgreSQL: pg_trgm (default schema)
    extension pgcrypto schema: offline (absent), PostgreSQL extensions
    enum core.status values: offline ('a', 'b'), PostgreSQL ('a', 'b', 'c')
    table core.ghost: only in the offline replay: table (a integer)
    table core.shows comment: offline (absent), PostgreSQL shows
    column core.shows.extra: only in PostgreSQL: extra integer
    column core.shows.title type: offline text, PostgreSQL character varying(10)
    column core.shows.title nullable: offline NULL, PostgreSQL NOT NULL
    column core.shows.title default: offline (absent), PostgreSQL 'x'
    primary key core.shows: only in the offline replay: shows_pkey (id)
    constraint core.shows.shows_title_check: only in the offline replay: CONSTRAINT shows_title_check CHECK (title <> '')
    index core.shows_title definition: offline CREATE INDEX shows_title ON core.shows (title), PostgreSQL CREATE UNIQUE INDEX shows_title ON core.shows (title)
    "#);
}

#[test]
fn casts_postgres_adds_are_not_differences() {
    let offline = base();
    let mut shadow = base();
    let t = shadow
        .tables
        .get_mut(&QualName::from("core.shows"))
        .unwrap();
    t.columns[1].default = Some(Expr::parse("'draft'::varchar").unwrap());
    t.columns[0].default = Some(Expr::parse("'-1'::integer").unwrap());
    t.columns[0].generated = Some(Expr::parse("(a + b::numeric)::text").unwrap());
    t.constraints.values_mut().next().unwrap().kind = ConstraintKind::Check {
        expr: Expr::parse(
            "(title <> ''::text) AND (title = ANY (ARRAY['a'::text, 'b'::text])) \
             AND (title <> 'c'::text) AND ((id >= 1) AND (id <= 9)) \
             AND ((id < 1) OR (id > 9))",
        )
        .unwrap(),
        no_inherit: false,
    };
    let mut offline = offline;
    let t = offline
        .tables
        .get_mut(&QualName::from("core.shows"))
        .unwrap();
    t.columns[1].default = Some(Expr::parse("'draft'").unwrap());
    t.columns[0].default = Some(Expr::parse("-1").unwrap());
    t.columns[0].generated = Some(Expr::parse("a + b").unwrap());
    t.constraints.values_mut().next().unwrap().kind = ConstraintKind::Check {
        expr: Expr::parse(
            "title <> '' AND title IN ('a', 'b') AND title NOT IN ('c') \
             AND id BETWEEN 1 AND 9 AND id NOT BETWEEN 1 AND 9",
        )
        .unwrap(),
        no_inherit: false,
    };
    assert_eq!(lines(&offline, &shadow), Vec::<String>::new());

    // A real difference is shown as each side spells it.
    let t = offline
        .tables
        .get_mut(&QualName::from("core.shows"))
        .unwrap();
    t.columns[1].default = Some(Expr::parse("'final'").unwrap());
    assert_eq!(
        lines(&offline, &shadow),
        ["column core.shows.title default: offline 'final', PostgreSQL 'draft'::character varying"]
    );

    // A checkpoint keeps the offline spelling where the two agree.
    let kept = prefer_offline_spelling(&shadow, &offline);
    let t = &kept.tables[&QualName::from("core.shows")];
    assert_eq!(t.columns[0].default.as_ref().unwrap().sql(), "-1");
    assert_eq!(
        t.columns[1].default.as_ref().unwrap().sql(),
        "'draft'::character varying"
    );
    assert_eq!(
        t.constraints.values().next().map(constraint_def).unwrap(),
        "CONSTRAINT shows_title_check CHECK (((((title <> '') AND (title = ANY(ARRAY['a', 'b']))) AND (title <> 'c')) AND (id BETWEEN 1 AND 9)) AND (id NOT BETWEEN 1 AND 9))"
    );
    assert!(compare(&kept, &shadow).is_empty());
}

#[test]
fn column_order_identity_and_generated() {
    let offline = base();
    let mut shadow = base();
    let t = shadow
        .tables
        .get_mut(&QualName::from("core.shows"))
        .unwrap();
    t.columns.swap(0, 1);
    t.columns[1].identity = Some(schema::Identity::Always);
    t.columns[0].generated = Some(Expr::parse("upper(x)").unwrap());
    assert_eq!(
        lines(&offline, &shadow),
        [
            "column core.shows.id identity: offline (absent), PostgreSQL GENERATED ALWAYS AS IDENTITY",
            "column core.shows.title generated: offline (absent), PostgreSQL upper(x)",
            "table core.shows column order: offline id, title, PostgreSQL title, id",
        ]
    );
    // Both sides are kept as data, for the JSON report.
    let d = &compare(&offline, &shadow)[0];
    assert_eq!(
        (d.kind, d.object.as_str(), d.aspect),
        ("column", "core.shows.id", "identity")
    );
    assert_eq!(d.offline, None);
}
