//! `ENABLE/DISABLE/FORCE/NO FORCE ROW LEVEL SECURITY` on tables of the
//! managed schemas, new tables included (CREATE TABLE leaves RLS off).

use super::{Change, Ctx};

pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) {
    for (name, want) in &ctx.desired.tables {
        let from = ctx
            .current
            .tables
            .get(name)
            .map_or((false, false), |t| (t.rls_enabled, t.rls_forced));
        let to = (want.rls_enabled, want.rls_forced);
        if from != to {
            out.push(Change::SetRls {
                table: name.clone(),
                from,
                to,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Change, diff, test_support::*};

    #[test]
    fn new_and_existing_tables() {
        let mut on = table("core.t", &[]);
        on.rls_enabled = true;
        let off = table("core.t", &[]);
        let changes = diff(
            &catalog(&["core"], vec![off.clone()]),
            &catalog(&["core"], vec![on.clone()]),
            &core(),
        );
        assert_eq!(
            changes,
            [Change::SetRls {
                table: qn("core.t"),
                from: (false, false),
                to: (true, false)
            }]
        );
        let changes = diff(
            &catalog(&["core"], vec![]),
            &catalog(&["core"], vec![on]),
            &core(),
        );
        assert_eq!(
            brief(&changes),
            [
                "create table core.t (0 constraints)",
                "rls core.t (true, false)"
            ]
        );
    }
}
