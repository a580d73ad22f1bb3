//! Column types in canonical form: the spelling PostgreSQL's `format_type`
//! prints with an empty `search_path` (`integer`, `character varying(20)`,
//! `timestamp with time zone`, `core.show_status`, `text[]`), so that
//! `int4`, `INT` and `integer` are one type.

use crate::ident::{DEFAULT_SCHEMA, Ident, quote_ident, split_qualified};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SqlType(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{written}` is not a type: {reason}")]
pub struct TypeError {
    pub written: String,
    pub reason: String,
}

/// `interval` and its field restrictions, as PostgreSQL's grammar has them.
const INTERVALS: &[&str] = &[
    "interval",
    "interval year",
    "interval month",
    "interval day",
    "interval hour",
    "interval minute",
    "interval second",
    "interval year to month",
    "interval day to hour",
    "interval day to minute",
    "interval day to second",
    "interval hour to minute",
    "interval hour to second",
    "interval minute to second",
];

/// What `serial`, `bigserial` and `smallserial` stand for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Serial {
    /// `integer`, `bigint` or `smallint`.
    pub ty: SqlType,
}

/// Types that live in `pg_catalog` and are therefore printed unqualified.
const BUILTIN: &[&str] = &[
    "\"char\"",
    "bigint",
    "bit",
    "bit varying",
    "boolean",
    "box",
    "bytea",
    "character",
    "character varying",
    "cidr",
    "circle",
    "date",
    "datemultirange",
    "daterange",
    "double precision",
    "inet",
    "int4multirange",
    "int4range",
    "int8multirange",
    "int8range",
    "integer",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "name",
    "nummultirange",
    "numeric",
    "numrange",
    "oid",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "real",
    "record",
    "regclass",
    "regconfig",
    "regproc",
    "regprocedure",
    "regrole",
    "regtype",
    "smallint",
    "text",
    "time with time zone",
    "time without time zone",
    "timestamp with time zone",
    "timestamp without time zone",
    "tsmultirange",
    "tsquery",
    "tsrange",
    "tstzmultirange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
    "uuid",
    "xml",
];

/// Names of the types that live in `pg_catalog`, as [`SqlType`] spells them.
pub fn builtin_names() -> &'static [&'static str] {
    BUILTIN
}

impl SqlType {
    /// Normalizes a type as written in SQL or KDL. `serial` types are
    /// rejected here: callers that accept them use [`SqlType::parse_serial`].
    pub fn parse(written: &str) -> Result<SqlType, TypeError> {
        let parsed = Parsed::new(written)?;
        if parsed.serial.is_some() {
            return Err(TypeError {
                written: written.trim().to_string(),
                reason: "serial types are a column shorthand, not a type".into(),
            });
        }
        Ok(parsed.ty)
    }

    /// `serial`/`bigserial`/`smallserial` (and `serial4`, `serial8`,
    /// `serial2`), or `None` for any other type.
    pub fn parse_serial(written: &str) -> Result<Option<Serial>, TypeError> {
        Ok(Parsed::new(written)?.serial)
    }

    /// A type already in canonical form (e.g. from `format_type`).
    pub fn canonical(text: impl Into<String>) -> SqlType {
        SqlType(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_array(&self) -> bool {
        self.0.ends_with("[]")
    }

    /// The element type of an array, or the type itself.
    pub fn element(&self) -> SqlType {
        SqlType(self.0.trim_end_matches("[]").to_string())
    }

    /// The user-defined type this refers to (`core.show_status`), if any.
    pub fn user_defined(&self) -> Option<crate::ident::QualName> {
        let element = self.element();
        // Drop the modifiers, wherever they sit (`timestamp(3) with time zone`).
        let base = match (element.0.find('('), element.0.find(')')) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{}", &element.0[..open], &element.0[close + 1..])
            }
            _ => element.0.clone(),
        };
        if BUILTIN.contains(&base.as_str()) {
            return None;
        }
        crate::ident::QualName::from_sql(&base)
    }
}

impl fmt::Display for SqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

struct Parsed {
    ty: SqlType,
    serial: Option<Serial>,
}

impl Parsed {
    fn new(written: &str) -> Result<Parsed, TypeError> {
        let err = |reason: &str| TypeError {
            written: written.trim().to_string(),
            reason: reason.to_string(),
        };
        let mut rest = written.trim();
        if rest.is_empty() {
            return Err(err("the type is empty"));
        }

        // Array suffixes: `[]`, `[3]`, or the SQL-standard `ARRAY`.
        let mut array = false;
        loop {
            if let Some(stripped) = rest.strip_suffix(']') {
                let open = stripped.rfind('[').ok_or_else(|| err("unbalanced `]`"))?;
                let dim = stripped[open + 1..].trim();
                if !dim.chars().all(|c| c.is_ascii_digit()) {
                    return Err(err("array bounds must be numbers"));
                }
                rest = stripped[..open].trim_end();
                array = true;
            } else if rest.len() > 6
                && rest
                    .get(rest.len() - 6..)
                    .is_some_and(|t| t.eq_ignore_ascii_case(" array"))
            {
                rest = rest[..rest.len() - 6].trim_end();
                array = true;
            } else {
                break;
            }
        }

        // Modifiers `(…)`; for time types they sit before `with time zone`.
        let (mut words_text, mods, tail) = match rest.find('(') {
            Some(open) => {
                let close = rest[open..]
                    .find(')')
                    .map(|c| c + open)
                    .ok_or_else(|| err("unbalanced `(`"))?;
                let mods: Vec<String> = rest[open + 1..close]
                    .split(',')
                    .map(|m| m.trim().to_string())
                    .collect();
                if mods.iter().any(|m| m.is_empty()) {
                    return Err(err("empty type modifier"));
                }
                (
                    rest[..open].trim().to_string(),
                    Some(mods),
                    rest[close + 1..].trim().to_string(),
                )
            }
            None => (rest.to_string(), None, String::new()),
        };
        if !tail.is_empty() {
            words_text = format!("{words_text} {tail}");
        }
        if words_text.is_empty() {
            return Err(err("missing type name"));
        }

        // pg_dump quotes every type name (`"uuid"`, `"text"`); unqualified,
        // those resolve in pg_catalog first, like the same names unquoted.
        if let Some(inner) = words_text
            .strip_prefix('"')
            .and_then(|w| w.strip_suffix('"'))
            .filter(|w| is_catalog_spelling(w))
        {
            words_text = inner.to_string();
        }
        let quoted = words_text.contains('"');
        let lowered = if quoted {
            words_text.clone()
        } else {
            words_text
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let lowered = lowered
            .strip_prefix("pg_catalog.")
            .unwrap_or(&lowered)
            .to_string();

        let mut serial = None;
        let (base, tz_suffix): (String, &str) = match lowered.as_str() {
            "int" | "int4" | "integer" => ("integer".into(), ""),
            "int8" | "bigint" => ("bigint".into(), ""),
            "int2" | "smallint" => ("smallint".into(), ""),
            "serial" | "serial4" => {
                serial = Some("integer");
                ("integer".into(), "")
            }
            "bigserial" | "serial8" => {
                serial = Some("bigint");
                ("bigint".into(), "")
            }
            "smallserial" | "serial2" => {
                serial = Some("smallint");
                ("smallint".into(), "")
            }
            "float4" | "real" => ("real".into(), ""),
            "float8" | "double precision" => ("double precision".into(), ""),
            "float" => {
                let precision = match mods.as_deref() {
                    None => 53,
                    Some([p]) => p
                        .parse::<u32>()
                        .map_err(|_| err("float precision must be a number"))?,
                    Some(_) => return Err(err("float takes one precision")),
                };
                let name = match precision {
                    1..=24 => "real",
                    25..=53 => "double precision",
                    _ => return Err(err("float precision must be between 1 and 53")),
                };
                return Ok(Parsed::finish(name.to_string(), None, "", array, None));
            }
            "bool" | "boolean" => ("boolean".into(), ""),
            "varchar" | "character varying" | "char varying" => ("character varying".into(), ""),
            "char" | "character" | "bpchar" => ("character".into(), ""),
            "decimal" | "numeric" | "dec" => ("numeric".into(), ""),
            "varbit" | "bit varying" => ("bit varying".into(), ""),
            "timestamptz" | "timestamp with time zone" => ("timestamp".into(), " with time zone"),
            "timestamp" | "timestamp without time zone" => {
                ("timestamp".into(), " without time zone")
            }
            "timetz" | "time with time zone" => ("time".into(), " with time zone"),
            "time" | "time without time zone" => ("time".into(), " without time zone"),
            other => (other.to_string(), ""),
        };

        let mods = match (base.as_str(), mods) {
            // `char` without a length is `character(1)`, and likewise `bit`.
            ("character" | "bit", None) => Some(vec!["1".to_string()]),
            (_, mods) => mods,
        };
        if let Some(mods) = &mods {
            if serial.is_some() {
                return Err(err("serial types take no modifiers"));
            }
            // Extension types take words too (PostGIS `geometry(Point,4326)`);
            // a bare identifier is as safe in SQL text as a number.
            let builtin = BUILTIN.contains(&base.as_str()) || !tz_suffix.is_empty();
            if mods.iter().any(|m| {
                !m.chars().all(|c| c.is_ascii_digit() || c == '-') && (builtin || !is_word(m))
            }) {
                return Err(err("type modifiers must be numbers"));
            }
        }
        let interval = base == "interval" || base.starts_with("interval ");
        if interval && !INTERVALS.contains(&base.as_str()) {
            return Err(err(
                "an interval's fields are YEAR, MONTH, DAY, HOUR, MINUTE, SECOND or a range such as DAY TO SECOND",
            ));
        }

        let base = if !tz_suffix.is_empty() || BUILTIN.contains(&base.as_str()) || interval {
            base
        } else {
            qualify_user_type(&base).ok_or_else(|| err("not a valid type name"))?
        };
        let serial = serial.map(|s| Serial {
            ty: SqlType(s.to_string()),
        });
        Ok(Parsed::finish(base, mods, tz_suffix, array, serial))
    }

    fn finish(
        base: String,
        mods: Option<Vec<String>>,
        tz: &str,
        array: bool,
        serial: Option<Serial>,
    ) -> Parsed {
        let mut text = base;
        if let Some(mods) = mods {
            text.push('(');
            text.push_str(&mods.join(","));
            text.push(')');
        }
        text.push_str(tz);
        if array {
            text.push_str("[]");
        }
        Parsed {
            ty: SqlType(text),
            serial,
        }
    }
}

/// An ASCII word (`Point`, `PointZ`): nothing SQL could read as more.
fn is_word(m: &str) -> bool {
    m.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && m.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A quoted name that means the same unquoted: a lower-case built-in type
/// name (`"uuid"`, `"timestamp with time zone"`, `"int4"`). Pseudo-types
/// (`"trigger"`) are read by `routines::function_type`.
fn is_catalog_spelling(inner: &str) -> bool {
    const ALIASES: &[&str] = &[
        "int",
        "int2",
        "int4",
        "int8",
        "float4",
        "float8",
        "bool",
        "varchar",
        "bpchar",
        "varbit",
        "timestamptz",
        "timestamp",
        "timetz",
        "time",
        "decimal",
        "char",
    ];
    !inner.contains('"') && (BUILTIN.contains(&inner) || ALIASES.contains(&inner))
}

fn qualify_user_type(written: &str) -> Option<String> {
    let parts = split_qualified(written)?;
    if parts
        .iter()
        .any(|p| !p.starts_with('"') && !crate::ident::is_bare_identifier(p))
    {
        return None;
    }
    let (schema, name) = match parts.as_slice() {
        [name] => (Ident::new(DEFAULT_SCHEMA), Ident::from_sql(name)),
        [schema, name] => (Ident::from_sql(schema), Ident::from_sql(name)),
        _ => return None,
    };
    Some(format!(
        "{}.{}",
        quote_ident(schema.as_str()),
        quote_ident(name.as_str())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        SqlType::parse(s).unwrap().to_string()
    }

    #[test]
    fn aliases_collapse() {
        assert_eq!(t("int4"), "integer");
        assert_eq!(t("INT"), "integer");
        assert_eq!(t("int8"), "bigint");
        assert_eq!(t("timestamptz"), "timestamp with time zone");
        assert_eq!(t("TIMESTAMP WITH TIME ZONE"), "timestamp with time zone");
        assert_eq!(
            t("timestamp(3) with time zone"),
            "timestamp(3) with time zone"
        );
        assert_eq!(t("timestamp"), "timestamp without time zone");
        assert_eq!(t("varchar(20)"), "character varying(20)");
        assert_eq!(t("character varying ( 20 )"), "character varying(20)");
        assert_eq!(t("decimal(10, 2)"), "numeric(10,2)");
        assert_eq!(t("char"), "character(1)");
        assert_eq!(t("float"), "double precision");
        assert_eq!(t("float(10)"), "real");
        assert_eq!(t("bool"), "boolean");
    }

    #[test]
    fn arrays_and_user_types() {
        assert_eq!(t("text[]"), "text[]");
        assert_eq!(t("int[][]"), "integer[]");
        assert_eq!(t("integer array"), "integer[]");
        assert_eq!(t("varchar(5)[3]"), "character varying(5)[]");
        assert_eq!(t("show_status"), "public.show_status");
        assert_eq!(t("Core.Show_Status[]"), "core.show_status[]");
        assert_eq!(t("core.\"Status\""), "core.\"Status\"");
        assert_eq!(t("pg_catalog.text"), "text");
        assert_eq!(
            SqlType::parse("core.show_status[]")
                .unwrap()
                .user_defined()
                .unwrap()
                .to_string(),
            "core.show_status"
        );
        assert!(SqlType::parse("jsonb").unwrap().user_defined().is_none());
        for builtin in [
            "timestamp(3) with time zone",
            "time(0)",
            "numeric(10,2)[]",
            "varchar(3)",
        ] {
            assert!(
                SqlType::parse(builtin).unwrap().user_defined().is_none(),
                "{builtin}"
            );
        }
    }

    #[test]
    fn serials_are_recognised() {
        assert_eq!(
            SqlType::parse_serial("bigserial")
                .unwrap()
                .unwrap()
                .ty
                .as_str(),
            "bigint"
        );
        assert!(SqlType::parse("serial").is_err());
        assert!(SqlType::parse_serial("text").unwrap().is_none());
    }

    #[test]
    fn bad_types_are_errors() {
        assert!(SqlType::parse("").is_err());
        assert!(SqlType::parse("varchar(x)").is_err());
        assert!(SqlType::parse("text[").is_err());
        assert!(SqlType::parse("my type").is_err());
        assert!(SqlType::parse("interval; drop table t; select 1::interval").is_err());
        assert!(SqlType::parse("interval(1); drop table t; --)").is_err());
        assert!(SqlType::parse("interval(x)").is_err());
        assert_eq!(t("interval_kind"), "public.interval_kind");
        assert_eq!(t("INTERVAL DAY TO SECOND(3)"), "interval day to second(3)");
        // Non-ASCII names must not be sliced inside a character.
        assert_eq!(t("éore.s"), "\"éore\".s");
        assert_eq!(t("ééé array"), "public.\"ééé\"[]");
    }
}
