//! What an expression, a view query or a SQL function body references:
//! the functions it calls, the relations it reads (in `FROM`, joins and
//! subqueries), the types it casts to and the columns it names. The
//! planner orders steps from these (a function before the policy that calls
//! it, a policy after the table its subquery reads, a view dropped before a
//! column it uses changes type).
//!
//! Names are resolved as written: an unqualified function, relation or type
//! is taken to live in `public` (the search path of a migration), so
//! built-in functions such as `now()` resolve to names no Catalog holds and
//! simply match nothing. The walk uses sqlparser's visitor, so every place
//! an expression or relation can appear is covered.

use crate::expr::{Expr, Query};
use crate::ident::{Ident, QualName};
use sqlparser::ast::{self, Visit, Visitor};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

/// A column as written: `title`, `s.title` or `core.shows.title`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnRef {
    /// The relation or alias before the column name, if any (for
    /// `core.shows.title`, `shows`).
    pub qualifier: Option<Ident>,
    pub name: Ident,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refs {
    pub functions: BTreeSet<QualName>,
    /// Each call as (function, number of arguments written), to tell
    /// overloads apart.
    pub calls: BTreeSet<(QualName, usize)>,
    pub relations: BTreeSet<QualName>,
    /// Types named in casts (`'x'::core.status`).
    pub types: BTreeSet<QualName>,
    pub columns: BTreeSet<ColumnRef>,
    /// Alias or bare relation name → relation, for resolving qualifiers.
    pub aliases: BTreeMap<Ident, QualName>,
}

impl Refs {
    /// References of a normalized expression (policy `USING`/`WITH CHECK`,
    /// trigger `WHEN`, column default). An expression that no longer parses
    /// references nothing we can name.
    pub fn of_expr(expr: &Expr) -> Refs {
        let mut refs = Refs::default();
        if let Ok(ast) = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(expr.sql())
            .and_then(|mut p| p.parse_expr())
        {
            let _ = ast.visit(&mut Collect(&mut refs));
        }
        refs
    }

    /// References of a view's query.
    pub fn of_query(query: &Query) -> Refs {
        let mut refs = Refs::default();
        if let Ok(ast) = Parser::new(&PostgreSqlDialect {})
            .try_with_sql(query.sql())
            .and_then(|mut p| p.parse_query())
        {
            let _ = ast.visit(&mut Collect(&mut refs));
        }
        refs
    }

    /// References of SQL statements (a `LANGUAGE sql` function body).
    /// Statements sqlparser cannot read contribute nothing.
    pub fn of_sql(text: &str) -> Refs {
        let mut refs = Refs::default();
        if let Ok(statements) = Parser::parse_sql(&PostgreSqlDialect {}, text) {
            for statement in statements {
                let _ = statement.visit(&mut Collect(&mut refs));
            }
        }
        refs
    }

    /// The columns named, resolved to relations. `home` is the table the
    /// expression is evaluated on (a policy's or trigger's table; its name,
    /// `new` and `old` qualify it): an unqualified column is its column when
    /// it has one. Otherwise an unqualified column is attributed to every
    /// referenced relation that has such a column (`has_column`), which
    /// over-approximates rather than misses a dependency.
    pub fn resolved_columns(
        &self,
        home: Option<&QualName>,
        has_column: impl Fn(&QualName, &Ident) -> bool,
    ) -> BTreeSet<(QualName, Ident)> {
        let mut out = BTreeSet::new();
        for column in &self.columns {
            match &column.qualifier {
                Some(q) => {
                    let target = self.aliases.get(q).cloned().or_else(|| {
                        home.filter(|h| &h.name == q || q.as_str() == "new" || q.as_str() == "old")
                            .cloned()
                    });
                    if let Some(t) = target {
                        out.insert((t, column.name.clone()));
                    }
                }
                None => {
                    if let Some(h) = home.filter(|h| has_column(h, &column.name)) {
                        out.insert((h.clone(), column.name.clone()));
                        continue;
                    }
                    for relation in &self.relations {
                        if has_column(relation, &column.name) {
                            out.insert((relation.clone(), column.name.clone()));
                        }
                    }
                }
            }
        }
        out
    }
}

struct Collect<'a>(&'a mut Refs);

