//! Cross-object checks and merging, once every file is read: duplicates,
//! column references, foreign-key targets, and PostgreSQL's derived
//! constraint names.

use super::decl::{ColumnDecl, Decls, FkDecl, Named, TableDecl};
use super::errors::{Diag, Loc, Sink, did_you_mean};
use crate::catalog::{
    Catalog, Constraint, ConstraintKind, Enum, Extension, ForeignKey, IndexTarget, PrimaryKey,
    Schema, Table,
};
use crate::expr::Expr;
use crate::ident::{Ident, QualName};
use crate::names::{NameLabel, choose_name, columns_addition};
use std::collections::{BTreeMap, BTreeSet};

pub fn build(mut decls: Decls, sink: &mut Sink) -> Catalog {
    // Declarations add to what the platform provides (PostgreSQL's and
    // Supabase's privileges), as replayed migrations do.
    let mut catalog = crate::provided::platform_catalog();
    let security = Security {
        functions: std::mem::take(&mut decls.functions),
        views: std::mem::take(&mut decls.views),
        policies: std::mem::take(&mut decls.policies),
        default_privileges: std::mem::take(&mut decls.default_privileges),
        schema_grants: Vec::new(),
    };
    let mut security = security;

    let mut seen: BTreeMap<Ident, Loc> = BTreeMap::new();
    for mut s in decls.schemas {
        if let Some(first) = seen.get(&s.name) {
            duplicate("schema", &s.name.to_string(), s.at, *first, sink);
            continue;
        }
        seen.insert(s.name.clone(), s.at);
        security
            .schema_grants
            .push((s.name.clone(), std::mem::take(&mut s.grants)));
        // `public` exists in every database and is never created or
        // dropped (replay and introspection do not list it): declaring it
        // only carries its grants, default privileges and comment.
        if s.name.as_str() == crate::ident::DEFAULT_SCHEMA && s.comment.is_none() {
            continue;
        }
        catalog.schemas.insert(
            s.name.clone(),
            Schema {
                name: s.name,
                comment: s.comment,
            },
        );
    }
    let declared_schemas: BTreeSet<Ident> = seen.into_keys().collect();

    let mut seen: BTreeMap<Ident, Loc> = BTreeMap::new();
    for e in decls.extensions {
        if let Some(first) = seen.get(&e.name) {
            duplicate("extension", &e.name.to_string(), e.at, *first, sink);
            continue;
        }
        seen.insert(e.name.clone(), e.at);
        catalog.extensions.insert(
            e.name.clone(),
            Extension {
                name: e.name,
                schema: e.schema,
            },
        );
    }

    // Enums and tables share PostgreSQL's type namespace (a table is a type).
    let mut types: BTreeMap<QualName, Loc> = BTreeMap::new();
    for e in decls.enums {
        if let Some(first) = types.get(&e.name) {
            duplicate("type", &e.name.to_string(), e.at, *first, sink);
            continue;
        }
        types.insert(e.name.clone(), e.at);
        let mut labels: BTreeMap<&str, Loc> = BTreeMap::new();
        for (label, at) in &e.values {
            if let Some(first) = labels.get(label.as_str()) {
                sink.push(
                    Diag::new(
                        *at,
                        format!("enum {} has the label `{label}` twice", e.name),
                        "duplicate label",
                    )
                    .also(*first, "first here")
                    .help("enum labels must be unique; remove one"),
                );
            } else {
                labels.insert(label, *at);
            }
        }
        if e.values.is_empty() {
            sink.push(
                Diag::new(
                    e.at,
                    format!("enum {} has no labels", e.name),
                    "expected labels after the name",
                )
                .help("write the labels in order: `enum core.status active paused ended`"),
            );
        }
        catalog.enums.insert(
            e.name.clone(),
            Enum {
                name: e.name,
                values: e.values.into_iter().map(|(v, _)| v).collect(),
                comment: e.comment,
            },
        );
    }

    let mut tables: BTreeMap<QualName, TableDecl> = BTreeMap::new();
    for t in decls.tables {
        if let Some(first) = types.get(&t.name) {
            duplicate(
                if tables.contains_key(&t.name) {
                    "table"
                } else {
                    "type"
                },
                &t.name.to_string(),
                t.at,
                *first,
                sink,
            );
            continue;
        }
        types.insert(t.name.clone(), t.at);
        tables.insert(t.name.clone(), t);
    }

    // Schemas whose tables are all declared here: a reference to an
    // undeclared table in one of them is a typo, not an external table.
    let managed: BTreeSet<Ident> = declared_schemas
        .into_iter()
        .chain(tables.keys().map(|t| t.schema.clone()))
        .collect();

    for t in tables.values() {
        for c in &t.columns {
            check_column_type(c, &types, &managed, sink);
        }
    }

    let names = reserve_names(&tables, sink);
    let mut taken: BTreeMap<Ident, BTreeSet<String>> = names;

    for (name, t) in &tables {
        let table = build_table(
            t,
            &tables,
            &managed,
            taken.entry(name.schema.clone()).or_default(),
            sink,
        );
        for c in &t.columns {
            if let Some(generated) = &c.column.generated {
                check_expr_columns(t, generated, c.at, "generated column", sink);
            }
        }
        for c in &t.checks {
            check_expr_columns(t, &c.expr, c.at, "check", sink);
        }
        for i in &t.indexes {
            check_columns(t, &i.columns, "index", sink);
            let expressions = i.index.keys.iter().filter_map(|k| match &k.target {
                IndexTarget::Expression(e) => Some(e),
                IndexTarget::Column(_) => None,
            });
            for e in expressions.chain(&i.index.predicate) {
                check_expr_columns(t, e, i.at, "index", sink);
            }
            catalog
                .indexes
                .insert(i.index.name.clone(), i.index.clone());
        }
        catalog.tables.insert(name.clone(), table);
    }
    super::security::build(&mut catalog, security, &tables, &mut types, &managed, sink);
    catalog
}

