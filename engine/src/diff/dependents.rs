//! Objects that must be dropped and recreated around a change PostgreSQL
//! refuses while they exist: a function dropped and created again (its
//! triggers, the policies, views and column defaults that call it), a view
//! recreated (the views and policies that read it), a column whose type
//! changes (the views, policies and trigger conditions that use it).
//!
//! References are read from the *current* definitions (what the database
//! holds when the plan runs) with [`schema::refs`].

use super::{Change, Ctx, functions, views};
use schema::refs::Refs;
use schema::{Catalog, FunctionId, Ident, PolicyKey, QualName, TriggerKey};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub(crate) struct Forced {
    pub views: BTreeSet<QualName>,
    pub policies: BTreeSet<PolicyKey>,
    pub triggers: BTreeSet<TriggerKey>,
    /// Columns whose (unchanged) default calls a recreated function.
    pub defaults: BTreeSet<(QualName, Ident)>,
    /// Check constraints (unchanged) that call a recreated function.
    pub checks: BTreeSet<(QualName, Ident)>,
}

/// Whether `relation` in `catalog` has `column` (tables, and views that
/// list their columns).
pub(crate) fn has_column(catalog: &Catalog, relation: &QualName, column: &Ident) -> bool {
    if let Some(t) = catalog.tables.get(relation) {
        return t.column(column).is_some();
    }
    catalog
        .views
        .get(relation)
        .is_some_and(|v| v.columns.contains(column))
}

/// Columns an expression or query uses, resolved against `catalog`.
pub(crate) fn columns_used(
    refs: &Refs,
    home: Option<&QualName>,
    catalog: &Catalog,
) -> BTreeSet<(QualName, Ident)> {
    refs.resolved_columns(home, |t, c| has_column(catalog, t, c))
}

/// Everything a policy references, both expressions together.
pub(crate) fn policy_refs(policy: &schema::Policy) -> Refs {
    let mut refs = Refs::default();
    for e in policy.using.iter().chain(&policy.check) {
        merge(&mut refs, Refs::of_expr(e));
    }
    refs
}

pub(crate) fn merge(into: &mut Refs, from: Refs) {
    into.functions.extend(from.functions);
    into.relations.extend(from.relations);
    into.types.extend(from.types);
    into.columns.extend(from.columns);
    into.aliases.extend(from.aliases);
}

