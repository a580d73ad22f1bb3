//! `access service-bypass`: the `service_role` may do everything, through
//! one `FOR ALL` policy and an explicit grant. Supabase's service_role has
//! BYPASSRLS, so the policy is for a service role without it; the grant is
//! what scopes it, since outside `public` no default gives service_role
//! anything.

use super::Expansion;
use crate::security::PolicyCommand;

pub fn expand() -> Expansion {
    Expansion {
        short: "service",
        role: "service_role",
        commands: vec![(PolicyCommand::All, "true".into())],
    }
}
