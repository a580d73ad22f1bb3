//! `table` blocks: columns in physical order with their single-column
//! constraints inline, then composite keys, checks, foreign keys and indexes.

use super::grants::{column_edits, object_edits};
use super::text::{name, name_sql, prose, qual_name, sql_ident, sql_value, string};
use crate::catalog::{
    Catalog, Column, Constraint, ConstraintKind, Deferral, FkAction, ForeignKey, Identity, Index,
    IndexKey, IndexTarget, Table,
};
use crate::ident::{Ident, QualName};
use crate::index_key::parse_index_key;
use crate::names::{columns_addition, make_object_name, serial_default};
use crate::security::{GrantTarget, ObjectClass};
use crate::types::SqlType;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// What the writer needs beyond the table itself.
pub struct TableCtx<'a> {
    /// The Catalog being written (managed schemas only).
    pub catalog: &'a Catalog,
    /// Constraint names that must be written with `name=` because the
    /// loader would otherwise derive another one.
    pub explicit: &'a BTreeSet<(QualName, Ident)>,
}

impl TableCtx<'_> {
    /// Whether `constraint` of `table` is written with `name=`: when its name
    /// is not the one PostgreSQL derives first, or a trial load showed the
    /// loader would pick another.
    fn needs_name(&self, table: &Table, constraint: &Ident, derived: &str) -> bool {
        constraint.as_str() != derived
            || self
                .explicit
                .contains(&(table.name.clone(), constraint.clone()))
    }
}

/// The name PostgreSQL gives a constraint before any collision.
fn derived_name(table: &Table, c: &Constraint) -> String {
    let t = table.name.name.as_str();
    let cols = |columns: &[Ident]| {
        columns_addition(&columns.iter().map(Ident::as_str).collect::<Vec<_>>())
    };
    match &c.kind {
        ConstraintKind::Unique { columns, .. } => make_object_name(t, Some(&cols(columns)), "key"),
        ConstraintKind::ForeignKey(fk) => make_object_name(t, Some(&cols(&fk.columns)), "fkey"),
        ConstraintKind::Check { expr, .. } => match check_column(table, expr).as_slice() {
            [one] => make_object_name(t, Some(one.as_str()), "check"),
            _ => make_object_name(t, None, "check"),
        },
    }
}

/// The table's columns a check mentions (the loader derives its name, and
/// we place it, from these).
fn check_column(table: &Table, expr: &crate::Expr) -> Vec<Ident> {
    expr.columns()
        .into_iter()
        .filter(|c| table.column(c).is_some())
        .collect()
}

