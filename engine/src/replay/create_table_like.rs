//! `CREATE TABLE t (LIKE src [INCLUDING | EXCLUDING option] …)`, read from
//! tokens: sqlparser reads `LIKE` without options only. PostgreSQL's
//! `transformTableLikeClause` copies column names, types and NOT NULL
//! always; defaults, checks, identity, generated expressions, indexes and
//! comments by option; foreign keys never. Indexes and index-backed
//! constraints get names derived from the new table (`t_pkey`,
//! `t_user_id_watched_at_idx`); checks keep theirs.

use super::create_index::key_name;
use super::create_table::{PendingConstraint, PendingKind, add_constraint};
use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, display_name, missing_relation};
use schema::names::{NameLabel, choose_name, columns_addition, index_column_names};
use schema::{ConstraintKind, Ident, IndexTarget, QualName, Table};
use sqlparser::ast;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::Token;

/// What `INCLUDING` / `EXCLUDING` options select.
#[derive(Default)]
struct Including {
    defaults: bool,
    constraints: bool,
    indexes: bool,
    identity: bool,
    generated: bool,
    comments: bool,
}

impl Including {
    /// Applies one option; `false` for a word that is no option.
    fn set(&mut self, option: &str, on: bool) -> bool {
        match option {
            "all" => {
                *self = Including {
                    defaults: on,
                    constraints: on,
                    indexes: on,
                    identity: on,
                    generated: on,
                    comments: on,
                }
            }
            "defaults" => self.defaults = on,
            "constraints" => self.constraints = on,
            "indexes" => self.indexes = on,
            "identity" => self.identity = on,
            "generated" => self.generated = on,
            "comments" => self.comments = on,
            // Physical properties the Catalog does not model.
            "storage" | "compression" | "statistics" => {}
            _ => return false,
        }
        true
    }
}

/// Replays `CREATE TABLE … (LIKE …)` when `LIKE` is the only element of the
/// list; `None` for any other statement (a `LIKE` mixed with columns goes
/// on to the parser, and is noted as not followed).
/// `words` are the statement's head words ([`super::notes::head_words`]).
pub(super) fn replay(
    r: &mut Replay,
    words: &[String],
    text: &str,
    notes: &mut Vec<Remark>,
) -> Option<StmtResult> {
    if words.first().map(String::as_str) != Some("create")
        || !words.iter().take(3).any(|w| w == "table")
        || !text.to_ascii_lowercase().contains("like")
    {
        return None;
    }
    let tokens: Vec<Token> = super::split::significant_tokens(text)?;
    let word = |i: usize| match tokens.get(i) {
        Some(Token::Word(w)) if w.quote_style.is_none() => Some(w.value.to_ascii_lowercase()),
        _ => None,
    };
    let kw = |i: usize, w: &str| word(i).as_deref() == Some(w);
    let mut i = 1;
    if kw(i, "unlogged") {
        i += 1;
    }
    if !kw(i, "table") {
        return None;
    }
    i += 1;
    let if_not_exists = kw(i, "if") && kw(i + 1, "not") && kw(i + 2, "exists");
    if if_not_exists {
        i += 3;
    }
    let (name, next) = qualified_name(&tokens, i)?;
    if !matches!(tokens.get(next), Some(Token::LParen)) || !kw(next + 1, "like") {
        return None;
    }
    let (source, mut i) = qualified_name(&tokens, next + 2)?;
    let mut including = Including::default();
    while let (Some(verb), Some(option)) = (word(i), word(i + 1)) {
        let on = match verb.as_str() {
            "including" => true,
            "excluding" => false,
            _ => break,
        };
        if !including.set(&option, on) {
            return None;
        }
        i += 2;
    }
    if !matches!(tokens.get(i), Some(Token::RParen)) || i + 1 != tokens.len() {
        return None;
    }
    Some(create_like(
        r,
        &name,
        if_not_exists,
        &source,
        &including,
        notes,
    ))
}

