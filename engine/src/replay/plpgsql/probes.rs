//! Existence probes evaluated against the replayed Catalog:
//! `EXISTS (SELECT 1 FROM pg_constraint WHERE conname = … AND conrelid =
//! 'core.t'::regclass)`, `information_schema.columns`, `pg_indexes`,
//! `pg_class` joined to `pg_namespace`, … and `to_regclass('core.t')`.
//!
//! A probe is read as "is there an object of this kind whose schema,
//! table, name and kind match these constants?". Probes over catalogs the
//! replay does not model (policies, triggers, roles, functions) and over
//! user tables cannot be decided; the answer says which.

use super::cond::{matching, split_top};
use super::lexer::{Token, split_top_op};
use crate::replay::Replay;
use schema::{ConstraintKind, Ident, QualName};

/// The answer to a probe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Known(bool),
    /// Reads user tables: known only at run time.
    Data,
    /// Reads a catalog the replay does not model (named).
    Outside(String),
    /// A shape this reader does not follow.
    Unreadable,
}

/// What kind of object a catalog relation lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Schema,
    Extension,
    Table,
    /// `pg_class`: tables, indexes and sequences alike.
    Relation,
    Type,
    Column,
    Index,
    Constraint,
    EnumLabel,
    Policy,
    Trigger,
    Function,
    /// `pg_views`.
    View,
    /// `pg_matviews`.
    MatView,
}

/// Where a column of a catalog relation lands in the probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// A schema name (`table_schema`), or a namespace oid
    /// (`relnamespace = 'core'::regnamespace`).
    Schema,
    /// A table name, or a relation oid (`conrelid = 'core.t'::regclass`),
    /// or for `pg_enum` the enum type (`enumtypid = 'core.s'::regtype`).
    Table,
    Name,
    /// `contype`, `relkind`, `typtype`, `table_type`, `constraint_type`.
    Flavor,
    /// The row's own oid, for joins.
    Oid,
    /// The table a foreign key references (`confrelid = 'core.t'::regclass`).
    Referenced,
    /// Columns whose constant conditions do not change the answer
    /// (`NOT attisdropped`, `attnum > 0`).
    Ignore,
}

struct RelInfo {
    kind: Kind,
    columns: &'static [(&'static str, Slot)],
}

fn relation_info(name: &str) -> Result<RelInfo, Answer> {
    use Slot::*;
    let (kind, columns): (Kind, &'static [(&'static str, Slot)]) = match name {
        "pg_constraint" => (
            Kind::Constraint,
            &[
                ("conname", Name),
                ("conrelid", Table),
                ("confrelid", Referenced),
                ("connamespace", Schema),
                ("contype", Flavor),
                ("oid", Oid),
            ],
        ),
        "pg_class" => (
            Kind::Relation,
            &[
                ("relname", Name),
                ("relnamespace", Schema),
                ("relkind", Flavor),
                ("oid", Oid),
            ],
        ),
        "pg_attribute" => (
            Kind::Column,
            &[
                ("attname", Name),
                ("attrelid", Table),
                ("attisdropped", Ignore),
                ("attnum", Ignore),
            ],
        ),
        "pg_type" => (
            Kind::Type,
            &[
                ("typname", Name),
                ("typnamespace", Schema),
                ("typtype", Flavor),
                ("oid", Oid),
            ],
        ),
        "pg_enum" => (
            Kind::EnumLabel,
            &[("enumlabel", Name), ("enumtypid", Table)],
        ),
        "pg_namespace" => (Kind::Schema, &[("nspname", Name), ("oid", Oid)]),
        "pg_extension" => (
            Kind::Extension,
            &[("extname", Name), ("extnamespace", Ignore)],
        ),
        "pg_tables" => (Kind::Table, &[("schemaname", Schema), ("tablename", Name)]),
        "pg_indexes" => (
            Kind::Index,
            &[
                ("schemaname", Schema),
                ("tablename", Table),
                ("indexname", Name),
            ],
        ),
        "pg_policies" => (
            Kind::Policy,
            &[
                ("schemaname", Schema),
                ("tablename", Table),
                ("policyname", Name),
            ],
        ),
        "pg_policy" => (Kind::Policy, &[("polname", Name), ("polrelid", Table)]),
        "pg_trigger" => (
            Kind::Trigger,
            &[
                ("tgname", Name),
                ("tgrelid", Table),
                ("tgisinternal", Ignore),
            ],
        ),
        "pg_proc" => (
            Kind::Function,
            &[("proname", Name), ("pronamespace", Schema), ("oid", Oid)],
        ),
        "pg_views" => (Kind::View, &[("schemaname", Schema), ("viewname", Name)]),
        "pg_matviews" => (
            Kind::MatView,
            &[("schemaname", Schema), ("matviewname", Name)],
        ),
        "information_schema.columns" => (
            Kind::Column,
            &[
                ("table_schema", Schema),
                ("table_name", Table),
                ("column_name", Name),
                ("table_catalog", Ignore),
            ],
        ),
        "information_schema.tables" => (
            Kind::Table,
            &[
                ("table_schema", Schema),
                ("table_name", Name),
                ("table_type", Flavor),
                ("table_catalog", Ignore),
            ],
        ),
        "information_schema.schemata" => (Kind::Schema, &[("schema_name", Name)]),
        "information_schema.table_constraints" => (
            Kind::Constraint,
            &[
                ("constraint_schema", Schema),
                ("table_schema", Schema),
                ("table_name", Table),
                ("constraint_name", Name),
                ("constraint_type", Flavor),
            ],
        ),
        other => {
            let catalog = other.starts_with("pg_") || other.starts_with("information_schema.");
            return Err(if catalog {
                Answer::Outside(format!("`{other}`"))
            } else {
                Answer::Data
            });
        }
    };
    Ok(RelInfo { kind, columns })
}

