//! Functions and triggers.

use crate::expr::Expr;
use crate::ident::{Ident, QualName};
use crate::types::SqlType;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A function's identity: its name and the types of its input arguments
/// (`IN`, `INOUT`, `VARIADIC`), as PostgreSQL identifies it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FunctionId {
    pub name: QualName,
    pub arg_types: Vec<SqlType>,
}

impl fmt::Display for FunctionId {
    /// `core.is_member(uuid, text)`: what `DROP FUNCTION` and `GRANT … ON
    /// FUNCTION` take.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, ty) in self.arg_types.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{ty}")?;
        }
        f.write_str(")")
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    pub name: QualName,
    pub args: Vec<FunctionArg>,
    pub returns: FunctionReturn,
    /// Lower case: `sql`, `plpgsql`.
    pub language: String,
    /// The source between the dollar quotes, normalized by
    /// [`normalize_body`] (so indentation and surrounding blank lines do
    /// not count as changes).
    pub body: String,
    pub volatility: Volatility,
    pub strict: bool,
    pub security_definer: bool,
    pub leakproof: bool,
    pub parallel: Parallel,
    /// `SET name = value` clauses, names lower case, values as PostgreSQL
    /// stores them in `proconfig` (`search_path` → `""` for `''`).
    pub config: BTreeMap<String, String>,
    pub comment: Option<String>,
}

impl Function {
    pub fn id(&self) -> FunctionId {
        FunctionId {
            name: self.name.clone(),
            arg_types: self.inputs().map(|a| a.ty.clone()).collect(),
        }
    }

    /// The arguments a caller passes (`IN`, `INOUT`, `VARIADIC`).
    pub fn inputs(&self) -> impl Iterator<Item = &FunctionArg> {
        self.args
            .iter()
            .filter(|a| a.mode != ArgMode::Out && a.mode != ArgMode::Table)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionArg {
    pub mode: ArgMode,
    pub name: Option<Ident>,
    pub ty: SqlType,
    pub default: Option<Expr>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArgMode {
    In,
    Out,
    InOut,
    Variadic,
    /// A column of `RETURNS TABLE (…)`; kept in [`FunctionReturn::Table`],
    /// never in [`Function::args`].
    Table,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FunctionReturn {
    /// `RETURNS type` (also `void`, `trigger`, `event_trigger`).
    Type { ty: SqlType },
    /// `RETURNS SETOF type`.
    SetOf { ty: SqlType },
    /// `RETURNS TABLE (name type, …)`.
    Table { columns: Vec<(Ident, SqlType)> },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Volatility {
    #[default]
    Volatile,
    Stable,
    Immutable,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Parallel {
    #[default]
    Unsafe,
    Restricted,
    Safe,
}

/// PostgreSQL's pseudo-types a function may take or return. They live in
/// `pg_catalog`, so they stay unqualified (`SqlType::parse` would qualify
/// an unknown name with `public`).
pub const PSEUDO_TYPES: &[&str] = &[
    "trigger",
    "event_trigger",
    "void",
    "record",
    "anyelement",
    "anyarray",
    "anynonarray",
    "anyenum",
    "anyrange",
    "anymultirange",
    "anycompatible",
    "anycompatiblearray",
    "internal",
    "cstring",
];

/// A type of a function's argument or result: a pseudo-type as written
/// (lower case), any other type normalized by [`SqlType::parse`].
pub fn function_type(written: &str) -> Result<SqlType, crate::types::TypeError> {
    let lower = written.trim().to_lowercase();
    // pg_dump quotes them: `RETURNS "trigger"`.
    let unquoted = written
        .trim()
        .strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .unwrap_or(&lower);
    if PSEUDO_TYPES.contains(&unquoted) {
        return Ok(SqlType::canonical(unquoted));
    }
    if PSEUDO_TYPES.contains(&lower.as_str()) {
        return Ok(SqlType::canonical(lower));
    }
    // A function's argument and result types carry no modifiers:
    // PostgreSQL drops them (`vector(384)` is `vector`, `varchar(20)` is
    // `character varying`).
    let ty = SqlType::parse(written)?;
    let text = ty.as_str();
    Ok(match (text.find('('), text.find(')')) {
        (Some(open), Some(close)) if open < close => {
            SqlType::canonical(format!("{}{}", &text[..open], &text[close + 1..]))
        }
        _ => ty,
    })
}

/// A function body in comparable form: line endings `\n`, trailing spaces
/// and leading/trailing blank lines removed, common indentation removed.
pub fn normalize_body(body: &str) -> String {
    let body = body.replace("\r\n", "\n");
    let lines: Vec<&str> = body.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    let (Some(first), Some(last)) = (first, last) else {
        return String::new();
    };
    let lines = &lines[first..=last];
    let indent = lines
        .iter()
        .filter(|l| !l.is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| if l.is_empty() { *l } else { &l[indent..] })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `CREATE TRIGGER name {BEFORE|AFTER|INSTEAD OF} events ON table
/// FOR EACH {ROW|STATEMENT} [WHEN (…)] EXECUTE FUNCTION f(args)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trigger {
    pub name: Ident,
    pub table: QualName,
    pub timing: TriggerTiming,
    /// Sorted (`INSERT`, `UPDATE`, `DELETE`, `TRUNCATE`), each once.
    pub events: Vec<TriggerEvent>,
    pub for_each_row: bool,
    pub when: Option<Expr>,
    /// The trigger function (no arguments: trigger functions take none).
    pub function: QualName,
    /// The literal arguments, as strings (what `TG_ARGV` holds).
    pub args: Vec<String>,
    /// `REFERENCING OLD TABLE AS name`: the transition table of the rows
    /// before the statement (AFTER UPDATE/DELETE triggers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_table: Option<Ident>,
    /// `REFERENCING NEW TABLE AS name` (AFTER INSERT/UPDATE triggers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_table: Option<Ident>,
    /// `CREATE CONSTRAINT TRIGGER … [DEFERRABLE [INITIALLY DEFERRED]]`:
    /// fired at the end of the statement, or at commit when deferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constraint: Option<crate::Deferral>,
}

impl Trigger {
    pub fn key(&self) -> TriggerKey {
        (self.table.clone(), self.name.clone())
    }
}

/// (table, trigger name).
pub type TriggerKey = (QualName, Ident);

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    Before,
    After,
    InsteadOf,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum TriggerEvent {
    Insert,
    /// `UPDATE OF a, b`: columns in the order written (PostgreSQL keeps it);
    /// empty for any column.
    Update {
        columns: Vec<Ident>,
    },
    Delete,
    Truncate,
}

#[cfg(test)]
mod tests {
    use super::{function_type, normalize_body};

    #[test]
    fn pseudo_types_stay_unqualified() {
        assert_eq!(function_type("TRIGGER").unwrap().as_str(), "trigger");
        assert_eq!(function_type("void").unwrap().as_str(), "void");
        assert_eq!(function_type("int4").unwrap().as_str(), "integer");
        assert_eq!(
            function_type("core.status").unwrap().as_str(),
            "core.status"
        );
    }

    #[test]
    fn bodies_compare_without_indentation_or_blank_edges() {
        let written =
            "\n    begin\n      new.updated_at := now();  \n      return new;\n    end;\n  ";
        assert_eq!(
            normalize_body(written),
            "begin\n  new.updated_at := now();\n  return new;\nend;"
        );
        assert_eq!(normalize_body(" select 1 "), "select 1");
        assert_eq!(normalize_body("\n\n"), "");
    }
}
