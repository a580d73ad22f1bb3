//! Compares a current and a desired Catalog into a list of [`Change`]s.
//!
//! Scope rules (the safe choices):
//! - Schemas, enums, tables and indexes are compared only inside the
//!   `managed` schemas; objects elsewhere are never created, changed or
//!   dropped. `public` is never created or dropped (it always exists).
//! - Extensions are global: one declared in `desired` is created (or moved
//!   to its declared schema); one missing from `desired` is dropped only when
//!   it lives in a managed schema (no schema counts as `public`), so an
//!   extension installed by the platform in an unmanaged schema survives.
//! - Enum labels can only be added (`ALTER TYPE … ADD VALUE`). Removing or
//!   reordering labels drops and recreates the type when no column in
//!   `current` uses it; otherwise it is an [`Change::UnsupportedEnumChange`]
//!   that the plan reports instead of guessing a type swap.
//! - Renames are out of scope: a renamed object is a drop plus a create.
//! - Column order is not compared (PostgreSQL cannot reorder columns).
//! - Security surface: RLS flags, functions, triggers, views, grants and
//!   default privileges follow the managed schemas like tables. Policies
//!   are the one exception: a policy on a table outside the managed schemas
//!   (`storage.objects`) is managed when the desired Catalog declares at
//!   least one policy on that table; then every policy on it is compared
//!   (created, altered or dropped). Without such a declaration the table's
//!   policies are the platform's business and never touched.
//! - Policies change in place (`ALTER POLICY`) when only roles, `USING` or
//!   `WITH CHECK` differ; a new command or permissiveness is a drop plus a
//!   create. A policy that only changed its name (dropped under one name,
//!   created under another on the same table, everything else equal) is
//!   `ALTER POLICY … RENAME TO` when the match is one to one; two policies
//!   with equal bodies on one table are legitimate, so an ambiguous match
//!   stays a drop plus a create.
//! - Functions are matched by identity (name and input argument types).
//!   `CREATE OR REPLACE` when PostgreSQL accepts it (same return type and
//!   OUT parameters, no input argument renamed, no default removed, same
//!   argument modes); otherwise drop and create, and the objects that call
//!   it (triggers, policies, views, column defaults, check constraints) are
//!   dropped before and recreated after ([`dependents`]).
//! - Views: `CREATE OR REPLACE VIEW` when the old select list is a prefix of
//!   the new one (columns only appended); otherwise, and always for
//!   materialized views, drop and create. Option-only changes are
//!   `ALTER VIEW … SET/RESET`. A view, policy or trigger that uses a column
//!   whose type changes (or a recreated view or function) is dropped before
//!   and recreated after it, as PostgreSQL refuses the change otherwise.
//! - Grants are compared per (object, grantee): what the object holds
//!   (for an object this plan creates: what the desired default privileges
//!   give it at creation) against what the desired Catalog says. Dropped
//!   objects take their grants with them (no REVOKE).

pub mod change;
mod columns;
mod comments;
mod constraints;
mod default_privileges;
pub(crate) mod dependents;
mod enums;
mod extensions;
mod functions;
mod grants;
pub(crate) mod helpers;
mod indexes;
mod policies;
mod rls;
mod schemas;
mod tables;
#[cfg(test)]
mod test_support;
mod triggers;
mod views;

pub use change::{Change, EnumPosition, RoutineComment};
pub(crate) use constraints::unique_index;
pub(crate) use grants::{compare as grant_delta, owned_sequences};
pub(crate) use indexes::columns as index_columns;
use schema::{Catalog, Ident, QualName};
use std::collections::BTreeSet;

/// The changes that turn `current` into `desired`, considering only objects
/// in `managed` schemas (everything else is never touched).
pub fn diff(current: &Catalog, desired: &Catalog, managed: &[Ident]) -> Vec<Change> {
    let ctx = Ctx {
        full_current: current,
        full_desired: desired,
        current: current.restricted_to(managed),
        desired: desired.restricted_to(managed),
        managed,
    };
    let mut out = Vec::new();
    schemas::diff(&ctx, &mut out);
    extensions::diff(&ctx, &mut out);
    let recreated_enums = enums::diff(&ctx, &mut out);
    let fresh = tables::diff(&ctx, &mut out);
    indexes::diff(&ctx, &fresh, &mut out);
    comments::diff(&ctx, &recreated_enums, &fresh, &mut out);
    let plan = functions::classify(&ctx);
    let views = views::classify(&ctx);
    let forced = dependents::forced(&ctx, &out, &plan, &views);
    functions::diff(&ctx, &plan, &mut out);
    dependents::defaults(&ctx, &forced, &mut out);
    views::diff(&ctx, &views, &forced, &mut out);
    triggers::diff(&ctx, &forced, &mut out);
    rls::diff(&ctx, &mut out);
    policies::diff(&ctx, &forced, &mut out);
    default_privileges::diff(&ctx, &mut out);
    grants::diff(&ctx, &mut out);
    out
}

/// `a` and `b` are the same up to how PostgreSQL deparses expressions
/// (casts on literals, `IN` lists as `= ANY (ARRAY[…])`, qualified
/// columns, a view's column list as output aliases): a policy, trigger or
/// view written in KDL equals the one pg_dump or a migration spells
/// differently, so it never shows as a perpetual change. Uses the replay's
/// loosening ([`crate::replay::compare::loosen`]).
pub(crate) fn same_loosely(a: &Catalog, b: &Catalog) -> bool {
    a == b || crate::replay::compare::loosen(a) == crate::replay::compare::loosen(b)
}

/// A Catalog holding one policy, trigger or view, for [`same_loosely`].
pub(crate) fn holding(
    policy: Option<&schema::Policy>,
    trigger: Option<&schema::Trigger>,
    view: Option<&schema::View>,
) -> Catalog {
    let mut c = Catalog::default();
    if let Some(p) = policy {
        c.policies.insert(p.key(), p.clone());
    }
    if let Some(t) = trigger {
        c.triggers.insert(t.key(), t.clone());
    }
    if let Some(v) = view {
        c.views.insert(v.name.clone(), v.clone());
    }
    c
}

/// Both Catalogs restricted to the managed schemas, plus the full current
/// one (enum usage is checked everywhere).
pub(crate) struct Ctx<'a> {
    pub full_current: &'a Catalog,
    pub full_desired: &'a Catalog,
    pub current: Catalog,
    pub desired: Catalog,
    pub managed: &'a [Ident],
}

/// Objects whose current incarnation disappears and comes back in this plan
/// (so their comments, indexes and constraints must be set again).
#[derive(Default)]
pub(crate) struct Fresh {
    /// Columns dropped and added again in one statement.
    pub columns: BTreeSet<(QualName, Ident)>,
    /// Indexes dropped (by the column recreation) that must be recreated.
    pub indexes: BTreeSet<QualName>,
}
