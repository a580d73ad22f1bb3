//! Row-level security policies, privileges (grants) and default privileges.
//!
//! Privileges are stored as PostgreSQL's ACLs hold them, one entry per
//! object, grantee and privilege, without the owner's own entries (the owner
//! is the role that runs the migrations). `PUBLIC` is the grantee
//! [`PUBLIC`]. An object's entries are its *effective* privileges: the
//! defaults it received when it was created (see [`DefaultPrivilege`]) plus
//! what was granted since, minus what was revoked.

use crate::expr::Expr;
use crate::ident::{Ident, QualName};
use crate::routines::FunctionId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The grantee `PUBLIC` (every role), stored as this name.
pub const PUBLIC: &str = "public";

/// `CREATE POLICY name ON table …`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub name: Ident,
    pub table: QualName,
    /// `AS PERMISSIVE` (the default) or `AS RESTRICTIVE`.
    pub permissive: bool,
    pub command: PolicyCommand,
    /// Sorted, without duplicates; `[public]` when none is named.
    pub roles: Vec<Ident>,
    pub using: Option<Expr>,
    pub check: Option<Expr>,
}

impl Policy {
    /// The Catalog key: policy names are unique per table.
    pub fn key(&self) -> PolicyKey {
        (self.table.clone(), self.name.clone())
    }
}

/// (table, policy name).
pub type PolicyKey = (QualName, Ident);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyCommand {
    All,
    Select,
    Insert,
    Update,
    Delete,
}

impl PolicyCommand {
    pub fn sql(self) -> &'static str {
        match self {
            PolicyCommand::All => "ALL",
            PolicyCommand::Select => "SELECT",
            PolicyCommand::Insert => "INSERT",
            PolicyCommand::Update => "UPDATE",
            PolicyCommand::Delete => "DELETE",
        }
    }
}

/// One ACL entry: `grantee` holds `privilege` on `on`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grant {
    pub on: GrantTarget,
    pub grantee: Ident,
    pub privilege: Privilege,
    /// `WITH GRANT OPTION`. At most one entry exists per
    /// (on, grantee, privilege): granting with the option replaces it.
    pub grantable: bool,
}

/// What a privilege is held on. Views and materialized views are tables
/// here, as in `GRANT … ON TABLE`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GrantTarget {
    Schema { schema: Ident },
    Table { table: QualName },
    Column { table: QualName, column: Ident },
    Sequence { sequence: QualName },
    Function { function: FunctionId },
}

impl GrantTarget {
    /// The schema the object lives in.
    pub fn schema(&self) -> &Ident {
        match self {
            GrantTarget::Schema { schema } => schema,
            GrantTarget::Table { table } | GrantTarget::Column { table, .. } => &table.schema,
            GrantTarget::Sequence { sequence } => &sequence.schema,
            GrantTarget::Function { function } => &function.name.schema,
        }
    }
}

impl fmt::Display for GrantTarget {
    /// As after `GRANT … ON`: `TABLE core.shows`, `FUNCTION core.f(uuid)`;
    /// a column is written `TABLE core.shows (title)` for messages only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GrantTarget::Schema { schema } => write!(f, "SCHEMA {}", schema.quoted()),
            GrantTarget::Table { table } => write!(f, "TABLE {table}"),
            GrantTarget::Column { table, column } => {
                write!(f, "TABLE {table} ({})", column.quoted())
            }
            GrantTarget::Sequence { sequence } => write!(f, "SEQUENCE {sequence}"),
            GrantTarget::Function { function } => write!(f, "FUNCTION {function}"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Privilege {
    Select,
    Insert,
    Update,
    Delete,
    Truncate,
    References,
    Trigger,
    Usage,
    Create,
    Execute,
}

impl Privilege {
    pub const ALL: [Privilege; 10] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Execute,
    ];

    pub fn sql(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Execute => "EXECUTE",
        }
    }

    /// `ALL` on a kind of object means these (PostgreSQL 15).
    pub fn all_for(kind: ObjectClass) -> &'static [Privilege] {
        use Privilege::*;
        match kind {
            ObjectClass::Schema => &[Usage, Create],
            ObjectClass::Table => &[
                Select, Insert, Update, Delete, Truncate, References, Trigger,
            ],
            ObjectClass::Column => &[Select, Insert, Update, References],
            ObjectClass::Sequence => &[Usage, Select, Update],
            ObjectClass::Function => &[Execute],
            ObjectClass::Type => &[Usage],
        }
    }
}

/// The kinds of object privileges (and default privileges) apply to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectClass {
    Schema,
    Table,
    Column,
    Sequence,
    Function,
    Type,
}

/// One entry of `ALTER DEFAULT PRIVILEGES [IN SCHEMA s] GRANT … ON <objects>
/// TO grantee`, for objects created by the migration role.
///
/// Entries without a schema are the role's global defaults and *replace*
/// PostgreSQL's built-in ones (see [`builtin_default_privileges`]); entries
/// for a schema *add* to them, as in PostgreSQL. A new object's privileges
/// are the union of both, taken when it is created.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DefaultPrivilege {
    pub schema: Option<Ident>,
    /// `Table` (TABLES, which includes views), `Sequence`, `Function`,
    /// `Type` or `Schema` (SCHEMAS, global only).
    pub objects: ObjectClass,
    pub grantee: Ident,
    pub privilege: Privilege,
    pub grantable: bool,
}

/// PostgreSQL's built-in defaults for a role that never altered its global
/// default privileges: `EXECUTE` on functions and `USAGE` on types to
/// `PUBLIC`. The global entries of a fresh Catalog.
pub fn builtin_default_privileges() -> Vec<DefaultPrivilege> {
    [
        (ObjectClass::Function, Privilege::Execute),
        (ObjectClass::Type, Privilege::Usage),
    ]
    .into_iter()
    .map(|(objects, privilege)| DefaultPrivilege {
        schema: None,
        objects,
        grantee: Ident::new(PUBLIC),
        privilege,
        grantable: false,
    })
    .collect()
}
