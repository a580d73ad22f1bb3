//! Names PostgreSQL derives for unnamed constraints and indexes
//! (`shows_pkey`, `seasons_show_id_fkey`, `shows_org_id_slug_key`,
//! `shows_title_check`, `shows_lower_idx`), following `makeObjectName`,
//! `ChooseRelationName` and `ChooseIndexNameAddition` in PostgreSQL's
//! `indexcmds.c`, including their truncation to 63 bytes and their numeric
//! suffixes on conflict.

use crate::ident::{Ident, MAX_IDENT_BYTES};

/// What kind of object a derived name is for; the label PostgreSQL appends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameLabel {
    PrimaryKey,
    Unique,
    Check,
    ForeignKey,
    Index,
    Exclusion,
}

impl NameLabel {
    fn text(self) -> &'static str {
        match self {
            NameLabel::PrimaryKey => "pkey",
            NameLabel::Unique => "key",
            NameLabel::Check => "check",
            NameLabel::ForeignKey => "fkey",
            NameLabel::Index => "idx",
            NameLabel::Exclusion => "excl",
        }
    }
}

/// `makeObjectName`: `name1[_name2]_label`, shortening the longer of
/// `name1`/`name2` until the whole fits in 63 bytes.
pub fn make_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let mut overhead = 0;
    if !label.is_empty() {
        overhead += label.len() + 1;
    }
    if name2.is_some() {
        overhead += 1;
    }
    let avail = MAX_IDENT_BYTES.saturating_sub(overhead);
    let mut n1 = name1.len();
    let mut n2 = name2.map_or(0, str::len);
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let mut out = clip(name1, n1).to_string();
    if let Some(name2) = name2 {
        out.push('_');
        out.push_str(clip(name2, n2));
    }
    if !label.is_empty() {
        out.push('_');
        out.push_str(label);
    }
    out
}

/// `pg_mbcliplen`: the longest prefix of at most `len` bytes on a char boundary.
fn clip(s: &str, mut len: usize) -> &str {
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    &s[..len]
}

/// `ChooseRelationName` / `ChooseConstraintName`: the derived name, or with
/// `1`, `2`, … appended to the label until `taken` says it is free.
pub fn choose_name(table: &Ident, addition: Option<&str>, label: NameLabel, taken: impl Fn(&str) -> bool) -> Ident {
    let mut pass = 0;
    loop {
        let modlabel = if pass == 0 {
            label.text().to_string()
        } else {
            format!("{}{pass}", label.text())
        };
        let name = make_object_name(table.as_str(), addition, &modlabel);
        if !taken(&name) {
            return Ident::new(name);
        }
        pass += 1;
    }
}

/// `ChooseIndexNameAddition`: the column names joined by `_`, stopping once
/// the result reaches 63 bytes.
pub fn columns_addition<S: AsRef<str>>(columns: &[S]) -> String {
    let mut out = String::new();
    for col in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(col.as_ref());
        if out.len() >= MAX_IDENT_BYTES {
            break;
        }
    }
    clip(&out, out.len().min(MAX_IDENT_BYTES)).to_string()
}

/// `ChooseIndexColumnNames`: the name an index key contributes — the column
/// itself, the function name for a function call, `expr` otherwise — made
/// unique within the index by numeric suffixes.
pub fn index_column_names(keys: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for key in keys {
        let mut name = key.clone();
        let mut i = 0;
        while out.contains(&name) {
            i += 1;
            name = format!("{key}{i}");
        }
        out.push(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Ident {
        Ident::new(s)
    }

    #[test]
    fn derives_postgres_names() {
        let free = |_: &str| false;
        assert_eq!(choose_name(&t("shows"), None, NameLabel::PrimaryKey, free).as_str(), "shows_pkey");
        assert_eq!(
            choose_name(&t("seasons"), Some("show_id"), NameLabel::ForeignKey, free).as_str(),
            "seasons_show_id_fkey"
        );
        assert_eq!(
            choose_name(&t("shows"), Some(&columns_addition(&["org_id", "slug"])), NameLabel::Unique, free).as_str(),
            "shows_org_id_slug_key"
        );
        assert_eq!(choose_name(&t("shows"), None, NameLabel::Check, free).as_str(), "shows_check");
    }

    #[test]
    fn appends_numbers_on_conflict() {
        let taken = |n: &str| n == "shows_title_key" || n == "shows_title_key1";
        assert_eq!(
            choose_name(&t("shows"), Some("title"), NameLabel::Unique, taken).as_str(),
            "shows_title_key2"
        );
    }

    #[test]
    fn truncates_like_postgres() {
        let table = "a".repeat(40);
        let col = "b".repeat(40);
        let name = make_object_name(&table, Some(&col), "fkey");
        // 63 - len("_fkey") - 1 = 57 chars shared, the longer trimmed first.
        assert_eq!(name.len(), 63);
        assert_eq!(name, format!("{}_{}_fkey", "a".repeat(29), "b".repeat(28)));
    }

    #[test]
    fn index_key_names_are_deduplicated() {
        assert_eq!(
            index_column_names(&["lower".into(), "lower".into(), "expr".into()]),
            vec!["lower", "lower1", "expr"]
        );
    }
}