pub(super) fn forced(
    ctx: &Ctx,
    changes: &[Change],
    function_fates: &BTreeMap<FunctionId, functions::Fate>,
    view_fates: &BTreeMap<QualName, views::Fate>,
) -> Forced {
    let current = ctx.full_current;
    let retyped: BTreeSet<(QualName, Ident)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::AlterColumnType { table, column, .. } => Some((table.clone(), column.clone())),
            Change::RecreateColumn { table, to, .. } => Some((table.clone(), to.name.clone())),
            _ => None,
        })
        .collect();
    let functions: BTreeSet<QualName> = function_fates
        .iter()
        .filter(|(_, f)| **f == functions::Fate::Recreate)
        .map(|(id, _)| id.name.clone())
        .collect();
    let mut gone_views: BTreeSet<QualName> = view_fates
        .iter()
        .filter(|(_, f)| matches!(f, views::Fate::Recreate | views::Fate::Drop))
        .map(|(n, _)| n.clone())
        .collect();
    let touches = |refs: &Refs, home: Option<&QualName>, gone_views: &BTreeSet<QualName>| {
        refs.functions.iter().any(|f| functions.contains(f))
            || refs.relations.iter().any(|r| gone_views.contains(r))
            || columns_used(refs, home, current)
                .iter()
                .any(|c| retyped.contains(c))
    };

    let mut out = Forced::default();
    // Views reading recreated views are recreated too, transitively.
    loop {
        let mut grew = false;
        for (name, have) in &ctx.current.views {
            if gone_views.contains(name) || !ctx.desired.views.contains_key(name) {
                continue;
            }
            if touches(&Refs::of_query(&have.query), None, &gone_views) {
                out.views.insert(name.clone());
                gone_views.insert(name.clone());
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    for (key, have) in &current.policies {
        // Policies going away count too: a renamed one must not be kept.
        if super::policies::in_scope(ctx, &key.0) {
            let refs = policy_refs(have);
            if touches(&refs, Some(&key.0), &gone_views) {
                out.policies.insert(key.clone());
            }
        }
    }
    for (key, have) in &ctx.current.triggers {
        if !ctx.desired.triggers.contains_key(key) {
            continue;
        }
        let when = have.when.as_ref().map(Refs::of_expr).unwrap_or_default();
        if functions.contains(&have.function) || touches(&when, Some(&key.0), &gone_views) {
            out.triggers.insert(key.clone());
        }
    }
    for (name, have) in &ctx.current.tables {
        let Some(want) = ctx.desired.tables.get(name) else {
            continue;
        };
        for (cname, constraint) in &have.constraints {
            if let schema::ConstraintKind::Check { expr, .. } = &constraint.kind
                && want.constraints.get(cname) == Some(constraint)
                && Refs::of_expr(expr)
                    .functions
                    .iter()
                    .any(|f| functions.contains(f))
            {
                out.checks.insert((name.clone(), cname.clone()));
            }
        }
        for column in &have.columns {
            let Some(default) = &column.default else {
                continue;
            };
            let unchanged = want
                .column(&column.name)
                .is_some_and(|w| w.default.as_ref() == Some(default) && w.ty == column.ty);
            if unchanged
                && Refs::of_expr(default)
                    .functions
                    .iter()
                    .any(|f| functions.contains(f))
            {
                out.defaults.insert((name.clone(), column.name.clone()));
            }
        }
    }
    out
}

/// Column defaults and check constraints that call a recreated function
/// come off before it is dropped and go back on after it is created.
pub(super) fn defaults(ctx: &Ctx, forced: &Forced, out: &mut Vec<Change>) {
    for (table, name) in &forced.checks {
        let constraint = ctx.current.tables[table].constraints[name].clone();
        out.push(Change::DropConstraint {
            table: table.clone(),
            constraint: constraint.clone(),
            replaced: true,
        });
        out.push(Change::AddConstraint {
            table: table.clone(),
            constraint,
        });
    }
    for (table, column) in &forced.defaults {
        let default = ctx.current.tables[table]
            .column(column)
            .and_then(|c| c.default.clone())
            .expect("forced defaults exist");
        out.push(Change::DropDefault {
            table: table.clone(),
            column: column.clone(),
            from: default.clone(),
        });
        out.push(Change::SetDefault {
            table: table.clone(),
            column: column.clone(),
            from: None,
            to: default,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::PolicyCommand;

    #[test]
    fn a_retyped_column_recreates_what_uses_it_and_only_that() {
        let t = table("core.t", &[("a", "integer"), ("b", "text")]);
        let uses_a = view("core.va", "select a from core.t");
        let uses_b = view("core.vb", "select b from core.t");
        let on_va = view("core.vva", "select a from core.va");
        let pa = policy(
            "core.t",
            "pa",
            PolicyCommand::Select,
            &["authenticated"],
            Some("a > 0"),
            None,
        );
        let pb = policy(
            "core.t",
            "pb",
            PolicyCommand::Select,
            &["authenticated"],
            Some("b <> ''"),
            None,
        );
        let build = |t: schema::Table| {
            let mut c = with_views(vec![t], vec![uses_a.clone(), uses_b.clone(), on_va.clone()]);
            for p in [&pa, &pb] {
                c.policies.insert(p.key(), p.clone());
            }
            c
        };
        let mut retyped = t.clone();
        retyped.columns[0].ty = ty("bigint");
        let changes = brief(&diff(&build(t), &build(retyped), &core()));
        assert_eq!(
            changes,
            [
                "type a bigint",
                "drop view core.va replaced=true",
                "create view core.va",
                "drop view core.vva replaced=true",
                "create view core.vva",
                "drop policy pa on core.t replaced=true",
                "create policy pa on core.t replaces=true",
            ]
        );
    }
}
