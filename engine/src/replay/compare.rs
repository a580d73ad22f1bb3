//! Offline replay against shadow replay: every object on which the two
//! Catalogs disagree, named and shown from both sides. Unlike
//! [`crate::diff`], which says how to get from one Catalog to the other in
//! SQL, this says what differs, so a person can see where the offline
//! replay went wrong (a dynamic `EXECUTE`, a guarded block it misread).
//!
//! PostgreSQL stores the type it resolved for every literal and every
//! implicit coercion and prints them back (`'draft'` → `'draft'::text`, a
//! default `-1` → `'-1'::integer`, `rating > 5` → `rating > 5::numeric`),
//! so expressions are compared without casts ([`loosen`]); a difference,
//! once found, shows both spellings.

use crate::plan::sql::{column_list, constraint_def, create_index, identity_sql};
use schema::{Catalog, Column, Constraint, ConstraintKind, Expr, Index, IndexTarget, Table};
use serde::Serialize;
use sqlparser::ast::{self, Value};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::ControlFlow;

/// One object on which the offline and shadow replays disagree. A side is
/// `None` when the object does not exist there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// `schema`, `extension`, `enum`, `table`, `column`, `primary key`,
    /// `constraint`, `index`.
    pub kind: &'static str,
    /// `core.shows`, `core.shows.title`, `core.shows.shows_org_id_fkey`.
    pub object: String,
    /// What differs: `exists`, `type`, `default`, `nullable`, `identity`,
    /// `generated`, `comment`, `definition`, `values`, `schema`, `column order`.
    pub aspect: &'static str,
    pub offline: Option<String>,
    pub shadow: Option<String>,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |s: &Option<String>| s.clone().unwrap_or_else(|| "(absent)".into());
        if self.aspect == "exists" {
            let (only, text) = match (&self.offline, &self.shadow) {
                (Some(text), None) => ("only in the offline replay", text),
                (None, Some(text)) => ("only in PostgreSQL", text),
                _ => return write!(f, "{} {}", self.kind, self.object),
            };
            return write!(f, "{} {}: {only}: {text}", self.kind, self.object);
        }
        write!(
            f,
            "{} {} {}: offline {}, PostgreSQL {}",
            self.kind,
            self.object,
            self.aspect,
            side(&self.offline),
            side(&self.shadow)
        )
    }
}

/// Every difference between the offline replay and the shadow replay,
/// object by object: schemas, extensions, enums, tables (columns, primary
/// key, constraints, comments), then indexes, each in name order.
pub fn compare(offline: &Catalog, shadow: &Catalog) -> Vec<Difference> {
    // What differs once literal casts are ignored; shown as spelled.
    let real: BTreeSet<(&str, String, &str)> = walk(&loosen(offline), &loosen(shadow))
        .into_iter()
        .map(|d| (d.kind, d.object, d.aspect))
        .collect();
    walk(offline, shadow)
        .into_iter()
        .filter(|d| real.contains(&(d.kind, d.object.clone(), d.aspect)))
        .collect()
}

/// `shadow` with each column, constraint and index that the offline replay
/// has too, equal but for literal casts, taken from `offline`: what a
/// checkpoint stores, so that a plan from it compares the user's own
/// spelling with the KDL's (as a plan from the offline replay would) and
/// only objects the offline replay got wrong take PostgreSQL's.
pub fn prefer_offline_spelling(shadow: &Catalog, offline: &Catalog) -> Catalog {
    let mut out = shadow.clone();
    for (name, table) in &mut out.tables {
        let Some(theirs) = offline.tables.get(name) else {
            continue;
        };
        for column in &mut table.columns {
            if let Some(c) = theirs.column(&column.name)
                && loose_column(c) == loose_column(column)
            {
                *column = c.clone();
            }
        }
        for (cname, constraint) in &mut table.constraints {
            if let Some(c) = theirs.constraints.get(cname)
                && loose_constraint(c) == loose_constraint(constraint)
            {
                *constraint = c.clone();
            }
        }
    }
    for (name, index) in &mut out.indexes {
        if let Some(i) = offline.indexes.get(name)
            && loose_index(i) == loose_index(index)
        {
            *index = i.clone();
        }
    }
    out
}

/// Every expression of `catalog` without casts (see `loose_expr`).
pub fn loosen(catalog: &Catalog) -> Catalog {
    let mut out = catalog.clone();
    for table in out.tables.values_mut() {
        for column in &mut table.columns {
            *column = loose_column(column);
        }
        for constraint in table.constraints.values_mut() {
            *constraint = loose_constraint(constraint);
        }
    }
    for index in out.indexes.values_mut() {
        *index = loose_index(index);
    }
    out
}