/// The constants a probe pins down; `None` matches anything.
#[derive(Clone, Debug, Default)]
struct Desc {
    schema: Option<String>,
    table: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    /// The table a foreign key references.
    referenced: Option<QualName>,
    /// Two different constants for one slot: no row can match.
    conflict: bool,
}

impl Desc {
    fn set(field: &mut Option<String>, value: &str, conflict: &mut bool) {
        match field {
            Some(v) if v != value => *conflict = true,
            _ => *field = Some(value.to_string()),
        }
    }

    fn put(&mut self, slot: Slot, value: &Value) {
        let (schema, name) = match value {
            Value::Text(t) => (None, t.clone()),
            Value::Reg(qn) => (
                Some(qn.schema.as_str().to_string()),
                qn.name.as_str().to_string(),
            ),
        };
        match slot {
            Slot::Schema => {
                // A namespace reference is just the schema's name.
                Desc::set(&mut self.schema, &name, &mut self.conflict);
            }
            Slot::Table => {
                if let Some(s) = schema {
                    Desc::set(&mut self.schema, &s, &mut self.conflict);
                }
                Desc::set(&mut self.table, &name, &mut self.conflict);
            }
            Slot::Name => Desc::set(&mut self.name, &name, &mut self.conflict),
            Slot::Flavor => Desc::set(&mut self.kind, &name, &mut self.conflict),
            Slot::Oid => {
                if let Some(s) = schema {
                    Desc::set(&mut self.schema, &s, &mut self.conflict);
                }
                Desc::set(&mut self.name, &name, &mut self.conflict);
            }
            Slot::Referenced => match value {
                Value::Reg(qn) => match &self.referenced {
                    Some(r) if r != qn => self.conflict = true,
                    _ => self.referenced = Some(qn.clone()),
                },
                Value::Text(_) => self.conflict = true,
            },
            Slot::Ignore => {}
        }
    }
}

#[derive(Clone, Debug)]
enum Value {
    Text(String),
    /// `'core.t'::regclass`, `'core'::regnamespace`, `to_regclass('x')`:
    /// the name, folded as PostgreSQL reads it.
    Reg(QualName),
}

struct Rel {
    name: String,
    alias: String,
    info: RelInfo,
}

/// `EXISTS (query)`: whether the query returns a row.
pub fn exists(r: &Replay, query: &[Token]) -> Answer {
    match resolve(query).and_then(|p| p.rows(r)) {
        Ok(rows) => Answer::Known(!rows.is_empty()),
        Err(answer) => answer,
    }
}

/// How many rows the query returns (`SELECT count(*) FROM …`).
pub fn count(r: &Replay, query: &[Token]) -> Result<usize, Answer> {
    resolve(query)?.rows(r).map(|rows| rows.len())
}

/// A query read as a probe: its relations, the one that answers, and the
/// constants it pins down.
struct Resolved {
    query: Query,
    rels: Vec<Rel>,
    primary: usize,
    /// Per alternative, the primary's constants, with those of joined
    /// relations folded in.
    descs: Vec<Desc>,
}

impl Resolved {
    /// The objects any alternative matches, sorted, without repeats.
    fn rows(&self, r: &Replay) -> Result<Vec<Row>, Answer> {
        let kind = self.rels[self.primary].info.kind;
        let mut rows = Vec::new();
        for desc in self.descs.iter().filter(|d| !d.conflict) {
            rows.extend(matching_rows(r, kind, desc)?);
        }
        rows.sort();
        rows.dedup();
        Ok(rows)
    }
}

