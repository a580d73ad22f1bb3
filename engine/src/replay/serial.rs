//! The sequences behind `serial` columns. The Catalog has no sequences; a
//! serial column is its type plus the default PostgreSQL prints for it
//! (`nextval('core.t_id_seq'::regclass)`), and that default is where the
//! sequence's name is read back from when names must avoid it or follow a
//! table into another schema.

use super::Replay;
use schema::ident::{DEFAULT_SCHEMA, quote_ident};
use schema::names::make_object_name;
use schema::{Expr, Ident, QualName};

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

/// The default of a column owning `seq`, as `pg_get_expr` prints it:
/// schema-qualified outside `public`.
pub(super) fn nextval_default(seq: &QualName) -> Expr {
    let name = quote_ident(seq.name.as_str());
    let qualified = if seq.schema.as_str() == DEFAULT_SCHEMA {
        name
    } else {
        format!("{}.{name}", seq.schema.quoted())
    };
    let text = format!("nextval('{}'::regclass)", qualified.replace('\'', "''"));
    Expr::parse(&text).unwrap_or_else(|_| Expr::canonical(text))
}

/// The sequence a `nextval('…'::regclass)` default draws from.
pub(super) fn sequence_of(default: &Expr) -> Option<QualName> {
    let inner = default
        .sql()
        .strip_prefix("nextval('")?
        .strip_suffix("'::regclass)")?;
    if inner.contains('\'') && !inner.contains("''") {
        return None;
    }
    QualName::from_sql(&inner.replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip() {
        let seq = QualName::new(Ident::new("Odd"), Ident::new("t_Id_seq"));
        let d = nextval_default(&seq);
        assert_eq!(d.sql(), "nextval('\"Odd\".\"t_Id_seq\"'::regclass)");
        assert_eq!(sequence_of(&d), Some(seq));
        let public = QualName::from("public.t_id_seq");
        assert_eq!(
            nextval_default(&public).sql(),
            "nextval('t_id_seq'::regclass)"
        );
        assert_eq!(sequence_of(&nextval_default(&public)), Some(public));
        assert_eq!(sequence_of(&Expr::parse("now()").unwrap()), None);
    }
}
