//! What the KDL says about *how* to reach the declared shape, beside the
//! shape itself: renames, values for existing rows, conversions, and
//! approvals of destructive steps. Kept out of the [`Catalog`](crate::Catalog)
//! because no database holds them: replay and introspection never produce
//! them, and the Catalogs they build must still compare equal to the KDL's.

use crate::{Expr, Ident, QualName};
use std::collections::{BTreeMap, BTreeSet};

/// The setting a backfill turns on in each of its batch transactions
/// (`set_config('trr.backfill', 'on', true)`, transaction-local): triggers
/// that stamp rows, such as the `timestamps` macro's `updated_at` one, skip
/// the writes of a backfill, which changes no column its intent does not
/// name.
pub const BACKFILL_SETTING: &str = "trr.backfill";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intents {
    /// Per table (by its declared name), per declared column name.
    pub columns: BTreeMap<QualName, BTreeMap<Ident, ColumnIntent>>,
    /// Per declared table name.
    pub tables: BTreeMap<QualName, TableIntent>,
    /// Objects whose contract steps `apply` may write without
    /// `--allow-destructive`, by display name as plans print them
    /// (`core.shows.handle`, `core.old_shows`).
    pub approvals: BTreeSet<String>,
    /// Objects `plan` leaves as the migrations made them (`unmanaged`
    /// nodes, written by `import` for what the language cannot declare),
    /// with the reason given.
    pub unmanaged: BTreeMap<Unmanaged, Option<String>>,
}

/// An object the KDL does not manage: `plan` neither creates, changes nor
/// drops it. A table stands for everything on it (columns, constraints,
/// indexes, triggers, policies, privileges, comments, RLS flags).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unmanaged {
    Table(QualName),
    View(QualName),
    Index(QualName),
    Enum(QualName),
    /// Every overload of the function.
    Function(QualName),
    /// The privileges on a sequence no column owns.
    Sequence(QualName),
    Constraint {
        table: QualName,
        name: Ident,
    },
    Trigger {
        table: QualName,
        name: Ident,
    },
}

impl Unmanaged {
    /// The kinds the `unmanaged` node takes, as written in KDL.
    pub const KINDS: &'static [&'static str] = &[
        "table",
        "view",
        "index",
        "enum",
        "function",
        "sequence",
        "constraint",
        "trigger",
    ];

    /// The kind as written in KDL.
    pub fn kind(&self) -> &'static str {
        match self {
            Unmanaged::Table(_) => "table",
            Unmanaged::View(_) => "view",
            Unmanaged::Index(_) => "index",
            Unmanaged::Enum(_) => "enum",
            Unmanaged::Function(_) => "function",
            Unmanaged::Sequence(_) => "sequence",
            Unmanaged::Constraint { .. } => "constraint",
            Unmanaged::Trigger { .. } => "trigger",
        }
    }

    /// The name as written in KDL and printed by plans: `core.events`,
    /// `core.shows.shows_title_key` for a constraint or trigger.
    pub fn name(&self) -> String {
        match self {
            Unmanaged::Table(n)
            | Unmanaged::View(n)
            | Unmanaged::Index(n)
            | Unmanaged::Enum(n)
            | Unmanaged::Function(n)
            | Unmanaged::Sequence(n) => n.to_string(),
            Unmanaged::Constraint { table, name } | Unmanaged::Trigger { table, name } => {
                format!("{table}.{name}")
            }
        }
    }
}

impl std::fmt::Display for Unmanaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind(), self.name())
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnIntent {
    /// `renamed-from=old`: the column is `old` renamed, not a new one.
    pub renamed_from: Option<Ident>,
    /// `backfill="expr"`: the value existing rows get when the column is
    /// added or becomes NOT NULL (evaluated per row).
    pub backfill: Option<Expr>,
    /// `using="expr"`: how a row's new value is computed from the old shape
    /// when the type changes (or a renamed column changes type too).
    pub using: Option<Expr>,
    /// `reverse-using="expr"`: the other way, the old shape's value from the
    /// new one (written over the row's columns, new names), so writes of the
    /// new application reach the old shape until the contract. For a
    /// renamed column it computes the old column; for a derived column the
    /// one column its `using=` reads.
    pub reverse_using: Option<Expr>,
}

impl ColumnIntent {
    /// The column a derived column's `reverse-using=` writes: the one
    /// column its `using=` reads (the loader checks there is exactly one).
    pub fn reverse_target(&self) -> Option<Ident> {
        if self.renamed_from.is_some() || self.reverse_using.is_none() {
            return None;
        }
        match self.using.as_ref()?.columns().as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableIntent {
    /// `renamed-from=schema.old`.
    pub renamed_from: Option<QualName>,
    /// Keep a view under the old name while the old application runs.
    pub compat_view: bool,
}

impl Intents {
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
            && self.tables.is_empty()
            && self.approvals.is_empty()
            && self.unmanaged.is_empty()
    }

    pub fn column(&self, table: &QualName, column: &Ident) -> Option<&ColumnIntent> {
        self.columns.get(table)?.get(column)
    }

    pub fn table(&self, table: &QualName) -> Option<&TableIntent> {
        self.tables.get(table)
    }

    pub fn approves(&self, object: &str) -> bool {
        self.approvals.contains(object)
    }
}

/// A loaded KDL schema: the shape, and how to get there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declared {
    pub catalog: crate::Catalog,
    pub intents: Intents,
}