fn resolve(query: &[Token]) -> Result<Resolved, Answer> {
    let Some(q) = read_query(query) else {
        return Err(Answer::Unreadable);
    };
    let rels = q
        .from
        .iter()
        .map(|(name, alias)| {
            relation_info(name).map(|info| Rel {
                name: name.clone(),
                alias: alias.clone(),
                info,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if q.grouped {
        return Err(Answer::Unreadable);
    }
    // The most specific relation answers; the others only narrow it.
    let Some(primary) = (0..rels.len()).max_by_key(|&i| (rels[i].info.kind, usize::MAX - i)) else {
        return Err(Answer::Unreadable);
    };
    let descs = q
        .alternatives
        .iter()
        .map(|conditions| desc_of(&rels, primary, conditions))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Resolved {
        query: q,
        rels,
        primary,
        descs,
    })
}

/// The constants one alternative (a conjunction) pins down on the
/// primary relation, with those of joined relations folded in.
fn desc_of(rels: &[Rel], primary: usize, conditions: &[Vec<Token>]) -> Result<Desc, Answer> {
    let mut descs: Vec<Desc> = vec![Desc::default(); rels.len()];
    let mut links = Vec::new();
    for conj in conditions {
        match read_condition(rels, conj) {
            Some(Cond::Filter(i, slot, value)) => descs[i].put(slot, &value),
            Some(Cond::Link(a, b)) => links.push((a, b)),
            Some(Cond::Ignore) => {}
            None => return Err(Answer::Unreadable),
        }
    }
    // A relation joined without a link to the others (a cross join) would
    // make its own conditions independent of the answer: not a probe.
    let linked = |k: usize| links.iter().any(|&((i, _), (j, _))| i == k || j == k);
    if (0..rels.len()).any(|k| k != primary && !linked(k)) {
        return Err(Answer::Unreadable);
    }
    // Fold joined relations into the primary: `c.relnamespace = n.oid`
    // with `n.nspname = 'core'` pins the schema.
    for &((i, si), (j, sj)) in &links {
        if i == primary || j == primary {
            continue;
        }
        // A link between two joined relations (class to namespace).
        let (child, parent) = if si == Slot::Schema && sj == Slot::Oid {
            (i, j)
        } else if sj == Slot::Schema && si == Slot::Oid {
            (j, i)
        } else {
            return Err(Answer::Unreadable);
        };
        if let Some(s) = descs[parent].name.clone() {
            let child = &mut descs[child];
            Desc::set(&mut child.schema, &s, &mut child.conflict);
        }
    }
    let mut desc = descs[primary].clone();
    for &((i, si), (j, sj)) in &links {
        let (slot, other) = if i == primary && sj == Slot::Oid {
            (si, j)
        } else if j == primary && si == Slot::Oid {
            (sj, i)
        } else if i == primary || j == primary {
            return Err(Answer::Unreadable);
        } else {
            continue;
        };
        let o = &descs[other];
        desc.conflict |= o.conflict;
        match slot {
            Slot::Schema => {
                if let Some(n) = &o.name {
                    Desc::set(&mut desc.schema, n, &mut desc.conflict);
                }
            }
            Slot::Table => {
                if let Some(n) = &o.name {
                    Desc::set(&mut desc.table, n, &mut desc.conflict);
                }
                if let Some(s) = &o.schema {
                    Desc::set(&mut desc.schema, s, &mut desc.conflict);
                }
            }
            _ => return Err(Answer::Unreadable),
        }
    }
    Ok(desc)
}

/// One row of a loop's query: `(column or alias, value)` in select order.
pub type Record = Vec<(String, String)>;

/// What a select-list item reads from a matching object.
#[derive(Clone, Copy, Debug)]
enum Field {
    Name,
    Table,
    Schema,
    /// `conrelid::regclass`: the table as PostgreSQL prints it.
    TableRegclass,
    /// `c.oid::regclass` on `pg_class`: the relation itself.
    NameRegclass,
}

/// The rows of `SELECT cols FROM <catalog> WHERE …`, each as
/// `(column or alias, text value)`, when the query is one the replay reads
/// and every selected column is one it can produce (for `FOR r IN …`).
pub fn rows(r: &Replay, query: &[Token]) -> Option<Vec<Record>> {
    let p = resolve(query).ok()?;
    let mut fields = Vec::new();
    for item in split_top_op(&p.query.select, ",")
        .into_iter()
        .filter(|item| !item.is_empty())
    {
        fields.push(select_item(&p, item)?);
    }
    if fields.is_empty() {
        return None;
    }
    let found = p.rows(r).ok()?;
    let regclass = |schema: &str, name: &str| {
        let name = Ident::new(name).quoted();
        if schema == "public" {
            name
        } else {
            format!("{}.{name}", Ident::new(schema).quoted())
        }
    };
    Some(
        found
            .iter()
            .map(|row| {
                fields
                    .iter()
                    .map(|(key, field)| {
                        let value = match field {
                            Field::Name => row.name.clone(),
                            Field::Table => row.table.clone(),
                            Field::Schema => row.schema.clone(),
                            Field::TableRegclass => regclass(&row.schema, &row.table),
                            Field::NameRegclass => regclass(&row.schema, &row.name),
                        };
                        (key.clone(), value)
                    })
                    .collect()
            })
            .collect(),
    )
}

/// `[alias.]column [::type …] [[AS] name]` → its key and what it reads.
fn select_item(p: &Resolved, item: &[Token]) -> Option<(String, Field)> {
    let (col, len) = column_at(&p.rels, item, 0)?;
    let column = item.get(len - 1)?.word()?.to_string();
    let mut k = len;
    let mut casts = Vec::new();
    while item.get(k).is_some_and(|t| t.is_op("::")) {
        casts.push(item.get(k + 1)?.word()?.to_string());
        k += 2;
    }
    let key = match &item[k..] {
        [] => column.clone(),
        [a, name] if a.is("as") => name.word()?.to_string(),
        [name] => name.word()?.to_string(),
        _ => return None,
    };
    let regclass = casts.iter().any(|c| c == "regclass");
    let oid =
        column.ends_with("relid") || column.ends_with("typid") || column.ends_with("namespace");
    let (rel, slot) = col;
    let field = if rel == p.primary {
        match slot {
            Slot::Name => Field::Name,
            Slot::Table if regclass => Field::TableRegclass,
            Slot::Table if !oid => Field::Table,
            Slot::Schema if !oid || casts.iter().any(|c| c == "regnamespace") => Field::Schema,
            Slot::Oid if regclass && p.rels[rel].info.kind == Kind::Relation => Field::NameRegclass,
            _ => return None,
        }
    } else {
        // A joined relation's name: the table (pg_class) or schema (pg_namespace).
        match (p.rels[rel].info.kind, slot) {
            (Kind::Relation, Slot::Name) => Field::Table,
            (Kind::Schema, Slot::Name) => Field::Schema,
            _ => return None,
        }
    };
    Some((key, field))
}

enum Cond {
    Filter(usize, Slot, Value),
    Link((usize, Slot), (usize, Slot)),
    Ignore,
}

fn read_condition(rels: &[Rel], toks: &[Token]) -> Option<Cond> {
    // `NOT a.attisdropped`, `attnum > 0`: conditions on ignored columns.
    let columns: Vec<(usize, Slot)> = (0..toks.len())
        .filter_map(|k| column_at(rels, toks, k).map(|(c, _)| c))
        .collect();
    if !columns.is_empty() && columns.iter().all(|(_, s)| *s == Slot::Ignore) {
        return Some(Cond::Ignore);
    }
    let eq = toks.iter().position(|t| t.is_op("="))?;
    let (lhs, rhs) = (&toks[..eq], &toks[eq + 1..]);
    let col = |side: &[Token]| column_at(rels, side, 0).filter(|(_, len)| *len == side.len());
    match (col(lhs), col(rhs)) {
        (Some((a, _)), Some((b, _))) => Some(Cond::Link(a, b)),
        (Some(((i, slot), _)), None) => Some(Cond::Filter(i, slot, value(rhs)?)),
        (None, Some(((i, slot), _))) => Some(Cond::Filter(i, slot, value(lhs)?)),
        (None, None) => None,
    }
}

/// A column reference starting at `k` (`alias.col` or `col`): which
/// relation, which slot, and how many tokens it spans.
fn column_at(rels: &[Rel], toks: &[Token], k: usize) -> Option<((usize, Slot), usize)> {
    let first = toks.get(k)?.word()?;
    if k > 0 && toks[k - 1].is_op(".") {
        return None;
    }
    let lookup = |i: usize, col: &str| {
        rels[i]
            .info
            .columns
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, s)| (i, *s))
    };
    if toks.get(k + 1).is_some_and(|t| t.is_op(".")) {
        let col = toks.get(k + 2)?.word()?;
        let i = rels
            .iter()
            .position(|r| r.alias == first || r.name == first)?;
        return Some((lookup(i, col)?, 3));
    }
    (0..rels.len())
        .find_map(|i| lookup(i, first))
        .map(|c| (c, 1))
}

/// A constant: `'x'`, `'x'::text`, `'core.t'::regclass`, `to_regclass('x')`.
fn value(toks: &[Token]) -> Option<Value> {
    let (text, casts) = match toks {
        [f, open, s, rest @ ..]
            if f.word().is_some_and(|w| w.starts_with("to_reg")) && open.is_op("(") =>
        {
            let close = rest.iter().position(|t| t.is_op(")"))?;
            if close != 0 {
                return None;
            }
            (
                s.string()?.to_string(),
                vec![f.word()?.trim_start_matches("to_").to_string()],
            )
        }
        [s, rest @ ..] => {
            let text = s.string()?.to_string();
            let mut casts = Vec::new();
            let mut k = 0;
            while k < rest.len() {
                if !rest[k].is_op("::") {
                    return None;
                }
                casts.push(rest.get(k + 1)?.word()?.to_string());
                k += 2;
            }
            (text, casts)
        }
        [] => return None,
    };
    let reg = casts
        .iter()
        .any(|c| matches!(c.as_str(), "regclass" | "regtype" | "regnamespace"));
    if !reg {
        return Some(Value::Text(text));
    }
    if casts.iter().any(|c| c == "regnamespace") {
        return Some(Value::Text(Ident::from_sql(&text).as_str().to_string()));
    }
    QualName::from_sql(&text).map(Value::Reg)
}

struct Query {
    /// The select list (between SELECT and FROM).
    select: Vec<Token>,
    /// Relations (`pg_class`, `information_schema.columns`) and aliases.
    from: Vec<(String, String)>,
    /// WHERE and JOIN … ON conditions, as alternatives (OR, `IN (…)`),
    /// each a list of conditions that must all hold (AND).
    alternatives: Vec<Vec<Vec<Token>>>,
    grouped: bool,
}

/// Most alternatives a probe expands to (`IN` lists times `OR`s).
const MAX_ALTERNATIVES: usize = 64;

/// A conjunction with `(a OR b)` and `col IN (x, y)` expanded: the
/// alternatives, each a conjunction of plain conditions.
fn expand(conjunction: &[&[Token]]) -> Option<Vec<Vec<Vec<Token>>>> {
    let mut alts: Vec<Vec<Vec<Token>>> = vec![Vec::new()];
    for &cond in conjunction {
        let mut part = cond;
        while part.first().is_some_and(|t| t.is_op("("))
            && matching(part, 0) == Some(part.len() - 1)
        {
            part = &part[1..part.len() - 1];
        }
        let options: Vec<Vec<Vec<Token>>> = if split_top(part, "or").len() > 1 {
            let mut out = Vec::new();
            for disjunct in split_top(part, "or") {
                out.extend(expand(&split_top(disjunct, "and"))?);
            }
            out
        } else if split_top(part, "and").len() > 1 {
            expand(&split_top(part, "and"))?
        } else if let Some(values) = in_list(part) {
            values
        } else {
            vec![vec![part.to_vec()]]
        };
        let mut next = Vec::new();
        for alt in &alts {
            for option in &options {
                let mut joined = alt.clone();
                joined.extend(option.iter().cloned());
                next.push(joined);
            }
        }
        if next.len() > MAX_ALTERNATIVES {
            return None;
        }
        alts = next;
    }
    Some(alts)
}

/// `col IN ('a', 'b'::regclass)` → `[[col = 'a'], [col = 'b'::regclass]]`.
fn in_list(part: &[Token]) -> Option<Vec<Vec<Vec<Token>>>> {
    let at = part.iter().position(|t| t.is("in"))?;
    let (lhs, rest) = (&part[..at], &part[at + 1..]);
    if lhs.is_empty() || lhs.last().is_some_and(|t| t.is("not")) {
        return None;
    }
    if !rest.first()?.is_op("(") || matching(rest, 0) != Some(rest.len() - 1) {
        return None;
    }
    let inner = &rest[1..rest.len() - 1];
    if inner.first().is_some_and(|t| t.is("select")) {
        return None;
    }
    let eq = Token {
        tok: super::lexer::Tok::Op("=".into()),
        start: part[at].start,
        end: part[at].end,
    };
    Some(
        split_top_op(inner, ",")
            .into_iter()
            .map(|value| {
                let mut cond = lhs.to_vec();
                cond.push(eq.clone());
                cond.extend_from_slice(value);
                vec![cond]
            })
            .collect(),
    )
}

fn read_query(toks: &[Token]) -> Option<Query> {
    if !toks.first()?.is("select") {
        return None;
    }
    let at_top = |kw: &str| -> Option<usize> {
        let mut depth = 0usize;
        for (k, t) in toks.iter().enumerate() {
            if t.is_op("(") {
                depth += 1;
            } else if t.is_op(")") {
                depth = depth.saturating_sub(1);
            } else if depth == 0 && t.is(kw) {
                return Some(k);
            }
        }
        None
    };
    let from = at_top("from")?;
    let tail_kws = [
        "group",
        "having",
        "order",
        "limit",
        "offset",
        "union",
        "except",
        "intersect",
    ];
    let tail = tail_kws
        .iter()
        .filter_map(|k| at_top(k))
        .min()
        .unwrap_or(toks.len());
    let grouped = ["group", "having", "union", "except", "intersect"]
        .iter()
        .any(|k| at_top(k).is_some());
    let where_at = at_top("where").filter(|&w| w < tail);
    let from_toks = &toks[from + 1..where_at.unwrap_or(tail)];
    let mut conditions: Vec<Vec<Token>> = Vec::new();
    let mut rels = Vec::new();
    let mut k = 0;
    let stop = |t: &Token| {
        [
            "join", "inner", "left", "right", "full", "cross", "on", "natural", "outer",
        ]
        .iter()
        .any(|w| t.is(w))
            || t.is_op(",")
    };
    while k < from_toks.len() {
        let first = from_toks[k].word()?.to_string();
        k += 1;
        let mut name = first.clone();
        if from_toks.get(k).is_some_and(|t| t.is_op(".")) {
            let second = from_toks.get(k + 1)?.word()?;
            name = if first == "pg_catalog" {
                second.to_string()
            } else {
                format!("{first}.{second}")
            };
            k += 2;
        }
        if from_toks.get(k).is_some_and(|t| t.is("as")) {
            k += 1;
        }
        let mut alias = name.clone();
        if let Some(t) = from_toks.get(k)
            && !stop(t)
            && let Some(w) = t.word()
        {
            alias = w.to_string();
            k += 1;
        }
        rels.push((name, alias));
        // Separators and ON conditions up to the next relation.
        while let Some(t) = from_toks.get(k) {
            if t.is("on") {
                let start = k + 1;
                let mut depth = 0usize;
                k = start;
                while let Some(t) = from_toks.get(k) {
                    if t.is_op("(") {
                        depth += 1;
                    } else if t.is_op(")") {
                        depth = depth.saturating_sub(1);
                    } else if depth == 0 && stop(t) {
                        break;
                    }
                    k += 1;
                }
                conditions.extend(
                    split_top(&from_toks[start..k], "and")
                        .into_iter()
                        .map(<[Token]>::to_vec),
                );
            } else if stop(t) {
                k += 1;
            } else {
                break;
            }
        }
    }
    if rels.is_empty() {
        return None;
    }
    let mut conjunction: Vec<&[Token]> = conditions.iter().map(Vec::as_slice).collect();
    if let Some(w) = where_at {
        conjunction.push(&toks[w + 1..tail]);
    }
    let alternatives = expand(&conjunction)?;
    Some(Query {
        select: toks[1..from].to_vec(),
        from: rels,
        alternatives,
        grouped,
    })
}

/// Schemas Supabase provides whose objects the replay does not know unless
/// a migration created them (`auth.users`).
fn external(r: &Replay, schema: &str) -> bool {
    !matches!(
        schema,
        "public" | "extensions" | "pg_catalog" | "information_schema"
    ) && schema::provided::is_provided_schema(schema)
        && !r.catalog.tables.keys().any(|t| t.schema.as_str() == schema)
}

fn eq(want: &Option<String>, have: &str) -> bool {
    want.as_deref().is_none_or(|w| w == have)
}

/// One object a catalog query returns: its schema, its table (for
/// columns, constraints, indexes; the enum for labels) and its name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    schema: String,
    table: String,
    name: String,
}