pub fn write_table(out: &mut String, table: &Table, ctx: &TableCtx<'_>) {
    let _ = writeln!(out, "table {} {{", qual_name(&table.name));
    if let Some(comment) = &table.comment {
        let _ = writeln!(out, "    comment {}", prose(comment));
    }

    let pk = table.primary_key.as_ref();
    let pk_inline = pk.is_some_and(|pk| {
        pk.columns.len() == 1
            && !ctx.needs_name(
                table,
                &pk.name,
                &make_object_name(table.name.name.as_str(), None, "pkey"),
            )
    });

    // Single-column constraints go on their column; the rest after the columns.
    let mut inline: Vec<(&Ident, Inline<'_>)> = Vec::new();
    let mut uniques = Vec::new();
    let mut checks = Vec::new();
    let mut fks = Vec::new();
    for c in table.constraints.values() {
        let named = ctx.needs_name(table, &c.name, &derived_name(table, c));
        match &c.kind {
            ConstraintKind::Unique {
                columns,
                nulls_not_distinct: false,
                deferral: Deferral::NotDeferrable,
            } if columns.len() == 1 && !named => inline.push((&columns[0], Inline::Unique)),
            ConstraintKind::Unique { .. } => uniques.push((c, named)),
            ConstraintKind::Check { expr, .. } => {
                let column = match check_column(table, expr).as_slice() {
                    [one] => table.column(one),
                    _ => None,
                };
                match column {
                    Some(col) => inline.push((&col.name, Inline::Check(c, named))),
                    None => checks.push((c, named)),
                }
            }
            ConstraintKind::ForeignKey(fk) if fk.columns.len() == 1 => {
                inline.push((&fk.columns[0], Inline::References(c, fk, named)))
            }
            ConstraintKind::ForeignKey(fk) => fks.push((c, fk, named)),
        }
    }

    for column in &table.columns {
        let is_pk = pk_inline && pk.is_some_and(|pk| pk.columns[0] == column.name);
        let mine: Vec<&Inline<'_>> = inline
            .iter()
            .filter(|(c, _)| **c == column.name)
            .map(|(_, i)| i)
            .collect();
        write_column(out, table, column, is_pk, &mine, ctx);
    }

    if let Some(pk) = pk
        && !pk_inline
    {
        let _ = write!(out, "    primary-key {}", names(&pk.columns));
        if ctx.needs_name(
            table,
            &pk.name,
            &make_object_name(table.name.name.as_str(), None, "pkey"),
        ) {
            let _ = write!(out, " name={}", name(&pk.name));
        }
        out.push('\n');
    }
    for (c, named) in uniques {
        let ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
            deferral,
        } = &c.kind
        else {
            continue;
        };
        let _ = write!(out, "    unique {}", names(columns));
        if named {
            let _ = write!(out, " name={}", name(&c.name));
        }
        if *nulls_not_distinct {
            out.push_str(" nulls-not-distinct=#true");
        }
        out.push_str(&deferral_props(*deferral));
        out.push('\n');
    }
    for (c, named) in checks {
        let _ = writeln!(out, "    {}", check(c, named));
    }
    for (c, fk, named) in fks {
        let _ = write!(out, "    foreign-key {}", names(&fk.columns));
        if named {
            let _ = write!(out, " name={}", name(&c.name));
        }
        let _ = writeln!(out, " {{ {} }}", references(fk, ctx.catalog));
    }
    for index in ctx.catalog.indexes_on(&table.name) {
        write_index(out, index);
    }
    write_security(out, table, ctx.catalog);
    out.push_str("}\n");
}

/// RLS, policies, privileges (as edits of the defaults the table and its
/// sequences receive) and triggers.
fn write_security(out: &mut String, table: &Table, catalog: &Catalog) {
    let mut lines: Vec<String> = Vec::new();
    lines.extend(super::policies::rls(table));
    lines.extend(
        catalog
            .policies_on(&table.name)
            .map(|p| super::policies::policy(p, false)),
    );
    let on = GrantTarget::Table {
        table: table.name.clone(),
    };
    lines.extend(object_edits(catalog, &on, ObjectClass::Table, ""));
    lines.extend(column_edits(catalog, &table.name));
    for seq in crate::lang::privileges::owned_sequences(table) {
        let on = GrantTarget::Sequence {
            sequence: seq.clone(),
        };
        let suffix = format!(" sequence={}", qual_name(&seq));
        lines.extend(object_edits(catalog, &on, ObjectClass::Sequence, &suffix));
    }
    lines.extend(
        catalog
            .triggers_on(&table.name)
            .map(super::routines::trigger),
    );
    for l in lines {
        let _ = writeln!(out, "    {l}");
    }
}

/// A single-column constraint written inside its column.
enum Inline<'a> {
    Unique,
    Check(&'a Constraint, bool),
    References(&'a Constraint, &'a ForeignKey, bool),
}

/// The spelling people write (`timestamptz`, `varchar(80)`) rather than
/// PostgreSQL's `format_type` one, kept only when it reads back as the same
/// type.
fn short_type(ty: &SqlType) -> String {
    const LONG_TO_SHORT: &[(&str, &str)] = &[
        ("timestamp with time zone", "timestamptz"),
        ("timestamp without time zone", "timestamp"),
        ("time with time zone", "timetz"),
        ("time without time zone", "time"),
        ("character varying", "varchar"),
        ("character", "char"),
        ("bit varying", "varbit"),
        ("double precision", "float8"),
    ];
    let long = ty.as_str();
    for (from, to) in LONG_TO_SHORT {
        if let Some(rest) = long.strip_prefix(from) {
            let short = format!("{to}{rest}");
            if SqlType::parse(&short).is_ok_and(|t| &t == ty) {
                return short;
            }
        }
    }
    long.to_string()
}

