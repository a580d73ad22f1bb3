//! Tables: created whole (foreign keys apart, so cycles work), dropped whole,
//! or compared column by column and constraint by constraint.

use super::{Change, Ctx, Fresh, columns, constraints};
use schema::{ConstraintKind, QualName};
use std::collections::BTreeSet;

/// Returns the columns (and what they take with them) recreated in place.
pub(super) fn diff(ctx: &Ctx, out: &mut Vec<Change>) -> Fresh {
    for (name, want) in &ctx.desired.tables {
        if ctx.current.tables.contains_key(name) {
            continue;
        }
        let mut inline = want.clone();
        inline
            .constraints
            .retain(|_, c| !matches!(c.kind, ConstraintKind::ForeignKey(_)));
        out.push(Change::CreateTable(inline));
        for constraint in want.constraints.values() {
            if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                out.push(Change::AddConstraint {
                    table: name.clone(),
                    constraint: constraint.clone(),
                });
            }
        }
    }

    let dropped: BTreeSet<&QualName> = ctx
        .current
        .tables
        .keys()
        .filter(|n| !ctx.desired.tables.contains_key(*n))
        .collect();
    for name in &dropped {
        let mut have = ctx.current.tables[*name].clone();
        // Foreign keys between two dropped tables go first, on their own,
        // so that a cycle of references can be dropped.
        let separate: Vec<_> = have
            .constraints
            .values()
            .filter(|c| match &c.kind {
                ConstraintKind::ForeignKey(fk) => {
                    &fk.ref_table != *name && dropped.contains(&fk.ref_table)
                }
                _ => false,
            })
            .cloned()
            .collect();
        for constraint in separate {
            have.constraints.remove(&constraint.name);
            out.push(Change::DropConstraint {
                table: (*name).clone(),
                constraint,
                replaced: false,
            });
        }
        out.push(Change::DropTable(have));
    }

    let mut fresh = Fresh::default();
    let changing_keys = constraints::changing_keys(ctx);
    for (name, want) in &ctx.desired.tables {
        if let Some(have) = ctx.current.tables.get(name) {
            columns::diff(ctx, have, want, &mut fresh, out);
            constraints::diff(have, want, &fresh, &changing_keys, out);
        }
    }
    fresh
}