impl Row {
    fn new(schema: &Ident, table: &str, name: &str) -> Row {
        Row {
            schema: schema.as_str().to_string(),
            table: table.to_string(),
            name: name.to_string(),
        }
    }
}

/// The objects matching the probe, in a stable order.
fn matching_rows(r: &Replay, kind: Kind, d: &Desc) -> Result<Vec<Row>, Answer> {
    let c = &r.catalog;
    // Policies and triggers on platform tables (`storage.objects`) are
    // replayed like any other.
    if let Some(s) = &d.schema
        && !matches!(kind, Kind::Schema | Kind::Policy | Kind::Trigger)
        && external(r, s)
    {
        return Err(Answer::Outside(format!(
            "objects Supabase provides in `{s}`"
        )));
    }
    let kind_is = |allowed: &[&str]| d.kind.as_deref().is_none_or(|k| allowed.contains(&k));
    let tables = || {
        c.tables
            .values()
            .filter(|t| eq(&d.schema, t.name.schema.as_str()))
    };
    let table_rows = || {
        tables()
            .filter(|t| eq(&d.name, t.name.name.as_str()))
            .map(|t| Row::new(&t.name.schema, "", t.name.name.as_str()))
            .collect::<Vec<_>>()
    };
    let mut rows = match kind {
        Kind::Schema => match &d.name {
            Some(n) if r.schema_exists(&Ident::new(n.as_str())) => {
                vec![Row::new(&Ident::new(n.as_str()), "", n)]
            }
            Some(_) => Vec::new(),
            None => return Err(Answer::Unreadable),
        },
        Kind::Extension => c
            .extensions
            .keys()
            .filter(|e| eq(&d.name, e.as_str()))
            .map(|e| Row::new(e, "", e.as_str()))
            .collect(),
        Kind::Table => {
            if !kind_is(&["BASE TABLE"]) {
                return Err(Answer::Outside("views".into()));
            }
            table_rows()
        }
        Kind::Relation => match d.kind.as_deref() {
            Some("r" | "p") => table_rows(),
            Some("i") => index_rows(r, d),
            None => {
                let mut rows = table_rows();
                rows.extend(index_rows(r, d));
                // Serial sequences: known by name only.
                if rows.is_empty()
                    && let Some(n) = &d.name
                {
                    let mut schemas: Vec<&Ident> = c
                        .tables
                        .keys()
                        .map(|t| &t.schema)
                        .filter(|s| eq(&d.schema, s.as_str()))
                        .collect();
                    schemas.dedup();
                    rows.extend(
                        schemas
                            .into_iter()
                            .filter(|s| r.relation_taken(s, n))
                            .map(|s| Row::new(s, "", n)),
                    );
                }
                rows
            }
            Some(_) => return Err(Answer::Outside("sequences and views".into())),
        },
        Kind::Type => {
            let mut rows: Vec<Row> = if kind_is(&["e"]) {
                c.enums
                    .keys()
                    .filter(|e| eq(&d.schema, e.schema.as_str()) && eq(&d.name, e.name.as_str()))
                    .map(|e| Row::new(&e.schema, "", e.name.as_str()))
                    .collect()
            } else {
                Vec::new()
            };
            if kind_is(&["c"]) {
                rows.extend(table_rows());
            }
            rows
        }
        Kind::Column => tables()
            .filter(|t| eq(&d.table, t.name.name.as_str()))
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|col| eq(&d.name, col.name.as_str()))
                    .map(|col| Row::new(&t.name.schema, t.name.name.as_str(), col.name.as_str()))
            })
            .collect(),
        Kind::Index => index_rows(r, d),
        Kind::Constraint => tables()
            .filter(|t| eq(&d.table, t.name.name.as_str()))
            .flat_map(|t| {
                let pk = t
                    .primary_key
                    .iter()
                    .filter(|_| kind_is(&["p", "PRIMARY KEY"]) && d.referenced.is_none())
                    .map(|pk| pk.name.as_str());
                let others = t
                    .constraints
                    .values()
                    .filter(|con| match (&d.referenced, &con.kind) {
                        (None, _) => true,
                        (Some(r), ConstraintKind::ForeignKey(fk)) => fk.ref_table == *r,
                        (Some(_), _) => false,
                    })
                    .filter(|con| {
                        kind_is(match con.kind {
                            ConstraintKind::Unique { .. } => &["u", "UNIQUE"],
                            ConstraintKind::Check { .. } => &["c", "CHECK"],
                            ConstraintKind::ForeignKey(_) => &["f", "FOREIGN KEY"],
                        })
                    })
                    .map(|con| con.name.as_str());
                pk.chain(others)
                    .filter(|n| eq(&d.name, n))
                    .map(|n| Row::new(&t.name.schema, t.name.name.as_str(), n))
                    .collect::<Vec<_>>()
            })
            .collect(),
        Kind::Policy => c
            .policies
            .values()
            .filter(|p| {
                eq(&d.schema, p.table.schema.as_str())
                    && eq(&d.table, p.table.name.as_str())
                    && eq(&d.name, p.name.as_str())
            })
            .map(|p| Row::new(&p.table.schema, p.table.name.as_str(), p.name.as_str()))
            .collect(),
        Kind::Trigger => c
            .triggers
            .values()
            .filter(|t| {
                eq(&d.schema, t.table.schema.as_str())
                    && eq(&d.table, t.table.name.as_str())
                    && eq(&d.name, t.name.as_str())
            })
            .map(|t| Row::new(&t.table.schema, t.table.name.as_str(), t.name.as_str()))
            .collect(),
        Kind::Function => c
            .functions
            .keys()
            .filter(|f| eq(&d.schema, f.name.schema.as_str()) && eq(&d.name, f.name.name.as_str()))
            .map(|f| Row::new(&f.name.schema, "", f.name.name.as_str()))
            .collect(),
        Kind::View | Kind::MatView => c
            .views
            .values()
            .filter(|v| {
                eq(&d.schema, v.name.schema.as_str())
                    && eq(&d.name, v.name.name.as_str())
                    && v.materialized == (kind == Kind::MatView)
            })
            .map(|v| Row::new(&v.name.schema, "", v.name.name.as_str()))
            .collect(),
        Kind::EnumLabel => c
            .enums
            .values()
            .filter(|e| eq(&d.schema, e.name.schema.as_str()) && eq(&d.table, e.name.name.as_str()))
            .flat_map(|e| {
                e.values
                    .iter()
                    .filter(|v| eq(&d.name, v))
                    .map(|v| Row::new(&e.name.schema, e.name.name.as_str(), v))
            })
            .collect(),
    };
    rows.sort();
    rows.dedup();
    Ok(rows)
}