/// The security surface of the files, built once tables are: functions,
/// views, policies, triggers and privileges.
pub struct Security {
    pub functions: Vec<super::function::FunctionDecl>,
    pub views: Vec<super::view::ViewDecl>,
    /// Top-level policies.
    pub policies: Vec<super::policy::PolicyDecl>,
    pub default_privileges: Vec<super::default_privileges::DefaultPrivEdit>,
    /// Declared schemas (once each) and their grant edits.
    pub schema_grants: Vec<(Ident, Vec<super::grant::GrantEdit>)>,
}

pub fn duplicate(what: &str, name: &str, at: Loc, first: Loc, sink: &mut Sink) {
    sink.push(
        Diag::new(
            at,
            format!("{what} {name} is declared twice"),
            "declared again here",
        )
        .also(first, "first declared here")
        .help("files merge into one schema, so each object is declared once; remove or rename one"),
    );
}

/// Every name the user chose, per schema, which derived names must avoid:
/// relations (tables, indexes, serial sequences) and constraints. Also
/// reports names that clash with each other.
fn reserve_names(
    tables: &BTreeMap<QualName, TableDecl>,
    sink: &mut Sink,
) -> BTreeMap<Ident, BTreeSet<String>> {
    let mut taken: BTreeMap<Ident, BTreeSet<String>> = BTreeMap::new();
    // Relations (and the indexes behind primary keys and unique constraints)
    // share one namespace per schema.
    let mut relations: BTreeMap<QualName, Loc> = BTreeMap::new();
    for (name, t) in tables {
        let schema = taken.entry(name.schema.clone()).or_default();
        schema.insert(name.name.as_str().to_string());
        for c in &t.columns {
            if let Some(seq) = &c.serial_sequence {
                schema.insert(seq.as_str().to_string());
            }
        }
        let mut constraints: BTreeMap<Ident, Loc> = BTreeMap::new();
        let mut claim = |n: &Named, relation: bool, sink: &mut Sink| {
            if let Some(first) = constraints.get(&n.name) {
                duplicate("constraint", &n.name.to_string(), n.at, *first, sink);
                return;
            }
            constraints.insert(n.name.clone(), n.at);
            if relation {
                let q = QualName::new(name.schema.clone(), n.name.clone());
                if let Some(first) = relations.get(&q) {
                    duplicate("index", &q.to_string(), n.at, *first, sink);
                    return;
                }
                relations.insert(q, n.at);
            }
            taken
                .entry(name.schema.clone())
                .or_default()
                .insert(n.name.as_str().to_string());
        };
        for k in &t.primary_keys {
            if let Some(n) = &k.name {
                claim(n, true, sink);
            }
        }
        for u in &t.uniques {
            if let Some(n) = &u.name {
                claim(n, true, sink);
            }
        }
        for c in &t.checks {
            if let Some(n) = &c.name {
                claim(n, false, sink);
            }
        }
        for f in &t.foreign_keys {
            if let Some(n) = &f.name {
                claim(n, false, sink);
            }
        }
        for i in &t.indexes {
            let n = Named {
                name: i.index.name.name.clone(),
                at: i.at,
            };
            if let Some(first) = relations.get(&i.index.name) {
                duplicate("index", &i.index.name.to_string(), n.at, *first, sink);
                continue;
            }
            relations.insert(i.index.name.clone(), n.at);
            taken
                .entry(name.schema.clone())
                .or_default()
                .insert(n.name.as_str().to_string());
        }
    }
    taken
}

