//! Triggers of tables in the managed schemas. A changed trigger is
//! `CREATE OR REPLACE TRIGGER` (PostgreSQL 14+); one whose function is
//! recreated, or whose `WHEN` uses a retyped column, is dropped and created.

use super::dependents::Forced;
use super::{Change, Ctx};
use schema::TriggerKey;
use std::collections::BTreeSet;

pub(super) fn diff(ctx: &Ctx, forced: &Forced, out: &mut Vec<Change>) {
    let current = &ctx.current.triggers;
    let desired = &ctx.desired.triggers;
    let keys: BTreeSet<&TriggerKey> = current.keys().chain(desired.keys()).collect();
    for key in keys {
        match (current.get(key), desired.get(key)) {
            (None, Some(want)) => out.push(Change::CreateTrigger(want.clone())),
            // A dropped table takes its triggers with it.
            (Some(have), None) if ctx.desired.tables.contains_key(&key.0) => {
                out.push(Change::DropTrigger {
                    trigger: have.clone(),
                    replaced: false,
                })
            }
            // PostgreSQL has no CREATE OR REPLACE CONSTRAINT TRIGGER.
            (Some(have), Some(want))
                if forced.triggers.contains(key)
                    || (have != want
                        && (have.constraint.is_some() || want.constraint.is_some())) =>
            {
                out.push(Change::DropTrigger {
                    trigger: have.clone(),
                    replaced: true,
                });
                out.push(Change::CreateTrigger(want.clone()));
            }
            (Some(have), Some(want))
                if have != want
                    && !super::same_loosely(
                        &super::holding(None, Some(have), None),
                        &super::holding(None, Some(want), None),
                    ) =>
            {
                out.push(Change::ReplaceTrigger {
                    from: have.clone(),
                    to: want.clone(),
                })
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};

    #[test]
    fn replaced_in_place_or_recreated_with_its_function() {
        let t = table("core.t", &[("a", "integer")]);
        let f = function("core.touch", &[], "trigger", "begin return new; end;");
        let tr = trigger("core.t", "t_touch", "core.touch");
        let mut tr2 = tr.clone();
        tr2.for_each_row = false;
        let d = |fc: &schema::Function,
                 fd: &schema::Function,
                 a: &schema::Trigger,
                 b: &schema::Trigger| {
            let mut c = with_functions(vec![fc.clone()]);
            c.tables.insert(t.name.clone(), t.clone());
            c.triggers.insert(a.key(), a.clone());
            let mut w = with_functions(vec![fd.clone()]);
            w.tables.insert(t.name.clone(), t.clone());
            w.triggers.insert(b.key(), b.clone());
            brief(&diff(&c, &w, &core()))
        };
        assert_eq!(d(&f, &f, &tr, &tr2), ["replace trigger t_touch on core.t"]);
        // No CREATE OR REPLACE for constraint triggers: dropped, created.
        let mut tc = tr.clone();
        tc.timing = schema::TriggerTiming::After;
        tc.constraint = Some(schema::Deferral::NotDeferrable);
        let mut tc2 = tc.clone();
        tc2.constraint = Some(schema::Deferral::DeferrableInitiallyDeferred);
        assert_eq!(
            d(&f, &f, &tc, &tc2),
            [
                "drop trigger t_touch on core.t replaced=true",
                "create trigger t_touch on core.t"
            ]
        );
        let mut f2 = f.clone();
        f2.returns = schema::FunctionReturn::Type { ty: ty("integer") };
        assert_eq!(
            d(&f, &f2, &tr, &tr),
            [
                "drop function core.touch() replaced=true",
                "create function core.touch() replaces=true",
                "drop trigger t_touch on core.t replaced=true",
                "create trigger t_touch on core.t",
            ]
        );
    }
}
