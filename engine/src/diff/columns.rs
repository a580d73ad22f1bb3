//! Columns of a table that exists on both sides.
//!
//! Changes to one column are emitted in the order PostgreSQL needs them
//! (identity off before a default goes on, NOT NULL before identity), and
//! the plan keeps that order for changes on the same column.

use super::{Change, Ctx, Fresh, helpers};
use schema::{Column, Constraint, QualName, Table};

fn validated(table: &QualName, mut check: Constraint) -> Change {
    check.not_valid = false;
    Change::ValidateConstraint {
        table: table.clone(),
        constraint: check,
    }
}

pub(super) fn diff(
    ctx: &Ctx,
    have: &Table,
    want: &Table,
    fresh: &mut Fresh,
    out: &mut Vec<Change>,
) {
    let table = &want.name;
    for column in &want.columns {
        let Some(old) = have.column(&column.name) else {
            out.push(Change::AddColumn {
                table: table.clone(),
                column: column.clone(),
            });
            continue;
        };
        let mut old = old.clone();
        if old.generated.is_some() && column.generated.is_none() {
            out.push(Change::DropGenerated {
                table: table.clone(),
                column: old.clone(),
                from: old.generated.take().expect("checked"),
            });
        }
        if column.generated.is_some() && column.generated != old.generated {
            out.push(Change::RecreateColumn {
                table: table.clone(),
                from: old.clone(),
                to: column.clone(),
                destroys_data: old.generated.is_none(),
            });
            fresh.columns.insert((table.clone(), column.name.clone()));
            for index in ctx.current.indexes_on(table) {
                if super::indexes::mentions(index, &column.name) {
                    fresh.indexes.insert(index.name.clone());
                }
            }
            continue;
        }
        alter(have, &old, column, out);
    }
    let in_key = |c: &Column| {
        have.primary_key
            .as_ref()
            .is_some_and(|pk| pk.columns.contains(&c.name))
    };
    for column in &have.columns {
        if want.column(&column.name).is_none() {
            let mut column = column.clone();
            // The new application stops writing the column before contract
            // drops it: NOT NULL without a default would refuse its rows.
            if !column.nullable
                && column.default.is_none()
                && column.identity.is_none()
                && column.generated.is_none()
                && !in_key(&column)
            {
                out.push(Change::DropNotNull {
                    table: table.clone(),
                    column: column.name.clone(),
                });
                column.nullable = true;
            }
            out.push(Change::DropColumn {
                table: table.clone(),
                column,
            });
        }
    }
}

