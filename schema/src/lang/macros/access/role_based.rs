//! `access role-based [claim="app_role"] [ladder="viewer editor admin"]
//! [select=viewer] [insert=editor] [update=editor] [delete=admin]`: the
//! user's role is a top-level claim of their JWT; each command needs a
//! tier or a higher one; `none` allows a command to no one.

use super::{COMMANDS, Expansion, literal, read_ladder, read_tier, tiers_from};
use crate::lang::errors::{Diag, Sink};
use crate::lang::parse::NodeView;
use crate::security::PolicyCommand;

#[derive(Clone, Debug)]
pub struct RoleBased {
    pub claim: String,
    pub ladder: Vec<String>,
    /// Per command, the lowest tier allowed, or `None` (not allowed).
    pub tiers: Vec<(PolicyCommand, Option<String>)>,
}

pub fn read(v: &NodeView<'_>, sink: &mut Sink) -> Option<RoleBased> {
    v.check_props(
        &["claim", "ladder", "select", "insert", "update", "delete"],
        sink,
    );
    let claim = match v.prop_string("claim", "a JWT claim name", sink) {
        Some((s, at)) if s.is_empty() => {
            sink.push(
                Diag::new(at, "claim= is empty", "no claim")
                    .help("name the top-level JWT claim that holds the role, e.g. claim=app_role"),
            );
            return None;
        }
        Some((s, _)) => s,
        None if v.has_prop("claim") => return None,
        None => "app_role".into(),
    };
    let ladder = read_ladder(v, sink);
    let defaults = ["viewer", "editor", "editor", "admin"];
    let mut tiers = Vec::new();
    let mut ok = !ladder.is_empty();
    for (command, default) in COMMANDS.iter().zip(defaults) {
        let key = command.sql().to_lowercase();
        match read_tier(v, &key, default, &ladder, true, sink) {
            Some(tier) => tiers.push((*command, tier)),
            None => ok = false,
        }
    }
    ok.then_some(RoleBased {
        claim,
        ladder,
        tiers,
    })
}

impl RoleBased {
    pub fn expand(&self) -> Expansion {
        let role = format!("(select auth.jwt() ->> {})", literal(&self.claim));
        Expansion {
            short: "role",
            role: "authenticated",
            commands: self
                .tiers
                .iter()
                .filter_map(|(command, tier)| {
                    let tier = tier.as_ref()?;
                    Some((
                        *command,
                        format!("{role} = any ({})", tiers_from(&self.ladder, tier)),
                    ))
                })
                .collect(),
        }
    }
}
