//! The sequences behind `serial` columns. The Catalog has no sequences; a
//! serial column is its type plus the default PostgreSQL prints for it
//! (`schema::names::serial_default`), and that default is where the
//! sequence's name is read back from when names must avoid it or follow a
//! table into another schema.

use super::Replay;
use schema::names::make_object_name;
use schema::{Ident, QualName};

/// `ChooseRelationName(table, column, "seq")`: `t_id_seq`, or with a
/// number when that relation name is taken in the schema.
pub(super) fn choose_sequence(r: &Replay, table: &QualName, column: &Ident) -> QualName {
    let mut pass = 0;
    loop {
        let label = if pass == 0 {
            "seq".to_string()
        } else {
            format!("seq{pass}")
        };
        let name = make_object_name(table.name.as_str(), Some(column.as_str()), &label);
        if !r.relation_taken(&table.schema, &name) {
            return QualName::new(table.schema.clone(), Ident::new(name));
        }
        pass += 1;
    }
}

/// A column default as PostgreSQL stores it where the two differ in a way
/// the Catalog sees: `nextval('seq')` (text, resolved when the default is
/// created) is stored as `nextval('schema.seq'::regclass)`, so a renamed
/// or moved sequence carries its defaults along ([`super::alter_relation`]).
/// `None` for `DEFAULT NULL` (also cast, `NULL::text`): PostgreSQL stores
/// no default for a null constant, so there is none to compare.
pub(super) fn column_default(e: &sqlparser::ast::Expr) -> Option<schema::Expr> {
    let default = nextval_sequence(e).map_or_else(
        || schema::Expr::from_ast(e.clone()),
        |seq| schema::names::serial_default(&seq),
    );
    (!default.is_null()).then_some(default)
}

/// The sequence of `nextval('name')` / `nextval('name'::regclass)`;
/// unqualified names resolve to `public`, as the replay assumes the
/// default search path.
fn nextval_sequence(e: &sqlparser::ast::Expr) -> Option<QualName> {
    use sqlparser::ast::{
        Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Value, ValueWithSpan,
    };
    let Expr::Function(f) = e else { return None };
    let [part] = f.name.0.as_slice() else {
        return None;
    };
    if !part.as_ident()?.value.eq_ignore_ascii_case("nextval") || f.over.is_some() {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(arg))] = list.args.as_slice() else {
        return None;
    };
    let literal = match arg {
        Expr::Cast {
            expr, data_type, ..
        } if data_type.to_string().eq_ignore_ascii_case("regclass") => expr.as_ref(),
        other => other,
    };
    match literal {
        Expr::Value(ValueWithSpan {
            value: Value::SingleQuotedString(name),
            ..
        }) => QualName::from_sql(name),
        _ => None,
    }
}

/// The sequences a table owns: those its serial columns draw from, and
/// those behind identity columns (named as PostgreSQL names them when it
/// creates them; the Catalog keeps no other trace of them).
pub(super) fn owned_sequences(t: &schema::Table) -> Vec<QualName> {
    t.columns
        .iter()
        .filter_map(|c| {
            if let Some(seq) = c.default.as_ref().and_then(schema::names::serial_sequence) {
                return Some(seq);
            }
            c.identity.map(|_| {
                QualName::new(
                    t.name.schema.clone(),
                    Ident::new(make_object_name(
                        t.name.name.as_str(),
                        Some(c.name.as_str()),
                        "seq",
                    )),
                )
            })
        })
        .collect()
}

/// Whether `name` is a sequence a modeled table owns.
pub(super) fn sequence_exists(r: &Replay, name: &QualName) -> bool {
    r.catalog
        .tables
        .values()
        .any(|t| owned_sequences(t).contains(name))
}
