//! Declarations as read from the files, with the places they were written.
//! Reading fills these per file; [`super::validate`] merges them into a
//! Catalog once every file is read, because references, primary keys and
//! derived names cross files.

use super::default_privileges::DefaultPrivEdit;
use super::errors::Loc;
use super::function::FunctionDecl;
use super::grant::GrantEdit;
use super::macros::access::AccessDecl;
use super::policy::PolicyDecl;
use super::trigger::TriggerDecl;
use super::view::ViewDecl;
use crate::catalog::{Column, Deferral, FkAction, Index};
use crate::expr::Expr;
use crate::ident::{Ident, QualName};

#[derive(Debug, Default)]
pub struct Decls {
    pub schemas: Vec<SchemaDecl>,
    pub extensions: Vec<ExtensionDecl>,
    pub enums: Vec<EnumDecl>,
    pub tables: Vec<TableDecl>,
    pub functions: Vec<FunctionDecl>,
    pub views: Vec<ViewDecl>,
    /// Top-level policies (`policy … on=table`).
    pub policies: Vec<PolicyDecl>,
    /// Top-level `default-privileges` (global) and those in `schema`
    /// blocks, in the order read.
    pub default_privileges: Vec<DefaultPrivEdit>,
    /// Renames, backfills, conversions and approvals, collected as read.
    pub intents: crate::Intents,
    /// `approve` names, each with where it was first written (for the
    /// duplicate check); moved into `intents.approvals` once all is read.
    pub approvals: std::collections::BTreeMap<String, Loc>,
}

#[derive(Debug)]
pub struct SchemaDecl {
    pub name: Ident,
    pub at: Loc,
    /// Where the name is written.
    pub name_at: Loc,
    pub comment: Option<String>,
    pub grants: Vec<GrantEdit>,
}

#[derive(Debug)]
pub struct ExtensionDecl {
    pub name: Ident,
    pub at: Loc,
    pub schema: Option<Ident>,
}

#[derive(Debug)]
pub struct EnumDecl {
    pub name: QualName,
    pub at: Loc,
    /// Where the name is written.
    pub name_at: Loc,
    pub values: Vec<(String, Loc)>,
    pub comment: Option<String>,
}

/// A name written somewhere.
#[derive(Clone, Debug)]
pub struct Named {
    pub name: Ident,
    pub at: Loc,
}

#[derive(Debug)]
pub struct TableDecl {
    pub name: QualName,
    pub at: Loc,
    /// Where the name is written.
    pub name_at: Loc,
    pub comment: Option<String>,
    pub columns: Vec<ColumnDecl>,
    pub primary_keys: Vec<KeyDecl>,
    pub uniques: Vec<UniqueDecl>,
    pub checks: Vec<CheckDecl>,
    pub foreign_keys: Vec<FkDecl>,
    pub indexes: Vec<IndexDecl>,
    /// `rls`: (forced, where).
    pub rls: Option<(bool, Loc)>,
    pub policies: Vec<PolicyDecl>,
    pub grants: Vec<GrantEdit>,
    pub triggers: Vec<TriggerDecl>,
    /// `timestamps` macro, where written.
    pub timestamps: Option<Loc>,
    pub access: Vec<AccessDecl>,
    /// `renamed-from=schema.old`, and where it is written.
    pub renamed_from: Option<(QualName, Loc)>,
    /// `compat-view=#true` (only with `renamed-from`).
    pub compat_view: bool,
}

#[derive(Debug)]
pub struct ColumnDecl {
    pub column: Column,
    pub at: Loc,
    /// Sequence name implied by a `serial` type.
    pub serial_sequence: Option<Ident>,
    /// `renamed-from=`, `backfill=`, `using=`: how existing rows reach it.
    pub intent: crate::intents::ColumnIntent,
    /// Where `renamed-from=` is written.
    pub renamed_at: Option<Loc>,
}

/// A primary key: table-level `primary-key` or column `primary-key=#true`.
#[derive(Debug)]
pub struct KeyDecl {
    pub name: Option<Named>,
    pub columns: Vec<Named>,
    pub at: Loc,
}

#[derive(Debug)]
pub struct UniqueDecl {
    pub name: Option<Named>,
    pub columns: Vec<Named>,
    pub nulls_not_distinct: bool,
    pub deferral: Deferral,
}

#[derive(Debug)]
pub struct CheckDecl {
    pub name: Option<Named>,
    pub expr: Expr,
    /// Where the expression is written.
    pub at: Loc,
    pub no_inherit: bool,
}

#[derive(Debug)]
pub struct FkDecl {
    pub name: Option<Named>,
    pub columns: Vec<Named>,
    pub ref_table: QualName,
    pub ref_at: Loc,
    /// Empty: the referenced table's primary key.
    pub ref_columns: Vec<Named>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub match_full: bool,
    pub deferral: Deferral,
    pub at: Loc,
}

#[derive(Debug)]
pub struct IndexDecl {
    /// Complete but for `name.schema`/`table`, which the table supplies.
    pub index: Index,
    pub at: Loc,
    /// Columns the index names directly (key columns and `include=`).
    pub columns: Vec<Named>,
}

/// `deferrable=` / `initially-deferred=`; initially deferred implies deferrable.
pub fn deferral(deferrable: bool, initially_deferred: bool) -> Deferral {
    match (deferrable, initially_deferred) {
        (_, true) => Deferral::DeferrableInitiallyDeferred,
        (true, false) => Deferral::DeferrableInitiallyImmediate,
        (false, false) => Deferral::NotDeferrable,
    }
}