fn alter(have: &Table, old: &Column, new: &Column, out: &mut Vec<Change>) {
    let table = &have.name;
    let col = || new.name.clone();
    let t = || table.clone();
    if let (Some(from), None) = (old.identity, new.identity) {
        out.push(Change::DropIdentity {
            table: t(),
            column: col(),
            identity: from,
        });
    }
    // A default comes off before a type change and goes back on after it:
    // PostgreSQL keeps the old expression with a cast to the old type
    // (`'open'::character varying` on a column now `text`), which cannot
    // be cast along at all for an enum label, and which Expr's
    // normalization no longer shows, so the column would not read back as
    // created with its new type.
    let retype = old.ty != new.ty && old.default.is_some();
    let old_default = if retype { None } else { old.default.clone() };
    if let (Some(from), true) = (&old.default, new.default.is_none() || retype) {
        out.push(Change::DropDefault {
            table: t(),
            column: col(),
            from: from.clone(),
        });
    }
    if old.ty != new.ty {
        out.push(Change::AlterColumnType {
            table: t(),
            column: col(),
            from: old.ty.clone(),
            to: new.ty.clone(),
        });
    }
    if !old.nullable && new.nullable {
        out.push(Change::DropNotNull {
            table: t(),
            column: col(),
        });
    }
    if let Some(to) = &new.default
        && old_default.as_ref() != Some(to)
    {
        out.push(Change::SetDefault {
            table: t(),
            column: col(),
            from: old_default.clone(),
            to: to.clone(),
        });
    }
    // After the default: SET NOT NULL waits for cutover, a default need not.
    if old.nullable && !new.nullable {
        // Through a check: `ADD … NOT VALID` (expand), `VALIDATE` (a scan
        // that does not block writes), then `SET NOT NULL` sees the valid
        // check and skips its own scan under ACCESS EXCLUSIVE. A check left
        // by an earlier plan is taken up where it stands.
        let check = helpers::not_null_check(table, &new.name);
        match have
            .constraints
            .get(&check.name)
            .filter(|c| helpers::is_not_null_check(table, &new.name, c))
        {
            None => {
                if let Some(other) = have.constraints.get(&check.name) {
                    // Same name, other definition: not ours to trust.
                    out.push(Change::DropConstraint {
                        table: t(),
                        constraint: other.clone(),
                        replaced: true,
                    });
                }
                out.push(Change::AddConstraint {
                    table: t(),
                    constraint: check.clone(),
                });
                out.push(validated(table, check));
            }
            Some(found) if found.not_valid => out.push(validated(table, check)),
            Some(_) => {}
        }
        out.push(Change::SetNotNull {
            table: t(),
            column: col(),
        });
    }
    match (old.identity, new.identity) {
        (None, Some(identity)) => out.push(Change::AddIdentity {
            table: t(),
            column: col(),
            identity,
        }),
        (Some(from), Some(to)) if from != to => out.push(Change::SetIdentity {
            table: t(),
            column: col(),
            from,
            to,
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::{diff, test_support::*};
    use schema::{Expr, Identity};

    fn one(columns: Vec<schema::Column>) -> schema::Catalog {
        let mut t = table("core.t", &[]);
        t.columns = columns;
        catalog(&["core"], vec![t])
    }

    #[test]
    fn alterations_come_in_the_order_postgres_needs() {
        let mut old = col("n", "integer");
        old.default = Some(Expr::canonical("0"));
        old.nullable = true;
        let mut new = col("n", "bigint");
        new.identity = Some(Identity::Always);
        let changes = diff(&one(vec![old]), &one(vec![new]), &core());
        assert_eq!(
            brief(&changes),
            [
                "drop default n",
                "type n bigint",
                "add constraint t_n_trr_not_null not valid",
                "validate constraint t_n_trr_not_null",
                "set not null n",
                "add identity n"
            ]
        );
    }

    #[test]
    fn generated_columns_keep_or_lose_their_values() {
        let plain = col("g", "integer");
        let mut gen1 = col("g", "integer");
        gen1.generated = Some(Expr::canonical("a + 1"));
        let mut gen2 = gen1.clone();
        gen2.generated = Some(Expr::canonical("a + 2"));
        let a = || col("a", "integer");
        let d = |x: &schema::Column, y: &schema::Column| {
            brief(&diff(
                &one(vec![a(), x.clone()]),
                &one(vec![a(), y.clone()]),
                &core(),
            ))
        };
        assert_eq!(d(&gen1, &gen2), ["recreate g destroys=false"]);
        assert_eq!(d(&plain, &gen1), ["recreate g destroys=true"]);
        assert_eq!(d(&gen1, &plain), ["drop generated g"]);
    }

    #[test]
    fn added_and_dropped_columns() {
        let changes = diff(
            &one(vec![col("a", "text")]),
            &one(vec![col("b", "text")]),
            &core(),
        );
        // `a` is NOT NULL without a default: the new application could
        // not insert rows without it before contract drops it.
        assert_eq!(
            brief(&changes),
            [
                "add column core.t.b",
                "drop not null a",
                "drop column core.t.a"
            ]
        );
        let mut nullable = col("a", "text");
        nullable.nullable = true;
        let changes = diff(&one(vec![nullable]), &one(vec![]), &core());
        assert_eq!(brief(&changes), ["drop column core.t.a"]);
    }

    #[test]
    fn set_not_null_goes_through_a_check_and_resumes_where_it_stands() {
        let mut old = col("n", "integer");
        old.nullable = true;
        let new = col("n", "integer");
        let with_check = |not_valid: bool| {
            let mut c = one(vec![old.clone()]);
            let t = c.tables.get_mut(&qn("core.t")).unwrap();
            let mut check = crate::diff::helpers::not_null_check(&qn("core.t"), &id("n"));
            check.not_valid = not_valid;
            t.constraints.insert(check.name.clone(), check);
            c
        };
        let desired = one(vec![new]);
        assert_eq!(
            brief(&diff(&with_check(true), &desired, &core())),
            ["validate constraint t_n_trr_not_null", "set not null n"]
        );
        assert_eq!(
            brief(&diff(&with_check(false), &desired, &core())),
            ["set not null n"]
        );
        // Once the column is NOT NULL a left-over check is an ordinary one.
        let mut done = with_check(false);
        done.tables.get_mut(&qn("core.t")).unwrap().columns[0].nullable = false;
        assert_eq!(
            brief(&diff(&done, &desired, &core())),
            ["drop constraint t_n_trr_not_null replaced=false"]
        );
    }
}

#[cfg(test)]
mod retype_tests {
    use super::super::{diff, test_support::*};
    use schema::Expr;

    #[test]
    fn defaults_step_aside_for_a_type_change_to_an_enum() {
        let mut old = col("s", "text");
        old.default = Some(Expr::canonical("'a'::text"));
        let mut new = col("s", "core.e");
        new.default = Some(Expr::canonical("'a'::core.e"));
        let one = |c: schema::Column| {
            let mut t = table("core.t", &[]);
            t.columns = vec![c];
            catalog(&["core"], vec![t])
        };
        assert_eq!(
            brief(&diff(&one(old), &one(new), &core())),
            [
                "drop default s",
                "type s core.e",
                "set default s 'a'::core.e"
            ]
        );
    }

    #[test]
    fn any_default_is_set_again_around_a_type_change() {
        let mut old = col("s", "character varying(20)");
        old.default = Some(Expr::canonical("'open'"));
        let mut new = col("s", "text");
        new.default = Some(Expr::canonical("'open'"));
        let one = |c: schema::Column| {
            let mut t = table("core.t", &[]);
            t.columns = vec![c];
            catalog(&["core"], vec![t])
        };
        assert_eq!(
            brief(&diff(&one(old), &one(new), &core())),
            ["drop default s", "type s text", "set default s 'open'"]
        );
    }
}