fn build_table(
    t: &TableDecl,
    tables: &BTreeMap<QualName, TableDecl>,
    managed: &BTreeSet<Ident>,
    taken: &mut BTreeSet<String>,
    sink: &mut Sink,
) -> Table {
    let mut table = Table::new(t.name.clone());
    table.comment = t.comment.clone();
    if t.columns.is_empty() {
        sink.push(
            Diag::new(
                t.at,
                format!("table {} has no columns", t.name),
                "expected `column` nodes in this table",
            )
            .help("add at least one column: `table core.shows { column id uuid }`"),
        );
    }
    let mut seen: BTreeMap<&Ident, Loc> = BTreeMap::new();
    for c in &t.columns {
        if let Some(first) = seen.get(&c.column.name) {
            duplicate(
                "column",
                &format!("{}.{}", t.name, c.column.name),
                c.at,
                *first,
                sink,
            );
            continue;
        }
        seen.insert(&c.column.name, c.at);
        table.columns.push(c.column.clone());
    }

    let mut derive = |addition: Option<&str>, label: NameLabel| -> Ident {
        let name = choose_name(&t.name.name, addition, label, |n| taken.contains(n));
        taken.insert(name.as_str().to_string());
        name
    };

    if let [first, rest @ ..] = t.primary_keys.as_slice() {
        for k in rest {
            sink.push(
                Diag::new(k.at, format!("table {} has more than one primary key", t.name), "second primary key")
                    .also(first.at, "first primary key")
                    .help("a table has one primary key; list several columns in one `primary-key a b` for a composite key"),
            );
        }
        check_columns(t, &first.columns, "primary key", sink);
        let columns: Vec<Ident> = first.columns.iter().map(|n| n.name.clone()).collect();
        for c in &columns {
            if let Some(col) = table.column_mut(c) {
                col.nullable = false;
            }
        }
        let name = match &first.name {
            Some(n) => n.name.clone(),
            None => derive(None, NameLabel::PrimaryKey),
        };
        table.primary_key = Some(PrimaryKey { name, columns });
    }

    // PostgreSQL silently merges a unique constraint that repeats the
    // primary key or an earlier unique one in CREATE TABLE, but keeps both
    // in ALTER TABLE: a repeat is never what the user meant.
    let mut keys: Vec<(Vec<Ident>, Loc)> = t
        .primary_keys
        .first()
        .map(|k| (k.columns.iter().map(|n| n.name.clone()).collect(), k.at))
        .into_iter()
        .collect();
    for u in &t.uniques {
        check_columns(t, &u.columns, "unique constraint", sink);
        let columns: Vec<Ident> = u.columns.iter().map(|n| n.name.clone()).collect();
        let at = u.columns.first().map_or(t.at, |n| n.at);
        if let Some((_, first)) = keys.iter().find(|(k, _)| *k == columns) {
            let list = columns
                .iter()
                .map(Ident::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            sink.push(
                Diag::new(
                    at,
                    format!("({list}) of {} is already a key", t.name),
                    "repeated key",
                )
                .also(*first, "already unique here")
                .help("remove the repeated `unique` (or `unique=#true`)"),
            );
            continue;
        }
        keys.push((columns.clone(), at));
        let name = match &u.name {
            Some(n) => n.name.clone(),
            None => derive(Some(&addition(&columns)), NameLabel::Unique),
        };
        let kind = ConstraintKind::Unique {
            columns,
            nulls_not_distinct: u.nulls_not_distinct,
            deferral: u.deferral,
        };
        table
            .constraints
            .insert(name.clone(), Constraint::new(name, kind));
    }

    for c in &t.checks {
        let name = match &c.name {
            Some(n) => n.name.clone(),
            None => {
                // CHECK names use the column only when the expression
                // mentions exactly one (AddRelationNewConstraints).
                let cols: Vec<Ident> = c
                    .expr
                    .columns()
                    .into_iter()
                    .filter(|i| table.column(i).is_some())
                    .collect();
                let col = match cols.as_slice() {
                    [one] => Some(one.as_str().to_string()),
                    _ => None,
                };
                derive(col.as_deref(), NameLabel::Check)
            }
        };
        let kind = ConstraintKind::Check {
            expr: c.expr.clone(),
            no_inherit: c.no_inherit,
        };
        table
            .constraints
            .insert(name.clone(), Constraint::new(name, kind));
    }

    for f in &t.foreign_keys {
        check_columns(t, &f.columns, "foreign key", sink);
        let Some(ref_columns) = resolve_target(f, tables, managed, sink) else {
            continue;
        };
        let columns: Vec<Ident> = f.columns.iter().map(|n| n.name.clone()).collect();
        if columns.len() != ref_columns.len() {
            sink.push(
                Diag::new(
                    f.at,
                    format!(
                        "foreign key has {} column(s) but references {} column(s) of {}",
                        columns.len(),
                        ref_columns.len(),
                        f.ref_table
                    ),
                    "column counts differ",
                )
                .also(f.ref_at, "referenced here")
                .help("list as many referenced columns as referencing ones, in matching order"),
            );
            continue;
        }
        let name = match &f.name {
            Some(n) => n.name.clone(),
            None => derive(Some(&addition(&columns)), NameLabel::ForeignKey),
        };
        let kind = ConstraintKind::ForeignKey(ForeignKey {
            columns,
            ref_table: f.ref_table.clone(),
            ref_columns,
            on_delete: f.on_delete,
            on_update: f.on_update,
            match_full: f.match_full,
            deferral: f.deferral,
        });
        table
            .constraints
            .insert(name.clone(), Constraint::new(name, kind));
    }
    table
}

fn addition(columns: &[Ident]) -> String {
    columns_addition(&columns.iter().map(Ident::as_str).collect::<Vec<_>>())
}

/// Reports every name in `columns` that is not a column of `t`.
/// A column type that is neither built in nor declared here: an error when
/// its schema is one these files manage (every type there is declared) or
/// when it is one typo away from a built-in type (`txet`); otherwise it may
/// come from an extension or another schema, and PostgreSQL will judge it.
fn check_column_type(
    c: &ColumnDecl,
    types: &BTreeMap<QualName, Loc>,
    managed: &BTreeSet<Ident>,
    sink: &mut Sink,
) {
    let Some(ty) = c.column.ty.user_defined() else {
        return;
    };
    if types.contains_key(&ty) {
        return;
    }
    let typo = (ty.schema.as_str() == crate::ident::DEFAULT_SCHEMA)
        .then(|| {
            crate::types::builtin_names()
                .iter()
                .copied()
                .find(|b| strsim::damerau_levenshtein(b, ty.name.as_str()) == 1)
        })
        .flatten();
    let declared = types
        .keys()
        .filter(|t| t.schema == ty.schema)
        .map(|t| t.name.as_str());
    let help = match typo {
        Some(b) => format!("did you mean `{b}`?"),
        None if managed.contains(&ty.schema) => did_you_mean(ty.name.as_str(), declared)
            .unwrap_or_else(|| {
                format!(
                    "declare it (`enum {ty} …`) or use a built-in type such as text, integer, uuid"
                )
            }),
        None => return,
    };
    sink.push(
        Diag::new(
            c.at,
            format!("column {} has unknown type `{ty}`", c.column.name),
            "no such type",
        )
        .help(help),
    );
}

pub fn check_columns(t: &TableDecl, columns: &[Named], what: &str, sink: &mut Sink) {
    for n in columns {
        if !t.columns.iter().any(|c| c.column.name == n.name) {
            sink.push(unknown_column(t, n, what));
        }
    }
}

/// Bare names inside a table's own SQL expressions are its columns (checks,
/// index keys and predicates cannot hold subqueries), so each must exist.
fn check_expr_columns(t: &TableDecl, expr: &Expr, at: Loc, what: &str, sink: &mut Sink) {
    let named: Vec<Named> = expr
        .columns()
        .into_iter()
        .map(|name| Named { name, at })
        .collect();
    check_columns(t, &named, what, sink);
}

fn unknown_column(t: &TableDecl, n: &Named, what: &str) -> Diag {
    let known: Vec<&str> = t.columns.iter().map(|c| c.column.name.as_str()).collect();
    let help = match did_you_mean(n.name.as_str(), known.iter().copied()) {
        Some(d) => d,
        None if known.is_empty() => format!("{} declares no columns", t.name),
        None => format!("columns of {}: {}", t.name, known.join(", ")),
    };
    Diag::new(
        n.at,
        format!(
            "{what} names column `{}`, which {} does not have",
            n.name, t.name
        ),
        "no such column",
    )
    .help(help)
}

/// The referenced columns, explicit or the target's primary key.
fn resolve_target(
    f: &FkDecl,
    tables: &BTreeMap<QualName, TableDecl>,
    managed: &BTreeSet<Ident>,
    sink: &mut Sink,
) -> Option<Vec<Ident>> {
    let explicit: Vec<Ident> = f.ref_columns.iter().map(|n| n.name.clone()).collect();
    let Some(target) = tables.get(&f.ref_table) else {
        if managed.contains(&f.ref_table.schema) {
            let known: Vec<String> = tables
                .keys()
                .filter(|q| q.schema == f.ref_table.schema)
                .map(|q| q.to_string())
                .collect();
            let help = did_you_mean(&f.ref_table.to_string(), known.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    format!(
                        "declare `table {}` or fix the name; schema {} is declared in these files",
                        f.ref_table, f.ref_table.schema
                    )
                });
            sink.push(
                Diag::new(
                    f.ref_at,
                    format!("foreign key references unknown table {}", f.ref_table),
                    "no such table",
                )
                .help(help),
            );
            return None;
        }
        if explicit.is_empty() {
            sink.push(
                Diag::new(
                    f.ref_at,
                    format!("foreign key references {}, which is not declared in these files, without naming its columns", f.ref_table),
                    "unknown table, so its primary key is unknown",
                )
                .help(format!(
                    "name the referenced columns for a table managed elsewhere, e.g. `references {} id`",
                    f.ref_table
                )),
            );
            return None;
        }
        return Some(explicit);
    };
    if explicit.is_empty() {
        match target.primary_keys.first() {
            Some(pk) => Some(pk.columns.iter().map(|n| n.name.clone()).collect()),
            None => {
                sink.push(
                    Diag::new(
                        f.ref_at,
                        format!("foreign key references {} without naming columns, but it has no primary key", f.ref_table),
                        "no primary key to reference",
                    )
                    .also(target.at, "declared here")
                    .help(format!("name the referenced columns (`references {} col`) or give the table a primary key", f.ref_table)),
                );
                None
            }
        }
    } else {
        let before = sink.diags.len();
        check_columns(target, &f.ref_columns, "foreign key", sink);
        (sink.diags.len() == before).then_some(explicit)
    }
}

