//! Comparisons of tables: columns, keys and constraints.

use super::*;
use crate::plan::sql::{column_list, constraint_def, identity_sql};
use schema::{Column, Table};
use std::collections::BTreeMap;
use std::fmt;

pub(super) fn table_summary(t: &Table) -> String {
    let columns: Vec<String> = t
        .columns
        .iter()
        .map(|c| format!("{} {}", c.name, c.ty))
        .collect();
    format!("table ({})", columns.join(", "))
}

pub(super) fn table(out: &mut Out, a: &Table, b: &Table) {
    let object = a.name.to_string();
    out.aspect("table", &object, "comment", &a.comment, &b.comment);
    let rls = |t: &Table| {
        Some(
            match (t.rls_enabled, t.rls_forced) {
                (false, false) => "disabled",
                (true, false) => "enabled",
                (true, true) => "enabled, forced",
                (false, true) => "disabled (forced)",
            }
            .to_string(),
        )
    };
    out.aspect("table", &object, "row level security", &rls(a), &rls(b));

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

pub(super) fn column_summary(c: &Column) -> String {
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

pub(super) fn column(out: &mut Out, object: &str, a: &Column, b: &Column) {
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