fn loose_column(c: &Column) -> Column {
    let mut c = c.clone();
    c.default = c.default.as_ref().map(loose_expr);
    c.generated = c.generated.as_ref().map(loose_expr);
    c
}

fn loose_constraint(c: &Constraint) -> Constraint {
    let mut c = c.clone();
    if let ConstraintKind::Check { expr, .. } = &mut c.kind {
        *expr = loose_expr(expr);
    }
    c
}

fn loose_index(i: &Index) -> Index {
    let mut i = i.clone();
    i.predicate = i.predicate.as_ref().map(loose_expr);
    for key in &mut i.keys {
        if let IndexTarget::Expression(e) = &mut key.target {
            *e = loose_expr(e);
        }
    }
    i
}

/// `expr` without casts (`'x'::text` → `'x'`, `price * quantity::numeric`
/// → `price * quantity`), with numeric string literals as numbers (`'-1'`
/// → `-1`), and with `IN`/`BETWEEN` spelled as PostgreSQL stores them:
/// PostgreSQL makes every implicit coercion explicit and prints a literal's
/// resolved type, so casts say nothing about whether the offline replay
/// followed the migrations (a changed column type is reported on the
/// column). An expression our parser cannot read is kept.
fn loose_expr(expr: &Expr) -> Expr {
    let Ok(mut parsed) = Parser::new(&PostgreSqlDialect {})
        .try_with_sql(expr.sql())
        .and_then(|mut p| p.parse_expr())
    else {
        return expr.clone();
    };
    let _ = ast::visit_expressions_mut(&mut parsed, |e| {
        if let ast::Expr::Cast { expr: inner, .. } = e {
            *e = std::mem::replace(inner.as_mut(), ast::Expr::value(Value::Null));
        }
        if let Some(rewritten) = as_postgres_prints(e) {
            *e = rewritten;
        }
        if let ast::Expr::Value(v) = e
            && let Value::SingleQuotedString(text) = &v.value
            && is_number(text)
        {
            v.value = Value::Number(text.clone(), false);
        }
        ControlFlow::<()>::Continue(())
    });
    // Parse again so parentheses left around a former cast's operand go.
    let text = parsed.to_string();
    Expr::parse(&text).unwrap_or_else(|_| Expr::canonical(text))
}

