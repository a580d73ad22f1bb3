//! `ALTER TABLE … ENABLE | DISABLE | FORCE | NO FORCE ROW LEVEL SECURITY`.
//! Enabling and forcing are independent flags in PostgreSQL
//! (`relrowsecurity`, `relforcerowsecurity`): disabling keeps FORCE.

use super::Replay;
use super::errors::StmtResult;
use schema::QualName;

#[derive(Clone, Copy)]
pub(super) enum RlsChange {
    Enable,
    Disable,
    Force,
    NoForce,
}

pub(super) fn set_rls(r: &mut Replay, table: &QualName, change: RlsChange) -> StmtResult {
    let t = r.table_mut(table)?;
    match change {
        RlsChange::Enable => t.rls_enabled = true,
        RlsChange::Disable => t.rls_enabled = false,
        RlsChange::Force => t.rls_forced = true,
        RlsChange::NoForce => t.rls_forced = false,
    }
    Ok(())
}
