//! Functions, matched by identity (name and input argument types).

use super::{Change, Ctx, RoutineComment};
use schema::{ArgMode, Function, FunctionId};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    Create,
    /// `CREATE OR REPLACE` in place.
    Replace,
    /// Drop and create again: the signature changed in a way PostgreSQL
    /// does not accept in place. Dependents are recreated around it.
    Recreate,
    Drop,
    /// Only the comment differs (or nothing).
    Keep,
}

/// What happens to every function in either Catalog.
pub(crate) fn classify(ctx: &Ctx) -> BTreeMap<FunctionId, Fate> {
    let mut out = BTreeMap::new();
    for (id, want) in &ctx.desired.functions {
        let fate = match ctx.current.functions.get(id) {
            None => Fate::Create,
            Some(have) if same_definition(have, want) => Fate::Keep,
            Some(have) if replaceable(have, want) => Fate::Replace,
            Some(_) => Fate::Recreate,
        };
        out.insert(id.clone(), fate);
    }
    for id in ctx.current.functions.keys() {
        out.entry(id.clone()).or_insert(Fate::Drop);
    }
    out
}

fn same_definition(a: &Function, b: &Function) -> bool {
    Function {
        comment: None,
        ..a.clone()
    } == Function {
        comment: None,
        ..b.clone()
    }
}

/// Whether `CREATE OR REPLACE FUNCTION` turns `from` into `to`:
/// PostgreSQL refuses to change the return type (OUT parameters included),
/// argument modes, the name of an input argument, or to remove a default.
pub(crate) fn replaceable(from: &Function, to: &Function) -> bool {
    if from.returns != to.returns || from.args.len() != to.args.len() {
        return false;
    }
    let defaults = |f: &Function| f.args.iter().filter(|a| a.default.is_some()).count();
    if defaults(to) < defaults(from) {
        return false;
    }
    from.args.iter().zip(&to.args).all(|(a, b)| {
        let input = a.mode != ArgMode::Out;
        a.mode == b.mode
            && a.ty == b.ty
            && (a.mode != ArgMode::Out || a.name == b.name)
            && (!input || a.name.is_none() || a.name == b.name)
    })
}

pub(super) fn diff(ctx: &Ctx, fates: &BTreeMap<FunctionId, Fate>, out: &mut Vec<Change>) {
    for (id, fate) in fates {
        let have = ctx.current.functions.get(id);
        let want = ctx.desired.functions.get(id);
        match (fate, have, want) {
            (Fate::Create, _, Some(want)) => out.push(Change::CreateFunction {
                function: want.clone(),
                replaces: None,
            }),
            (Fate::Replace, Some(have), Some(want)) => {
                out.push(Change::ReplaceFunction {
                    from: have.clone(),
                    to: want.clone(),
                });
                comment(id, have, want, out);
            }
            (Fate::Recreate, Some(have), Some(want)) => {
                out.push(Change::DropFunction {
                    function: have.clone(),
                    replaced: true,
                });
                out.push(Change::CreateFunction {
                    function: want.clone(),
                    replaces: Some(have.clone()),
                });
            }
            (Fate::Drop, Some(have), _) => out.push(Change::DropFunction {
                function: have.clone(),
                replaced: false,
            }),
            (Fate::Keep, Some(have), Some(want)) => comment(id, have, want, out),
            _ => {}
        }
    }
}

fn comment(id: &FunctionId, have: &Function, want: &Function, out: &mut Vec<Change>) {
    if have.comment != want.comment {
        out.push(Change::SetRoutineComment {
            target: RoutineComment::Function(id.clone()),
            from: have.comment.clone(),
            to: want.comment.clone(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use super::*;
    use schema::Expr;

    #[test]
    fn replace_when_postgres_allows_it_else_recreate() {
        let base = function("core.f", &[("a", "uuid")], "boolean", "select true");
        let mut body = base.clone();
        body.body = "select false".into();
        body.security_definer = true;
        assert!(replaceable(&base, &body));
        let mut renamed = base.clone();
        renamed.args[0].name = Some(id("b"));
        assert!(!replaceable(&base, &renamed));
        let mut returns = base.clone();
        returns.returns = schema::FunctionReturn::Type { ty: ty("integer") };
        assert!(!replaceable(&base, &returns));
        let mut defaulted = base.clone();
        defaulted.args[0].default = Some(Expr::canonical("NULL"));
        assert!(replaceable(&base, &defaulted));
        assert!(
            !replaceable(&defaulted, &base),
            "a default cannot be removed"
        );
    }

    #[test]
    fn created_replaced_recreated_dropped() {
        let f = function("core.f", &[("a", "uuid")], "boolean", "select true");
        let g = function("core.g", &[], "integer", "select 1");
        let gone = function("core.gone", &[], "integer", "select 1");
        let mut f2 = f.clone();
        f2.body = "select false".into();
        let mut g2 = g.clone();
        g2.returns = schema::FunctionReturn::Type { ty: ty("bigint") };
        let new = function("core.new", &[], "integer", "select 2");
        let current = with_functions(vec![f, g, gone]);
        let desired = with_functions(vec![f2, g2, new]);
        assert_eq!(
            brief(&diff(&current, &desired, &core())),
            [
                "replace function core.f(uuid)",
                "drop function core.g() replaced=true",
                "create function core.g() replaces=true",
                "drop function core.gone() replaced=false",
                "create function core.new() replaces=false",
            ]
        );
    }
}
