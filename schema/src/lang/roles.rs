//! Role lists: `to="anon authenticated"`, `to=authenticated`, `from=public`.
//! One space-separated string; `public` is PUBLIC.

use super::errors::{Diag, Loc, Sink};
use super::parse::{NodeView, split_words};
use crate::ident::Ident;

/// The roles of property `key`, sorted and de-duplicated; `None` when the
/// property is absent or wrong (then a problem was reported if it was
/// given).
pub fn read_roles(v: &NodeView<'_>, key: &str, sink: &mut Sink) -> Option<(Vec<Ident>, Loc)> {
    let (written, at) = v.prop_string(key, "a role or a space-separated list of roles", sink)?;
    parse_roles(&written, at, key, sink).map(|r| (r, at))
}

/// Parses one role list, reporting what is wrong with it.
pub fn parse_roles(written: &str, at: Loc, key: &str, sink: &mut Sink) -> Option<Vec<Ident>> {
    let words = split_words(written);
    if words.is_empty() {
        sink.push(
            Diag::new(at, format!("`{key}=` names no role"), "empty role list").help(format!(
                "write one role or several separated by spaces: `{key}=\"anon authenticated\"`; `public` means every role"
            )),
        );
        return None;
    }
    let mut roles = Vec::new();
    let mut ok = true;
    for w in &words {
        let single = crate::ident::split_qualified(w).is_some_and(|p| p.len() == 1)
            && crate::ident::is_well_formed(w);
        if !single {
            sink.push(
                Diag::new(at, format!("`{w}` in `{key}=` is not a role name"), "bad role list")
                    .help(format!(
                        "roles are single names separated by spaces (no commas needed, no schema): `{key}=\"anon authenticated\"`; keep case with SQL quotes"
                    )),
            );
            ok = false;
            continue;
        }
        roles.push(Ident::from_sql(w));
    }
    roles.sort();
    roles.dedup();
    ok.then_some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_deduplicated_and_checked() {
        let at = Loc::new(0, (0, 1).into());
        let mut sink = Sink::default();
        let r = parse_roles("service_role anon Anon", at, "to", &mut sink).unwrap();
        assert_eq!(r, vec![Ident::new("anon"), Ident::new("service_role")]);
        assert!(parse_roles("", at, "to", &mut sink).is_none());
        assert!(parse_roles("core.x anon", at, "to", &mut sink).is_none());
        assert_eq!(sink.diags.len(), 2);
    }
}