impl Visitor for Collect<'_> {
    type Break = ();

    fn pre_visit_relation(&mut self, relation: &ast::ObjectName) -> ControlFlow<()> {
        if let Some(name) = QualName::from_ast(relation) {
            self.0.relations.insert(name);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, factor: &ast::TableFactor) -> ControlFlow<()> {
        if let ast::TableFactor::Table { name, alias, .. } = factor
            && let Some(qualified) = QualName::from_ast(name)
        {
            let key = match alias {
                Some(alias) => Ident::from_ast(&alias.name),
                None => qualified.name.clone(),
            };
            self.0.aliases.insert(key, qualified);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, expr: &ast::Expr) -> ControlFlow<()> {
        match expr {
            ast::Expr::Function(f) => {
                if let Some(name) = QualName::from_ast(&f.name) {
                    let args = match &f.args {
                        ast::FunctionArguments::None => 0,
                        ast::FunctionArguments::Subquery(_) => 1,
                        ast::FunctionArguments::List(list) => list.args.len(),
                    };
                    self.0.calls.insert((name.clone(), args));
                    self.0.functions.insert(name);
                }
            }
            ast::Expr::Identifier(id) => {
                self.0.columns.insert(ColumnRef {
                    qualifier: None,
                    name: Ident::from_ast(id),
                });
            }
            ast::Expr::CompoundIdentifier(ids) if ids.len() >= 2 => {
                let n = ids.len();
                self.0.columns.insert(ColumnRef {
                    qualifier: Some(Ident::from_ast(&ids[n - 2])),
                    name: Ident::from_ast(&ids[n - 1]),
                });
            }
            ast::Expr::Cast { data_type, .. } => {
                if let ast::DataType::Custom(name, _) = data_type
                    && name.0.len() == 2
                    && let Some(name) = QualName::from_ast(name)
                {
                    self.0.types.insert(name);
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> QualName {
        QualName::from(s)
    }

    #[test]
    fn policy_expression_with_subquery() {
        let e = Expr::parse(
            "org_id IN (SELECT m.org_id FROM core.memberships m WHERE m.user_id = (SELECT auth.uid())) AND core.is_admin(org_id)",
        )
        .unwrap();
        let refs = Refs::of_expr(&e);
        assert_eq!(
            refs.functions,
            [q("auth.uid"), q("core.is_admin")].into_iter().collect()
        );
        assert_eq!(
            refs.relations,
            [q("core.memberships")].into_iter().collect()
        );
        let home = q("core.shows");
        let cols = refs.resolved_columns(Some(&home), |t, c| {
            (t == &home && c.as_str() == "org_id")
                || (t.name.as_str() == "memberships" && c.as_str() != "title")
        });
        assert_eq!(
            cols,
            [
                (q("core.memberships"), Ident::new("org_id")),
                (q("core.memberships"), Ident::new("user_id")),
                (q("core.shows"), Ident::new("org_id")),
            ]
            .into_iter()
            .collect()
        );
    }

    #[test]
    fn view_query_joins_aliases_and_casts() {
        let v = Query::parse(
            "select s.id, s.title, o.name from core.shows s join core.orgs as o on o.id = s.org_id where s.status = 'active'::core.show_status",
        )
        .unwrap();
        let refs = Refs::of_query(&v);
        assert_eq!(
            refs.relations,
            [q("core.orgs"), q("core.shows")].into_iter().collect()
        );
        assert_eq!(refs.types, [q("core.show_status")].into_iter().collect());
        let cols = refs.resolved_columns(None, |_, _| true);
        assert!(cols.contains(&(q("core.shows"), Ident::new("status"))));
        assert!(cols.contains(&(q("core.orgs"), Ident::new("name"))));
        assert!(!cols.contains(&(q("core.orgs"), Ident::new("status"))));
    }

    #[test]
    fn trigger_when_uses_new_and_old() {
        let e = Expr::parse("old.title IS DISTINCT FROM new.title").unwrap();
        let home = q("core.shows");
        let cols = Refs::of_expr(&e).resolved_columns(Some(&home), |_, _| false);
        assert_eq!(
            cols,
            [(home.clone(), Ident::new("title"))].into_iter().collect()
        );
    }

    #[test]
    fn sql_function_bodies_and_garbage() {
        let refs = Refs::of_sql(
            "select exists (select 1 from core.memberships where user_id = auth.uid())",
        );
        assert!(refs.relations.contains(&q("core.memberships")));
        assert!(refs.functions.contains(&q("auth.uid")));
        assert_eq!(Refs::of_sql("begin new.x := 1; end"), Refs::default());
    }
}
