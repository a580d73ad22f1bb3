//! Views and materialized views.

use crate::expr::Query;
use crate::ident::{Ident, QualName};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: QualName,
    pub materialized: bool,
    /// Column names given after the view name; empty when the query names
    /// them.
    pub columns: Vec<Ident>,
    pub query: Query,
    /// `WITH (security_invoker = true)` (views only).
    pub security_invoker: bool,
    /// `WITH (security_barrier = true)` (views only).
    pub security_barrier: bool,
    pub check_option: Option<CheckOption>,
    pub comment: Option<String>,
}

impl View {
    /// Moves the column list into the query as output aliases (`CREATE VIEW
    /// v (a) AS SELECT id …` is stored `SELECT id AS a …`), the form
    /// PostgreSQL prints and introspection reads; the list stays only when
    /// the query cannot take it (`SELECT *`, more names than outputs). Every
    /// producer (KDL, replay, introspection) stores views this way, so one
    /// view written both ways compares equal.
    pub fn fold_columns(&mut self) {
        if self.columns.is_empty() {
            return;
        }
        if let Some(query) = self.query.with_column_names(&self.columns) {
            self.query = query;
            // A shorter list names the first outputs only.
            if self
                .query
                .output_names()
                .is_some_and(|names| names.starts_with(&self.columns))
            {
                self.columns.clear();
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOption {
    Local,
    Cascaded,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(columns: &[&str], query: &str) -> View {
        View {
            name: QualName::from("core.v"),
            materialized: false,
            columns: columns.iter().map(|c| Ident::new(*c)).collect(),
            query: Query::parse(query).unwrap(),
            security_invoker: false,
            security_barrier: false,
            check_option: None,
            comment: None,
        }
    }

    #[test]
    fn column_lists_become_output_aliases() {
        let mut v = view(
            &["org_id", "average"],
            "select org_id, avg(rating) from core.shows group by org_id",
        );
        v.fold_columns();
        assert!(v.columns.is_empty());
        assert_eq!(
            v.query.sql(),
            "SELECT org_id, avg(rating) AS average FROM core.shows GROUP BY org_id"
        );
        // As PostgreSQL prints it.
        let printed = view(
            &[],
            " SELECT shows.org_id,\n    avg(shows.rating) AS average\n   FROM core.shows\n  GROUP BY shows.org_id;",
        );
        assert_eq!(
            printed.query.output_names(),
            Some(vec![Ident::new("org_id"), Ident::new("average")])
        );
        // A partial list names the first outputs.
        let mut v = view(&["a"], "select id, title from t");
        v.fold_columns();
        assert_eq!(
            (v.columns.len(), v.query.sql()),
            (0, "SELECT id AS a, title FROM t")
        );
        // `*` cannot take names: the list stays.
        let mut v = view(&["a"], "select * from t");
        v.fold_columns();
        assert_eq!(v.columns, [Ident::new("a")]);
    }
}
