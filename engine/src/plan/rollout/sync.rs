//! The helper trigger functions of column rollouts: their names, and the
//! bodies that keep the old and new shapes in step.
//!
//! One `BEFORE INSERT OR UPDATE … FOR EACH ROW` trigger per rollout, in the
//! table's schema. A BEFORE trigger changes the row being written, so
//! keeping two columns in step never issues a second UPDATE and cannot loop.
//!
//! Defaults: the old column keeps its default until contract, and the new
//! one gets its declared default only at contract too, when the trigger
//! goes. On INSERT the trigger therefore trusts a non-NULL new value (only
//! the new application writes the new column) and otherwise derives the
//! new value from the old one (which holds the old application's value or
//! the old default). So neither default masks a value an application
//! wrote, while both application versions write.

use schema::{Expr, Function, FunctionReturn, Ident, QualName, SqlType, Volatility};
use std::hash::{Hash, Hasher};

/// The comment the backfill file puts on the helper function when every
/// row is copied: how replay and the database both know it ran.
pub const BACKFILLED: &str = "trr-schema: backfilled";

/// `trr_<what>_<table>_<column>` (function) or `trr_<what>_<column>`
/// (trigger), within PostgreSQL's 63 bytes: a longer name is cut and ends
/// with a hash of the whole, so two long names stay apart.
pub fn helper_name(parts: &[&str]) -> Ident {
    let full = parts.join("_");
    if full.len() <= 63 {
        return Ident::new(full);
    }
    let mut hasher = Fnv(0xcbf29ce484222325);
    full.hash(&mut hasher);
    let hash = format!("{:08x}", hasher.finish() as u32);
    let mut cut = 54;
    while !full.is_char_boundary(cut) {
        cut -= 1;
    }
    Ident::new(format!("{}_{hash}", &full[..cut]))
}

/// FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x100000001b3);
        }
    }
}

/// How a row's value of one column is computed in the trigger, from `NEW`.
#[derive(Clone, Debug)]
pub enum Source {
    /// Another column of the row, assigned (PL/pgSQL casts on assignment).
    Column(Ident),
    /// A declared expression over the row's columns.
    Expr(Expr),
    /// Another column cast to a type: `NEW.c::type`.
    Cast(Ident, SqlType),
}

impl Source {
    /// The value for the trigger: columns of the row are `NEW.column`; an
    /// expression sees the row's columns through a one-row subquery, so it
    /// is written exactly as declared.
    pub fn in_trigger(&self) -> String {
        self.in_row("NEW")
    }

    /// The value over the row `record` of the trigger (`NEW` or `OLD`).
    pub fn in_row(&self, record: &str) -> String {
        match self {
            Source::Column(c) => format!("{record}.{c}"),
            Source::Cast(c, ty) => format!("{record}.{c}::{ty}"),
            Source::Expr(e) => format!(
                "(SELECT {} FROM (SELECT {record}.*) AS {}_row)",
                e.sql(),
                record.to_lowercase()
            ),
        }
    }

    /// The value in an `UPDATE` of the table.
    pub fn in_update(&self) -> String {
        match self {
            Source::Column(c) => c.to_string(),
            Source::Cast(c, ty) => format!("{c}::{ty}"),
            Source::Expr(e) => format!("({})", e.sql()),
        }
    }
}

/// A trigger function `name()` with `body` (PL/pgSQL).
pub fn function(name: QualName, body: &str) -> Function {
    Function {
        name,
        args: Vec::new(),
        returns: FunctionReturn::Type {
            ty: SqlType::canonical("trigger"),
        },
        language: "plpgsql".into(),
        body: schema::routines::normalize_body(body),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: schema::Parallel::Unsafe,
        config: Default::default(),
        comment: None,
    }
}

/// Expand: every write copies the old shape into the new column (nobody
/// writes the new column yet).
pub fn forward(new: &Ident, from: &Source) -> String {
    format!(
        "BEGIN\n    NEW.{new} := {};\n    RETURN NEW;\nEND;",
        from.in_trigger()
    )
}

/// Dual-write of a rename: a write to either column reaches the other. An
/// UPDATE that changes the new column wins (the new application wrote it);
/// otherwise a change of the old column is copied over.
pub fn both_ways(new: &Ident, from: &Source, old: &Ident, back: &Source) -> String {
    format!(
        "BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.{new} IS NULL THEN
            NEW.{new} := {to_new};
        ELSE
            NEW.{old} := {to_old};
        END IF;
    ELSIF NEW.{new} IS DISTINCT FROM OLD.{new} THEN
        NEW.{old} := {to_old};
    ELSIF NEW.{old} IS DISTINCT FROM OLD.{old} THEN
        NEW.{new} := {to_new};
    END IF;
    RETURN NEW;
END;",
        to_new = from.in_trigger(),
        to_old = back.in_trigger(),
    )
}

/// Dual-write of a derived column. A value the new application writes is
/// kept: the column is recomputed only when an UPDATE changes the value its
/// source gives (the old application wrote the source) and leaves the
/// column itself unchanged; an INSERT computes it only when it is NULL.
/// With a reverse conversion (`reverse-using=`, into the source column
/// `target`) a write of the new column reaches the source: on INSERT when
/// the source does not already give the written value, on UPDATE when the
/// source was not written in the same statement.
pub fn derived(new: &Ident, from: &Source, reverse: Option<(&Ident, &Source)>) -> String {
    let value = from.in_trigger();
    let old_value = from.in_row("OLD");
    match reverse {
        None => format!(
            "BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.{new} IS NULL THEN
            NEW.{new} := {value};
        END IF;
    ELSIF NEW.{new} IS NOT DISTINCT FROM OLD.{new}
            AND {value} IS DISTINCT FROM {old_value} THEN
        NEW.{new} := {value};
    END IF;
    RETURN NEW;
END;"
        ),
        Some((target, back)) => format!(
            "BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.{new} IS NULL THEN
            NEW.{new} := {value};
        ELSIF {value} IS DISTINCT FROM NEW.{new} THEN
            NEW.{target} := {to_old};
        END IF;
    ELSIF NEW.{new} IS DISTINCT FROM OLD.{new} THEN
        IF NEW.{target} IS NOT DISTINCT FROM OLD.{target} THEN
            NEW.{target} := {to_old};
        END IF;
    ELSIF {value} IS DISTINCT FROM {old_value} THEN
        NEW.{new} := {value};
    END IF;
    RETURN NEW;
END;",
            to_old = back.in_trigger(),
        ),
    }
}

/// A NOT NULL column being filled: a row written without a value gets the
/// backfill value, so old-application inserts satisfy NOT NULL at cutover.
pub fn fill(column: &Ident, value: &Source) -> String {
    format!(
        "BEGIN\n    IF NEW.{column} IS NULL THEN\n        NEW.{column} := {};\n    END IF;\n    RETURN NEW;\nEND;",
        value.in_trigger()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_in_63_bytes_and_stay_distinct() {
        assert_eq!(
            helper_name(&["trr_sync", "shows", "slug"]).as_str(),
            "trr_sync_shows_slug"
        );
        let long = "a".repeat(40);
        let a = helper_name(&["trr_sync", &long, "first_column_name"]);
        let b = helper_name(&["trr_sync", &long, "first_column_other"]);
        assert!(a.as_str().len() <= 63 && b.as_str().len() <= 63);
        assert_ne!(a, b);
        assert_eq!(a, helper_name(&["trr_sync", &long, "first_column_name"]));
    }
}