fn write_column(
    out: &mut String,
    table: &Table,
    column: &Column,
    primary_key: bool,
    inline: &[&Inline<'_>],
    ctx: &TableCtx<'_>,
) {
    let mut line = format!("    column {}", name(&column.name));
    let serial = serial_type(table, column);
    let short = short_type(&column.ty);
    let _ = write!(line, " {}", string(serial.unwrap_or(&short)));
    if column.nullable {
        line.push_str(" nullable=#true");
    }
    if let Some(default) = &column.default
        && serial.is_none()
    {
        let _ = write!(line, " default={}", sql_value(default.sql()));
    }
    match column.identity {
        Some(Identity::Always) => line.push_str(" identity=always"),
        Some(Identity::ByDefault) => line.push_str(" identity=by-default"),
        None => {}
    }
    if let Some(generated) = &column.generated {
        let _ = write!(line, " generated={}", prose(generated.sql()));
    }
    if primary_key {
        line.push_str(" primary-key=#true");
    }
    if inline.iter().any(|i| matches!(i, Inline::Unique)) {
        line.push_str(" unique=#true");
    }

    let mut children = Vec::new();
    for i in inline {
        match i {
            Inline::Unique => {}
            Inline::Check(c, named) => children.push(check(c, *named)),
            Inline::References(c, fk, named) => {
                let mut r = references(fk, ctx.catalog);
                if *named {
                    let _ = write!(r, " name={}", name(&c.name));
                }
                children.push(r);
            }
        }
    }
    if let Some(comment) = &column.comment {
        children.push(format!("comment {}", prose(comment)));
    }
    push_node(out, line, &children);
}

/// `serial`/`bigserial`/`smallserial` when the column is exactly what that
/// shorthand declares (the sequence PostgreSQL would name, NOT NULL).
fn serial_type(table: &Table, column: &Column) -> Option<&'static str> {
    if column.nullable || column.identity.is_some() || column.generated.is_some() {
        return None;
    }
    let seq = QualName::new(
        table.name.schema.clone(),
        Ident::new(make_object_name(
            table.name.name.as_str(),
            Some(column.name.as_str()),
            "seq",
        )),
    );
    if column.default.as_ref() != Some(&serial_default(&seq)) {
        return None;
    }
    match column.ty.as_str() {
        "integer" => Some("serial"),
        "bigint" => Some("bigserial"),
        "smallint" => Some("smallserial"),
        _ => None,
    }
}

fn check(c: &Constraint, named: bool) -> String {
    let ConstraintKind::Check { expr, no_inherit } = &c.kind else {
        return String::new();
    };
    let mut s = format!("check {}", prose(expr.sql()));
    if named {
        let _ = write!(s, " name={}", name(&c.name));
    }
    if *no_inherit {
        s.push_str(" no-inherit=#true");
    }
    s
}

/// `references t [cols] on-delete=… …`; the columns are left out when they
/// are the target's primary key and the target is written too.
fn references(fk: &ForeignKey, catalog: &Catalog) -> String {
    let mut s = format!("references {}", qual_name(&fk.ref_table));
    let to_primary_key = catalog
        .tables
        .get(&fk.ref_table)
        .and_then(|t| t.primary_key.as_ref())
        .is_some_and(|pk| pk.columns == fk.ref_columns);
    if !to_primary_key {
        let _ = write!(s, " {}", names(&fk.ref_columns));
    }
    for (key, action) in [("on-delete", fk.on_delete), ("on-update", fk.on_update)] {
        let word = match action {
            FkAction::NoAction => continue,
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set-null",
            FkAction::SetDefault => "set-default",
        };
        let _ = write!(s, " {key}={word}");
    }
    if fk.match_full {
        s.push_str(" match-full=#true");
    }
    s.push_str(&deferral_props(fk.deferral));
    s
}

fn deferral_props(d: Deferral) -> String {
    match d {
        Deferral::NotDeferrable => String::new(),
        Deferral::DeferrableInitiallyImmediate => " deferrable=#true".into(),
        Deferral::DeferrableInitiallyDeferred => {
            " deferrable=#true initially-deferred=#true".into()
        }
    }
}