/// `IN (…)` and `BETWEEN` the way PostgreSQL stores them: `= ANY
/// (ARRAY[…])` / `<> ALL (ARRAY[…])`, and two comparisons.
fn as_postgres_prints(e: &ast::Expr) -> Option<ast::Expr> {
    use ast::{BinaryOperator as Op, Expr as E};
    let binary = |left: &E, op: Op, right: &E| E::BinaryOp {
        left: Box::new(left.clone()),
        op,
        right: Box::new(right.clone()),
    };
    match e {
        E::In {
            expr,
            target: ast::InTarget::List(list),
            negated,
            ..
        } => {
            let array = Box::new(E::Array(ast::Array {
                elem: list.clone(),
                named: true,
            }));
            Some(if *negated {
                E::AllOp {
                    left: expr.clone(),
                    compare_op: Op::NotEq,
                    right: array,
                }
            } else {
                E::AnyOp {
                    left: expr.clone(),
                    compare_op: Op::Eq,
                    right: array,
                    is_some: false,
                }
            })
        }
        E::Between {
            expr,
            negated,
            low,
            high,
        } => Some(if *negated {
            binary(
                &binary(expr, Op::Lt, low),
                Op::Or,
                &binary(expr, Op::Gt, high),
            )
        } else {
            binary(
                &binary(expr, Op::GtEq, low),
                Op::And,
                &binary(expr, Op::LtEq, high),
            )
        }),
        _ => None,
    }
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// Every difference, spelling included.
fn walk(offline: &Catalog, shadow: &Catalog) -> Vec<Difference> {
    let mut out = Out::default();
    pairs(&offline.schemas, &shadow.schemas, |name, a, b| {
        let object = name.to_string();
        match (a, b) {
            (Some(a), Some(b)) => out.aspect("schema", &object, "comment", &a.comment, &b.comment),
            _ => out.exists(
                "schema",
                &object,
                a.map(|_| object.clone()),
                b.map(|_| object.clone()),
            ),
        }
    });
    pairs(&offline.extensions, &shadow.extensions, |name, a, b| {
        let render = |e: &schema::Extension| match &e.schema {
            Some(s) => format!("{name} in schema {s}"),
            None => format!("{name} (default schema)"),
        };
        let object = name.to_string();
        match (a, b) {
            (Some(a), Some(b)) => {
                let schema = |e: &schema::Extension| e.schema.as_ref().map(ToString::to_string);
                out.aspect("extension", &object, "schema", &schema(a), &schema(b));
            }
            _ => out.exists("extension", &object, a.map(render), b.map(render)),
        }
    });
    pairs(&offline.enums, &shadow.enums, |name, a, b| {
        let object = name.to_string();
        let values = |e: &schema::Enum| {
            let labels: Vec<String> = e
                .values
                .iter()
                .map(|v| crate::plan::sql::literal(v))
                .collect();
            format!("({})", labels.join(", "))
        };
        match (a, b) {
            (Some(a), Some(b)) => {
                out.aspect(
                    "enum",
                    &object,
                    "values",
                    &Some(values(a)),
                    &Some(values(b)),
                );
                out.aspect("enum", &object, "comment", &a.comment, &b.comment);
            }
            _ => out.exists("enum", &object, a.map(values), b.map(values)),
        }
    });
    pairs(&offline.tables, &shadow.tables, |name, a, b| match (a, b) {
        (Some(a), Some(b)) => table(&mut out, a, b),
        _ => out.exists(
            "table",
            &name.to_string(),
            a.map(table_summary),
            b.map(table_summary),
        ),
    });
    pairs(&offline.indexes, &shadow.indexes, |name, a, b| {
        let object = name.to_string();
        let def = |i: &schema::Index| create_index(i, false).trim_end_matches(';').to_string();
        match (a, b) {
            (Some(a), Some(b)) => {
                let mut a_def = a.clone();
                let mut b_def = b.clone();
                a_def.comment = None;
                b_def.comment = None;
                out.aspect(
                    "index",
                    &object,
                    "definition",
                    &Some(def(&a_def)),
                    &Some(def(&b_def)),
                );
                out.aspect("index", &object, "comment", &a.comment, &b.comment);
            }
            _ => out.exists("index", &object, a.map(def), b.map(def)),
        }
    });
    out.0
}

#[derive(Default)]
struct Out(Vec<Difference>);

impl Out {
    fn exists(
        &mut self,
        kind: &'static str,
        object: &str,
        offline: Option<String>,
        shadow: Option<String>,
    ) {
        self.0.push(Difference {
            kind,
            object: object.to_string(),
            aspect: "exists",
            offline,
            shadow,
        });
    }

    /// Records `aspect` when the two sides differ.
    fn aspect(
        &mut self,
        kind: &'static str,
        object: &str,
        aspect: &'static str,
        offline: &Option<String>,
        shadow: &Option<String>,
    ) {
        if offline != shadow {
            self.0.push(Difference {
                kind,
                object: object.to_string(),
                aspect,
                offline: offline.clone(),
                shadow: shadow.clone(),
            });
        }
    }
}

/// Calls `each` for every key of either map, in key order.
fn pairs<K: Ord + Clone, V>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
    mut each: impl FnMut(&K, Option<&V>, Option<&V>),
) {
    let mut keys: Vec<&K> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        each(key, a.get(key), b.get(key));
    }
}

fn table_summary(t: &Table) -> String {
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect();
    format!("table ({})", columns.join(", "))
}