/// Indexes matching the probe: explicit indexes and the indexes behind
/// primary keys and unique constraints.
fn index_rows(r: &Replay, d: &Desc) -> Vec<Row> {
    let c = &r.catalog;
    let explicit = c
        .indexes
        .values()
        .filter(|i| eq(&d.schema, i.name.schema.as_str()) && eq(&d.table, i.table.name.as_str()))
        .map(|i| Row::new(&i.name.schema, i.table.name.as_str(), i.name.name.as_str()));
    let backing = c
        .tables
        .values()
        .filter(|t| eq(&d.schema, t.name.schema.as_str()) && eq(&d.table, t.name.name.as_str()))
        .flat_map(|t| {
            let unique = t
                .constraints
                .values()
                .filter(|con| matches!(con.kind, ConstraintKind::Unique { .. }))
                .map(|con| con.name.as_str());
            t.primary_key
                .iter()
                .map(|pk| pk.name.as_str())
                .chain(unique)
                .map(|n| Row::new(&t.name.schema, t.name.name.as_str(), n))
                .collect::<Vec<_>>()
        });
    explicit
        .chain(backing)
        .filter(|row| eq(&d.name, &row.name))
        .collect()
}

/// `to_regclass('x')`, `to_regtype('x')`, `to_regnamespace('x')`: whether
/// the named object exists.
pub fn reg_lookup(r: &Replay, func: &str, arg: &str) -> Answer {
    match func {
        "to_regnamespace" => Answer::Known(r.schema_exists(&Ident::from_sql(arg))),
        "to_regclass" | "to_regtype" => {
            let Some(qn) = QualName::from_sql(arg) else {
                return Answer::Unreadable;
            };
            if external(r, qn.schema.as_str()) {
                return Answer::Outside(format!(
                    "objects Supabase provides in `{}`",
                    qn.schema.as_str()
                ));
            }
            let found = if func == "to_regclass" {
                r.relation_taken(&qn.schema, qn.name.as_str())
            } else {
                r.catalog.enums.contains_key(&qn) || r.catalog.tables.contains_key(&qn)
            };
            Answer::Known(found)
        }
        "to_regproc" | "to_regprocedure" => Answer::Outside("functions".into()),
        "to_regrole" => Answer::Outside("roles".into()),
        _ => Answer::Outside(format!("`{func}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokenize;
    use super::*;

    fn replay(sql: &str) -> Replay {
        let mut r = Replay::default();
        for stmt in crate::replay::split::split_statements(sql) {
            r.statement(&stmt.text, &mut Vec::new()).unwrap();
        }
        r
    }

    fn probe(r: &Replay, query: &str) -> Answer {
        exists(r, &tokenize(query))
    }

    #[test]
    fn probes_read_the_replayed_catalog() {
        let r = replay(
            "create schema core; create type core.s as enum ('a');
             create table core.t (id int primary key, c text unique, p int references core.t check (p > 0));
             create index t_c_idx on core.t (lower(c));",
        );
        let yes = Answer::Known(true);
        let no = Answer::Known(false);
        let cases = [
            (
                "select 1 from pg_constraint where conname = 't_pkey' and conrelid = 'core.t'::regclass",
                &yes,
            ),
            (
                "select 1 from pg_constraint where conname = 't_pkey' and contype = 'f'",
                &no,
            ),
            (
                "select 1 from pg_constraint where conname = 't_p_fkey' and contype = 'f'",
                &yes,
            ),
            (
                "select 1 from pg_constraint where conname = 't_p_check' and conrelid = to_regclass('public.t')",
                &no,
            ),
            (
                "select 1 from information_schema.columns where table_name = 't' and column_name = 'C'",
                &no,
            ),
            (
                "select 1 from information_schema.columns where (table_schema = 'core') and column_name = 'c'",
                &yes,
            ),
            (
                "select 1 from pg_indexes where indexname = 't_c_key' and tablename = 't'",
                &yes,
            ),
            (
                "select 1 from pg_class where relname = 't_c_idx' and relkind = 'i'",
                &yes,
            ),
            (
                "select 1 from pg_class where relname = 't_c_idx' and relkind = 'r'",
                &no,
            ),
            ("select 1 from pg_class where relname = 't_id_seq'", &no),
            (
                "select 1 from pg_type where typname = 's' and typtype = 'e'",
                &yes,
            ),
            (
                "select 1 from pg_type where typname = 't' and typtype = 'c'",
                &yes,
            ),
            (
                "select 1 from pg_enum e join pg_type t on t.oid = e.enumtypid where t.typname = 's' and e.enumlabel = 'b'",
                &no,
            ),
            ("select 1 from pg_namespace where nspname = 'auth'", &yes),
            (
                "select 1 from information_schema.schemata where schema_name = 'core'",
                &yes,
            ),
            (
                "select 1 from pg_tables where schemaname = 'core' and tablename = 't' and tablename = 'u'",
                &no,
            ),
        ];
        for (query, want) in cases {
            assert_eq!(&probe(&r, query), want, "{query}");
        }
    }

    #[test]
    fn probes_read_the_security_surface() {
        let r = replay(
            "create schema core; create table core.t (id int);
             create function core.touch() returns trigger language plpgsql as $$ begin return new; end $$;
             create trigger t_touch before update on core.t for each row execute function core.touch();
             create policy \"Read all\" on core.t for select using (true);
             create policy media on storage.objects using (true);
             create view core.v as select id from core.t;
             create materialized view core.m as select id from core.t;",
        );
        let yes = Answer::Known(true);
        let no = Answer::Known(false);
        for (query, want) in [
            (
                "select 1 from pg_policies where schemaname = 'core' and tablename = 't' and policyname = 'Read all'",
                &yes,
            ),
            (
                "select 1 from pg_policies where tablename = 't' and policyname = 'read all'",
                &no,
            ),
            (
                "select 1 from pg_policies where schemaname = 'storage' and policyname = 'media'",
                &yes,
            ),
            (
                "select 1 from pg_policy where polname = 'Read all' and polrelid = 'core.t'::regclass",
                &yes,
            ),
            (
                "select 1 from pg_trigger where tgname = 't_touch' and tgrelid = 'core.t'::regclass",
                &yes,
            ),
            ("select 1 from pg_trigger where tgname = 'nope'", &no),
            (
                "select 1 from pg_proc where proname = 'touch' and pronamespace = 'core'::regnamespace",
                &yes,
            ),
            (
                "select 1 from pg_views where schemaname = 'core' and viewname = 'v'",
                &yes,
            ),
            ("select 1 from pg_views where viewname = 'm'", &no),
            ("select 1 from pg_matviews where matviewname = 'm'", &yes),
        ] {
            assert_eq!(&probe(&r, query), want, "{query}");
        }
    }

    #[test]
    fn probes_outside_the_model_or_over_data_are_not_decided() {
        let r = replay("create table t (id int);");
        assert_eq!(
            probe(&r, "select 1 from pg_roles where rolname = 'p'"),
            Answer::Outside("`pg_roles`".into())
        );
        assert_eq!(
            probe(&r, "select 1 from core.shows where id = 1"),
            Answer::Data
        );
        assert_eq!(
            probe(
                &r,
                "select 1 from pg_class where relname = 'users' and relnamespace = 'auth'::regnamespace"
            ),
            Answer::Outside("objects Supabase provides in `auth`".into())
        );
        // `IN (…)` lists and `OR` are alternatives: a row of any matches.
        assert_eq!(
            probe(&r, "select 1 from pg_class where relname in ('a', 'b')"),
            Answer::Known(false)
        );
        assert_eq!(
            probe(&r, "select 1 from pg_class where relname in ('a', 't')"),
            Answer::Known(true)
        );
        assert_eq!(
            probe(
                &r,
                "select 1 from pg_class where relname = 'a' or (relname = 't' and relkind = 'r')"
            ),
            Answer::Known(true)
        );
        assert_eq!(
            count(
                &r,
                &tokenize(
                    "select count(*) from pg_class where relname = 't' or relname in ('t', 'zz')"
                )
            ),
            Ok(1)
        );
        // Shapes the reader does not follow are said so, not guessed.
        for query in [
            "select 1 from pg_class where relname not in ('a', 'b')",
            "select 1 from pg_class where relname in (select 'a')",
            "select 1 from pg_class where lower(relname) = 'a'",
            "select 1 from (select 1) x",
            "select 1 from pg_class, pg_namespace where nspname = 'core'",
            "select 1",
        ] {
            assert_eq!(probe(&r, query), Answer::Unreadable, "{query}");
        }
        assert_eq!(reg_lookup(&r, "to_regclass", "t"), Answer::Known(true));
        assert_eq!(reg_lookup(&r, "to_regclass", "\"T\""), Answer::Known(false));
        assert_eq!(
            reg_lookup(&r, "to_regrole", "anon"),
            Answer::Outside("roles".into())
        );
    }
}