fn names(list: &[Ident]) -> String {
    list.iter().map(name).collect::<Vec<_>>().join(" ")
}

fn write_index(out: &mut String, index: &Index) {
    let mut line = format!("    index {}", name(&index.name.name));
    for key in &index.keys {
        let _ = write!(line, " {}", string(&index_key(key)));
    }
    if index.method != "btree" {
        let _ = write!(line, " using={}", string(&index.method));
    }
    if index.unique {
        line.push_str(" unique=#true");
    }
    if let Some(predicate) = &index.predicate {
        let _ = write!(line, " where={}", prose(predicate.sql()));
    }
    if !index.include.is_empty() {
        let include = index
            .include
            .iter()
            .map(name_sql)
            .collect::<Vec<_>>()
            .join(" ");
        let _ = write!(line, " include={}", string(&include));
    }
    if index.nulls_not_distinct {
        line.push_str(" nulls-not-distinct=#true");
    }
    let mut children = Vec::new();
    if !index.with.is_empty() {
        let params = index
            .with
            .iter()
            .map(|(k, v)| format!("{}={}", string(k), storage_value(v)))
            .collect::<Vec<_>>()
            .join(" ");
        children.push(format!("with {params}"));
    }
    if let Some(comment) = &index.comment {
        children.push(format!("comment {}", prose(comment)));
    }
    push_node(out, line, &children);
}

/// A node line inside a table, its children on the same line when there is
/// one (`{ references … }`), else one per line.
fn push_node(out: &mut String, mut line: String, children: &[String]) {
    match children {
        [] => {}
        [one] => {
            let _ = write!(line, " {{ {one} }}");
        }
        many => {
            line.push_str(" {\n");
            for c in many {
                let _ = writeln!(line, "        {c}");
            }
            line.push_str("    }");
        }
    }
    out.push_str(&line);
    out.push('\n');
}

/// A storage parameter: a bare number or boolean when it reads back the same.
fn storage_value(v: &str) -> String {
    match v.parse::<i64>() {
        Ok(i) if i.to_string() == v => v.to_string(),
        _ if v == "true" || v == "false" => format!("#{v}"),
        _ => string(v),
    }
}

/// Whether `sql` is one function call, `f(…)`: such an index key reads as
/// in SQL without the extra parentheses other expressions need.
fn is_call(sql: &str) -> bool {
    let Some(open) = sql.find('(') else {
        return false;
    };
    let name = &sql[..open];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return false;
    }
    // The parenthesis opened after the name must close at the very end.
    let mut depth = 0usize;
    let mut quoted = false;
    for (i, c) in sql[open..].char_indices() {
        match c {
            '\'' | '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return open + i + 1 == sql.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// One index key as the loader's `parse_index_key` reads it: the bare
/// expression when it reads back as itself (`lower(email)`), else in
/// parentheses; then collation, operator class and order.
pub fn index_key(key: &IndexKey) -> String {
    let mut out = match &key.target {
        IndexTarget::Column(c) => sql_ident(c),
        IndexTarget::Expression(e) => {
            let bare = e.sql().to_string();
            let same = is_call(&bare)
                && parse_index_key(&bare)
                    .is_ok_and(|k| k.target == IndexTarget::Expression(e.clone()));
            if same { bare } else { format!("({bare})") }
        }
    };
    if let Some(collation) = &key.collation {
        let _ = write!(out, " collate {collation}");
    }
    if let Some(opclass) = &key.opclass {
        let _ = write!(out, " {opclass}");
    }
    if key.descending {
        out.push_str(" desc");
    }
    match (key.descending, key.nulls_first) {
        (false, true) => out.push_str(" nulls first"),
        (true, false) => out.push_str(" nulls last"),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::is_call;

    #[test]
    fn function_calls_are_recognised() {
        assert!(is_call("lower(email)"));
        assert!(is_call("coalesce(a, ')')"));
        assert!(!is_call("lower(a) || upper(b)"));
        assert!(!is_call("a + b"));
        assert!(!is_call("(a)"));
    }
}