fn table(out: &mut Out, a: &Table, b: &Table) {
    let object = a.name.to_string();
    out.aspect("table", &object, "comment", &a.comment, &b.comment);

    let a_cols: BTreeMap<_, _> = a.columns.iter().map(|c| (c.name.clone(), c)).collect();
    let b_cols: BTreeMap<_, _> = b.columns.iter().map(|c| (c.name.clone(), c)).collect();
    pairs(&a_cols, &b_cols, |name, x, y| {
        let object = format!("{object}.{name}");
        match (x, y) {
            (Some(x), Some(y)) => column(out, &object, x, y),
            _ => out.exists(
                "column",
                &object,
                x.map(|c| column_summary(c)),
                y.map(|c| column_summary(c)),
            ),
        }
    });
    // Order only matters among columns both sides have (the rest is reported above).
    let common = |cols: &[Column], other: &BTreeMap<schema::Ident, &Column>| {
        let names: Vec<String> = cols
            .iter()
            .filter(|c| other.contains_key(&c.name))
            .map(|c| c.name.to_string())
            .collect();
        names.join(", ")
    };
    out.aspect(
        "table",
        &object,
        "column order",
        &Some(common(&a.columns, &b_cols)),
        &Some(common(&b.columns, &a_cols)),
    );

    let pk = |t: &Table| {
        t.primary_key
            .as_ref()
            .map(|pk| format!("{} ({})", pk.name, column_list(&pk.columns)))
    };
    if a.primary_key.is_some() && b.primary_key.is_some() {
        out.aspect("primary key", &object, "definition", &pk(a), &pk(b));
    } else if a.primary_key.is_some() || b.primary_key.is_some() {
        out.exists("primary key", &object, pk(a), pk(b));
    }

    pairs(&a.constraints, &b.constraints, |name, x, y| {
        let object = format!("{object}.{name}");
        let def = |c: &schema::Constraint| constraint_def(c);
        match (x, y) {
            (Some(x), Some(y)) => out.aspect(
                "constraint",
                &object,
                "definition",
                &Some(def(x)),
                &Some(def(y)),
            ),
            _ => out.exists("constraint", &object, x.map(def), y.map(def)),
        }
    });
}

fn column_summary(c: &Column) -> String {
    let mut text = format!("{} {}", c.name, c.ty);
    if let Some(g) = &c.generated {
        text.push_str(&format!(" GENERATED ALWAYS AS ({}) STORED", g.sql()));
    }
    if let Some(i) = c.identity {
        text.push(' ');
        text.push_str(identity_sql(i));
    }
    if let Some(d) = &c.default {
        text.push_str(&format!(" DEFAULT {}", d.sql()));
    }
    if !c.nullable {
        text.push_str(" NOT NULL");
    }
    text
}

fn column(out: &mut Out, object: &str, a: &Column, b: &Column) {
    let text = |s: &dyn fmt::Display| Some(s.to_string());
    out.aspect("column", object, "type", &text(&a.ty), &text(&b.ty));
    let nullable = |c: &Column| Some(if c.nullable { "NULL" } else { "NOT NULL" }.to_string());
    out.aspect("column", object, "nullable", &nullable(a), &nullable(b));
    let expr = |e: &Option<schema::Expr>| e.as_ref().map(|e| e.sql().to_string());
    out.aspect(
        "column",
        object,
        "default",
        &expr(&a.default),
        &expr(&b.default),
    );
    let identity = |c: &Column| c.identity.map(|i| identity_sql(i).to_string());
    out.aspect("column", object, "identity", &identity(a), &identity(b));
    out.aspect(
        "column",
        object,
        "generated",
        &expr(&a.generated),
        &expr(&b.generated),
    );
    out.aspect("column", object, "comment", &a.comment, &b.comment);
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::{
        Constraint, ConstraintKind, Enum, Expr, Extension, Ident, Index, IndexKey, IndexTarget,
        PrimaryKey, QualName, Schema, SqlType,
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
        t.columns[1].default = Some(Expr::parse("'draft'::text").unwrap());
        t.columns[0].default = Some(Expr::parse("'-1'::integer").unwrap());
        t.columns[0].generated = Some(Expr::parse("(a + b::numeric)::text").unwrap());
        t.constraints.values_mut().next().unwrap().kind = ConstraintKind::Check {
            expr: Expr::parse(
                "(title <> ''::text) AND (title = ANY (ARRAY['a'::text, 'b'::text])) \
                 AND (title <> ALL (ARRAY['c'::text])) AND ((id >= 1) AND (id <= 9)) \
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
            ["column core.shows.title default: offline 'final', PostgreSQL 'draft'::text"]
        );

        // A checkpoint keeps the offline spelling where the two agree.
        let kept = prefer_offline_spelling(&shadow, &offline);
        let t = &kept.tables[&QualName::from("core.shows")];
        assert_eq!(t.columns[0].default.as_ref().unwrap().sql(), "-1");
        assert_eq!(
            t.columns[1].default.as_ref().unwrap().sql(),
            "'draft'::text"
        );
        assert_eq!(
            t.constraints.values().next().map(constraint_def).unwrap(),
            "CONSTRAINT shows_title_check CHECK (((((title <> '') AND (title IN ('a', 'b'))) AND (title NOT IN ('c'))) AND (id BETWEEN 1 AND 9)) AND (id NOT BETWEEN 1 AND 9))"
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
}