#[cfg(test)]
mod tests {
    use crate::QualName;
    use crate::lang::test_util::{errors, load};

    #[test]
    fn references_outside_the_files_need_columns() {
        // auth is not declared here: an external table, fine with columns.
        assert!(load("table t { column u uuid { references auth.users id; } }").is_ok());
        assert!(
            errors("table t { column u uuid { references auth.users; } }")
                .contains("without naming its columns")
        );
        // public holds t, so public.missing is a typo, columns or not.
        assert!(
            errors("table t { column u uuid { references missing id; } }")
                .contains("unknown table public.missing")
        );
    }

    #[test]
    fn references_resolve_to_the_target_primary_key() {
        let c = load("table a { column x int; column y int; primary-key y x }\ntable b { column p int; column q int; foreign-key p q { references a; } }").unwrap();
        let b = &c.tables[&QualName::from("b")];
        let crate::ConstraintKind::ForeignKey(fk) = &b.constraints.values().next().unwrap().kind
        else {
            panic!()
        };
        assert_eq!(fk.ref_columns, ["y".into(), "x".into()]);
        assert!(
            errors("table a { column x int }\ntable b { column p int { references a; } }")
                .contains("has no primary key")
        );
    }

    #[test]
    fn repeated_keys_are_errors() {
        assert!(
            errors("table t { column a int primary-key=#true unique=#true }")
                .contains("(a) of public.t is already a key")
        );
        assert!(
            errors("table t { column a int; column b int; unique a b; unique a b }")
                .contains("(a, b) of public.t is already a key")
        );
        assert!(load("table t { column a int; column b int; unique a b; unique b a }").is_ok());
    }

    #[test]
    fn explicit_names_clash() {
        assert!(
            errors("table t { column a int; unique a name=k; check \"a > 0\" name=k }")
                .contains("constraint k is declared twice")
        );
        assert!(
            errors("table t { column a int; unique a name=t_i; index t_i a }")
                .contains("index public.t_i is declared twice")
        );
    }
}
