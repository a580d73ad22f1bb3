//! One difference between two Catalogs. Each change becomes exactly one plan
//! step (one SQL statement), so every variant carries what its statement,
//! its rollback and its dependencies need.

use schema::{
    Column, CommentTarget, Constraint, Enum, Expr, Extension, Function, GrantTarget, Ident,
    Identity, Index, ObjectClass, Policy, PrimaryKey, Privilege, QualName, Schema, SqlType, Table,
    Trigger, View,
};

/// Where `ALTER TYPE … ADD VALUE` puts a new label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumPosition {
    /// The type has no labels yet: appended.
    End,
    Before(String),
    After(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    CreateSchema(Schema),
    DropSchema(Schema),

    CreateExtension(Extension),
    DropExtension(Extension),
    /// `ALTER EXTENSION … SET SCHEMA`; `None` means `public`.
    AlterExtensionSchema {
        name: Ident,
        from: Option<Ident>,
        to: Option<Ident>,
    },

    CreateEnum(Enum),
    /// `replaced`: dropped only to be created again with other labels (the
    /// type is unused), so it belongs to the expand phase.
    DropEnum {
        enum_: Enum,
        replaced: bool,
    },
    AddEnumValue {
        name: QualName,
        value: String,
        position: EnumPosition,
    },
    /// Removing or reordering labels of a type that columns use: PostgreSQL
    /// cannot do it in place and we do not plan a type swap. Reported, never
    /// rendered as SQL.
    UnsupportedEnumChange {
        from: Enum,
        to: Enum,
        used_by: Vec<String>,
    },

    /// With its columns, primary key, unique and check constraints inline;
    /// foreign keys and indexes are separate changes.
    CreateTable(Table),
    /// `table` as it is in the current Catalog. Foreign keys to other dropped
    /// tables are dropped by separate changes first (cycles).
    DropTable(Table),

    AddColumn {
        table: QualName,
        column: Column,
    },
    DropColumn {
        table: QualName,
        column: Column,
    },
    AlterColumnType {
        table: QualName,
        column: Ident,
        from: SqlType,
        to: SqlType,
    },
    SetDefault {
        table: QualName,
        column: Ident,
        from: Option<Expr>,
        to: Expr,
    },
    DropDefault {
        table: QualName,
        column: Ident,
        from: Expr,
    },
    SetNotNull {
        table: QualName,
        column: Ident,
    },
    DropNotNull {
        table: QualName,
        column: Ident,
    },
    AddIdentity {
        table: QualName,
        column: Ident,
        identity: Identity,
    },
    DropIdentity {
        table: QualName,
        column: Ident,
        identity: Identity,
    },
    SetIdentity {
        table: QualName,
        column: Ident,
        from: Identity,
        to: Identity,
    },
    /// `ALTER COLUMN … DROP EXPRESSION`: a generated column becomes a plain
    /// one and keeps its values.
    DropGenerated {
        table: QualName,
        column: Column,
        from: Expr,
    },
    /// Drop and add again in one `ALTER TABLE` (a generated expression
    /// changed, or a plain column became generated). `destroys_data` when
    /// the old column held values that were not computed.
    RecreateColumn {
        table: QualName,
        from: Column,
        to: Column,
        destroys_data: bool,
    },

    AddPrimaryKey {
        table: QualName,
        pk: PrimaryKey,
    },
    DropPrimaryKey {
        table: QualName,
        pk: PrimaryKey,
        replaced: bool,
    },
    AddConstraint {
        table: QualName,
        constraint: Constraint,
    },
    DropConstraint {
        table: QualName,
        constraint: Constraint,
        replaced: bool,
    },

    /// `ALTER TABLE … VALIDATE CONSTRAINT`: a check or foreign key added
    /// `NOT VALID` (by an earlier file or plan) is proven for old rows.
    /// `constraint` as it is after validation.
    ValidateConstraint {
        table: QualName,
        constraint: Constraint,
    },
    /// `ALTER TABLE … ADD CONSTRAINT c UNIQUE USING INDEX c`: the unique
    /// index built `CONCURRENTLY` under the constraint's name becomes it.
    AttachUnique {
        table: QualName,
        constraint: Constraint,
    },
    /// A check or foreign key replaced on a table that exists: the new
    /// definition was added as `helper` (`NOT VALID`, then validated); the
    /// old one is dropped and `helper` renamed to the name.
    SwapConstraint {
        table: QualName,
        old: Constraint,
        new: Constraint,
        helper: Ident,
    },
    /// An index replaced on a table that exists: the new definition was
    /// built `CONCURRENTLY` as `helper`; the old one is dropped and `helper`
    /// renamed to the name. Its comment is a [`Change::SetComment`] of its
    /// own, as for any recreated index.
    SwapIndex {
        old: Index,
        new: Index,
        helper: QualName,
    },

    CreateIndex(Index),
    DropIndex {
        index: Index,
        replaced: bool,
    },

    /// `to: None` clears the comment.
    SetComment {
        target: CommentTarget,
        from: Option<String>,
        to: Option<String>,
    },

    /// `ALTER TABLE … ENABLE/DISABLE/FORCE/NO FORCE ROW LEVEL SECURITY`:
    /// `(enabled, forced)` before and after.
    SetRls {
        table: QualName,
        from: (bool, bool),
        to: (bool, bool),
    },

    /// `replaces`: the policy this one replaces (dropped just before,
    /// because its command or permissiveness changed, or something it
    /// depends on is recreated), for the access diff.
    CreatePolicy {
        policy: Policy,
        replaces: Option<Policy>,
    },
    DropPolicy {
        policy: Policy,
        replaced: bool,
    },
    /// `ALTER POLICY … RENAME TO`: `to` is `from` under another name.
    RenamePolicy {
        from: Policy,
        to: Policy,
    },
    /// `ALTER POLICY`: roles, `USING` or `WITH CHECK` changed.
    AlterPolicy {
        from: Policy,
        to: Policy,
    },

    /// `GRANT privileges ON on TO grantee [WITH GRANT OPTION]`.
    Grant {
        on: GrantTarget,
        grantee: Ident,
        privileges: Vec<Privilege>,
        grant_option: bool,
        /// The privileges are held already, without the option: only the
        /// option is new (so undoing it revokes the option only).
        option_only: bool,
    },
    /// `REVOKE [GRANT OPTION FOR] privileges ON on FROM grantee`.
    Revoke {
        on: GrantTarget,
        grantee: Ident,
        privileges: Vec<Privilege>,
        grant_option_only: bool,
        /// The privileges were held with the grant option (so undoing the
        /// revoke grants them with it).
        had_option: bool,
    },
    /// `ALTER DEFAULT PRIVILEGES [IN SCHEMA s] GRANT/REVOKE …`.
    DefaultPrivileges {
        schema: Option<Ident>,
        objects: ObjectClass,
        grantee: Ident,
        privileges: Vec<Privilege>,
        /// GRANT (with `grant_option`) or REVOKE ([GRANT OPTION FOR] when
        /// `grant_option`).
        grant: bool,
        grant_option: bool,
        /// A GRANT … WITH GRANT OPTION of privileges already given without
        /// it (undone by revoking the option only).
        option_only: bool,
    },

    /// `replaces`: the incarnation dropped just before (signature change).
    CreateFunction {
        function: Function,
        replaces: Option<Function>,
    },
    /// `CREATE OR REPLACE FUNCTION` with a signature PostgreSQL accepts in
    /// place.
    ReplaceFunction {
        from: Function,
        to: Function,
    },
    DropFunction {
        function: Function,
        replaced: bool,
    },

    CreateTrigger(Trigger),
    /// `CREATE OR REPLACE TRIGGER`.
    ReplaceTrigger {
        from: Trigger,
        to: Trigger,
    },
    DropTrigger {
        trigger: Trigger,
        replaced: bool,
    },

    CreateView(View),
    /// `CREATE OR REPLACE VIEW`: same leading columns, new ones appended.
    ReplaceView {
        from: View,
        to: View,
    },
    /// `ALTER VIEW … SET/RESET (security_invoker, security_barrier,
    /// check_option)`.
    AlterViewOptions {
        from: View,
        to: View,
    },
    DropView {
        view: View,
        replaced: bool,
    },

    /// Comments on functions and views (`COMMENT ON FUNCTION/VIEW`).
    SetRoutineComment {
        target: RoutineComment,
        from: Option<String>,
        to: Option<String>,
    },
}

/// Objects outside [`CommentTarget`] whose comments the plan sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoutineComment {
    Function(schema::FunctionId),
    View { name: QualName, materialized: bool },
}
