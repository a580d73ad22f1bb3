//! Whether a column type change keeps every value and whether it rewrites
//! the table.
//!
//! Rule: a change is **widening** (expand phase, rollback restores the old
//! type) when every old value fits the new type unchanged: `varchar(n)` to
//! a longer or unbounded `varchar` or `text`, `text` to unbounded `varchar`,
//! `numeric(p,s)` to `numeric(p2,s)` with `p2 >= p` or to plain `numeric`,
//! `smallint` → `integer` → `bigint` (and to `numeric`), `real` → `double
//! precision`. Any other change (narrowing, reinterpreting such as `text` to
//! `integer` or `timestamp` to `timestamptz`) may fail or lose information,
//! so it is **contract** (destructive, rollback irreversible). Dropping NOT NULL is never
//! destructive (no value changes) and stays in expand.

use schema::SqlType;

fn split(ty: &str) -> (&str, Option<Vec<u32>>) {
    match ty.find('(') {
        Some(open) if ty.ends_with(')') => {
            let mods = ty[open + 1..ty.len() - 1]
                .split(',')
                .map(|m| m.trim().parse().ok())
                .collect::<Option<Vec<u32>>>();
            (ty[..open].trim(), mods)
        }
        _ => (ty, None),
    }
}

/// Every value of `from` converts to `to` unchanged.
pub fn is_widening(from: &SqlType, to: &SqlType) -> bool {
    if from.is_array() != to.is_array() {
        return false;
    }
    let (f, t) = (from.element(), to.element());
    let ((fb, fm), (tb, tm)) = (split(f.as_str()), split(t.as_str()));
    let rank = |b: &str| match b {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        _ => None,
    };
    match (fb, tb) {
        ("character varying", "character varying") => match (fm, tm) {
            (_, None) => true,
            (Some(a), Some(b)) => b[0] >= a[0],
            (None, Some(_)) => false,
        },
        ("character varying", "text") => true,
        ("text", "character varying") => tm.is_none(),
        ("numeric", "numeric") => match (fm, tm) {
            (_, None) => true,
            (Some(a), Some(b)) => {
                let (ap, as_) = (i64::from(a[0]), i64::from(a.get(1).copied().unwrap_or(0)));
                let (bp, bs) = (i64::from(b[0]), i64::from(b.get(1).copied().unwrap_or(0)));
                bs >= as_ && bp - bs >= ap - as_
            }
            (None, Some(_)) => false,
        },
        ("real", "double precision") => true,
        (a, "numeric") if rank(a).is_some() => tm.is_none(),
        (a, b) => matches!((rank(a), rank(b)), (Some(x), Some(y)) if y > x),
    }
}

/// The change only relabels the data (binary coercible), no rewrite.
pub fn is_binary_coercible(from: &SqlType, to: &SqlType) -> bool {
    if from.is_array() != to.is_array() {
        return false;
    }
    let (f, t) = (from.element(), to.element());
    let ((fb, fm), (tb, tm)) = (split(f.as_str()), split(t.as_str()));
    match (fb, tb) {
        ("character varying", "character varying") | ("character varying", "text") => {
            match (fm, tm) {
                (_, None) => true,
                (Some(a), Some(b)) => b[0] >= a[0],
                _ => false,
            }
        }
        ("text", "character varying") => tm.is_none(),
        ("numeric", "numeric") => match (fm, tm) {
            (_, None) => true,
            (Some(a), Some(b)) => a.get(1) == b.get(1) && b[0] >= a[0],
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> SqlType {
        SqlType::canonical(s)
    }

    #[test]
    fn widening_and_narrowing() {
        assert!(is_widening(&t("integer"), &t("bigint")));
        assert!(!is_widening(&t("bigint"), &t("integer")));
        assert!(is_widening(&t("character varying(20)"), &t("text")));
        assert!(!is_widening(&t("text"), &t("character varying(20)")));
        assert!(is_widening(&t("numeric(10,2)"), &t("numeric(12,2)")));
        assert!(!is_widening(&t("numeric(10,2)"), &t("numeric(10,1)")));
        assert!(!is_widening(&t("text"), &t("integer")));
    }

    #[test]
    fn rewrites() {
        assert!(is_binary_coercible(
            &t("character varying(20)"),
            &t("character varying(40)")
        ));
        assert!(!is_binary_coercible(&t("integer"), &t("bigint")));
    }
}