fn qualified_name(tokens: &[Token], i: usize) -> Option<(QualName, usize)> {
    let ident = |i: usize| match tokens.get(i)? {
        Token::Word(w) => Some(Ident::from_ast(&ast::Ident {
            value: w.value.clone(),
            quote_style: w.quote_style,
            span: sqlparser::tokenizer::Span::empty(),
        })),
        _ => None,
    };
    let first = ident(i)?;
    if matches!(tokens.get(i + 1), Some(Token::Period)) {
        return Some((QualName::new(first, ident(i + 2)?), i + 3));
    }
    Some((
        QualName::new(Ident::new(schema::ident::DEFAULT_SCHEMA), first),
        i + 1,
    ))
}

fn create_like(
    r: &mut Replay,
    name: &QualName,
    if_not_exists: bool,
    source: &QualName,
    including: &Including,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    r.require_schema(&name.schema)?;
    let Some(src) = r.catalog.tables.get(source).cloned() else {
        if r.catalog.schemas.contains_key(&source.schema) {
            return Err(missing_relation(source));
        }
        // A platform table (auth.users) the Catalog does not hold.
        notes.push(
            Remark::not_followed("CREATE TABLE … (LIKE)")
                .with_objects([name.to_string(), source.to_string()]),
        );
        return Ok(());
    };
    if r.catalog.tables.contains_key(name) && if_not_exists {
        return Ok(());
    }
    if r.relation_taken(&name.schema, name.name.as_str()) || r.catalog.enums.contains_key(name) {
        return Err(StmtError::duplicate(format!(
            "relation \"{}\" already exists",
            display_name(name)
        ))
        .hint("use CREATE TABLE IF NOT EXISTS, or pick another name"));
    }

    let mut table = Table::new(name.clone());
    for c in &src.columns {
        let mut c = c.clone();
        if !including.generated {
            c.generated = None;
        }
        if !including.defaults {
            c.default = None;
        }
        if !including.identity {
            c.identity = None;
        }
        if !including.comments {
            c.comment = None;
        }
        table.columns.push(c);
    }
    if including.constraints {
        for c in src.constraints.values() {
            if matches!(c.kind, ConstraintKind::Check { .. }) {
                table.constraints.insert(c.name.clone(), c.clone());
            }
        }
    }
    r.catalog.tables.insert(name.clone(), table);
    super::grant::grant_table_defaults(r, name);
    if !including.indexes {
        return Ok(());
    }
    if let Some(pk) = &src.primary_key {
        let pending = PendingConstraint {
            name: None,
            kind: PendingKind::PrimaryKey(pk.columns.clone()),
        };
        add_constraint(r, name, pending)?;
    }
    for c in src.constraints.values() {
        if let ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
            deferral,
        } = &c.kind
        {
            let pending = PendingConstraint {
                name: None,
                kind: PendingKind::Unique {
                    columns: columns.clone(),
                    nulls_not_distinct: *nulls_not_distinct,
                    deferral: *deferral,
                },
            };
            add_constraint(r, name, pending)?;
        }
    }
    let indexes: Vec<schema::Index> = r
        .catalog
        .indexes
        .values()
        .filter(|i| &i.table == source)
        .cloned()
        .collect();
    for mut index in indexes {
        let key_names: Vec<String> = index
            .keys
            .iter()
            .map(|k| match &k.target {
                IndexTarget::Column(c) => c.as_str().to_string(),
                IndexTarget::Expression(e) => Parser::new(&PostgreSqlDialect {})
                    .try_with_sql(e.sql())
                    .and_then(|mut p| p.parse_expr())
                    .map_or_else(|_| "expr".to_string(), |e| key_name(&e)),
            })
            .collect();
        let addition = columns_addition(&index_column_names(&key_names));
        let index_name = choose_name(&name.name, Some(&addition), NameLabel::Index, |n| {
            r.relation_taken(&name.schema, n)
        });
        index.name = QualName::new(name.schema.clone(), index_name);
        index.table = name.clone();
        if !including.comments {
            index.comment = None;
        }
        r.catalog.indexes.insert(index.name.clone(), index);
    }
    Ok(())
}
