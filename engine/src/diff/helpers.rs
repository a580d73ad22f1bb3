//! Names of the temporary objects a safe rollout creates on a table that
//! already exists, and how to recognize them in the current Catalog (a
//! rollout whose first files ran, the rest still to come):
//! - `<table>_<column>_trr_not_null`: `CHECK (column IS NOT NULL)`, added
//!   `NOT VALID`, validated, then proves `SET NOT NULL` without a scan and
//!   is dropped.
//! - `<name>_trr_new`: the new definition of a replaced index, check or
//!   foreign key, built beside the old one and renamed into place.
//!
//! Names stay within PostgreSQL's 63 bytes: a long base is cut and a hash
//! of the whole base keeps two cut names apart. Deterministic, so a plan
//! made again finds the helper the earlier plan created.

use schema::{Constraint, ConstraintKind, Expr, Ident, QualName};

const MAX: usize = 63;
const NOT_NULL: &str = "_trr_not_null";
const NEW: &str = "_trr_new";

/// `base` + `suffix`, cut to 63 bytes with a hash of `base` when too long.
fn fit(base: &str, suffix: &str) -> String {
    if base.len() + suffix.len() <= MAX {
        return format!("{base}{suffix}");
    }
    // FNV-1a: stable across runs and platforms.
    let mut hash: u32 = 0x811c_9dc5;
    for b in base.bytes() {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    let tag = format!("_{hash:08x}");
    let mut keep = MAX - suffix.len() - tag.len();
    while !base.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}{tag}{suffix}", &base[..keep])
}

/// The check that proves `column` has no NULLs before `SET NOT NULL`.
pub(crate) fn not_null_check_name(table: &QualName, column: &Ident) -> Ident {
    Ident::new(fit(
        &format!("{}_{}", table.name.as_str(), column.as_str()),
        NOT_NULL,
    ))
}

/// The helper check for `column`, as the plan adds it (`NOT VALID`).
pub(crate) fn not_null_check(table: &QualName, column: &Ident) -> Constraint {
    let mut c = Constraint::new(
        not_null_check_name(table, column),
        ConstraintKind::Check {
            expr: {
                let text = format!("{column} IS NOT NULL");
                Expr::parse(&text).unwrap_or_else(|_| Expr::canonical(text))
            },
            no_inherit: false,
        },
    );
    c.not_valid = true;
    c
}

/// `c` is the helper check of `column` (validated or not).
pub(crate) fn is_not_null_check(table: &QualName, column: &Ident, c: &Constraint) -> bool {
    let want = not_null_check(table, column);
    c.same_definition(&want)
}

/// The name a replacement is built under before it takes `name`.
pub(crate) fn replacement_name(name: &Ident) -> Ident {
    Ident::new(fit(name.as_str(), NEW))
}

/// [`replacement_name`] for an index (same schema).
pub(crate) fn replacement_index(name: &QualName) -> QualName {
    QualName::new(name.schema.clone(), replacement_name(&name.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_get_the_suffix_long_ones_fit_and_stay_apart() {
        let t = QualName::from("core.shows");
        assert_eq!(
            not_null_check_name(&t, &Ident::new("title")).as_str(),
            "shows_title_trr_not_null"
        );
        let long_a = Ident::new("a".repeat(60) + "x");
        let long_b = Ident::new("a".repeat(60) + "y");
        let a = replacement_name(&long_a);
        let b = replacement_name(&long_b);
        assert!(a.as_str().len() <= 63 && b.as_str().len() <= 63);
        assert!(a.as_str().ends_with("_trr_new"));
        assert_ne!(a, b);
        assert_eq!(a, replacement_name(&long_a));
    }

    #[test]
    fn the_helper_check_is_recognized_validated_or_not() {
        let t = QualName::from("core.shows");
        let col = Ident::new("title");
        let mut c = not_null_check(&t, &col);
        assert!(is_not_null_check(&t, &col, &c));
        c.not_valid = false;
        assert!(is_not_null_check(&t, &col, &c));
        assert!(!is_not_null_check(&t, &Ident::new("summary"), &c));
    }
}
