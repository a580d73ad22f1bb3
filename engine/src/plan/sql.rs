//! SQL text for definitions: columns, constraints, indexes, literals.
//!
//! Every value a user wrote reaches SQL through one of these shapes, so
//! none can end its statement and start another: names through
//! `Ident`/`QualName` quoting (or [`sql_name`] for stored dotted names),
//! free text through [`literal`], types through their validated canonical
//! text, expressions through `Expr::sql()` (re-rendered from a parsed
//! AST), words from a grammar (storage parameter values, setting values)
//! through a check that falls back to [`literal`], and text in `--` lines
//! through [`comment`].

use schema::ident::{quote_ident, split_qualified};
use schema::names::make_object_name;
use schema::{
    Column, Constraint, ConstraintKind, Enum, ForeignKey, Ident, Identity, Index, IndexTarget,
    PrimaryKey, QualName,
};
use std::collections::BTreeMap;

/// A string literal: `'it''s'`. Text with a backslash is written as an
/// escape string (`E'a\\b'`), which means the same whatever the server's
/// `standard_conforming_strings` says.
pub fn literal(text: &str) -> String {
    if text.contains('\\') {
        format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// `body` between dollar quotes whose tag (`$name$`, else `$name_1$`, …)
/// does not occur in it, so that nothing in the body can end the quote.
pub fn dollar_quote(body: &str, name: &str) -> String {
    let mut tag = format!("${name}$");
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("${name}_{n}$");
    }
    format!("{tag}\n{body}\n{tag}")
}

/// A `--` comment line (without its line break): line breaks and other
/// control characters in `text` are written as visible escapes (`\n`), so
/// nothing after them can leave the comment and run as SQL.
pub fn comment(text: &str) -> String {
    format!("-- {}", comment_text(text))
}

/// `text` made safe to sit inside a `--` comment (see [`comment`]).
pub fn comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push(' '),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// A possibly qualified name kept as text in its quoted form (a collation
/// `"C"`, an operator class `extensions.gin_trgm_ops`), each part quoted
/// again so that text which is not a name stays one quoted identifier.
pub fn sql_name(stored: &str) -> String {
    match split_qualified(stored) {
        Some(parts) => parts
            .iter()
            .map(|p| quote_ident(Ident::from_sql(p).as_str()))
            .collect::<Vec<_>>()
            .join("."),
        None => quote_ident(stored),
    }
}

/// A configuration parameter name (`search_path`, `app.tenant`): each
/// dotted part an identifier.
pub fn setting_name(name: &str) -> String {
    name.split('.')
        .map(quote_ident)
        .collect::<Vec<_>>()
        .join(".")
}

/// `WITH (…)` storage parameters: keys as identifiers, values bare when
/// they are numbers or plain words (`70`, `off`), else string literals.
pub fn storage_params(with: &BTreeMap<String, String>) -> String {
    with.iter()
        .map(|(k, v)| format!("{} = {}", quote_ident(k), word_or_literal(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` bare when it is a number or a plain lower-case word, else a
/// string literal: what PostgreSQL's option grammars accept either way.
pub fn word_or_literal(text: &str) -> String {
    let number = {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let mut parts = digits.splitn(2, '.');
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next();
        !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && fraction.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
    };
    // Reserved words PostgreSQL's option grammar takes bare as well.
    let word = (quote_ident(text) == text && !text.contains('$'))
        || matches!(text, "true" | "false" | "on");
    if number || word {
        text.to_string()
    } else {
        literal(text)
    }
}

pub fn column_list(columns: &[Ident]) -> String {
    columns
        .iter()
        .map(Ident::quoted)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `serial`, `bigserial` or `smallserial` when the column is exactly what
/// that shorthand creates: an integer NOT NULL column whose default is
/// `nextval` of the `<table>_<column>_seq` sequence.
pub fn serial_type(table: &QualName, column: &Column) -> Option<&'static str> {
    let serial = match column.ty.as_str() {
        "integer" => "serial",
        "bigint" => "bigserial",
        "smallint" => "smallserial",
        _ => return None,
    };
    if column.nullable || column.identity.is_some() || column.generated.is_some() {
        return None;
    }
    let seq = Ident::new(make_object_name(
        table.name.as_str(),
        Some(column.name.as_str()),
        "seq",
    ));
    let bare = seq.quoted();
    let qualified = QualName::new(table.schema.clone(), seq).to_string();
    let default = column.default.as_ref()?.sql().to_string();
    let matches = |name: &str| default == format!("nextval({}::regclass)", literal(name));
    (matches(&bare) || matches(&qualified)).then_some(serial)
}

pub fn identity_sql(identity: Identity) -> &'static str {
    match identity {
        Identity::Always => "GENERATED ALWAYS AS IDENTITY",
        Identity::ByDefault => "GENERATED BY DEFAULT AS IDENTITY",
    }
}

/// A column definition as in `CREATE TABLE` or `ADD COLUMN`.
pub fn column_def(table: &QualName, column: &Column) -> String {
    if let Some(serial) = serial_type(table, column) {
        return format!("{} {serial} NOT NULL", column.name);
    }
    let mut out = format!("{} {}", column.name, column.ty);
    if let Some(generated) = &column.generated {
        out.push_str(&format!(
            " GENERATED ALWAYS AS ({}) STORED",
            generated.sql()
        ));
    }
    if let Some(identity) = column.identity {
        out.push(' ');
        out.push_str(identity_sql(identity));
    }
    if let Some(default) = &column.default {
        out.push_str(&format!(" DEFAULT {}", default_sql(default)));
    }
    if !column.nullable {
        out.push_str(" NOT NULL");
    }
    out
}

/// A column definition's `DEFAULT` takes only PostgreSQL's restricted
/// expression (`b_expr`): `now() AT TIME ZONE 'utc'`, `a IS NULL`, `NOT x`,
/// `x IN (…)` or `AND`/`OR` need parentheses there (`SET DEFAULT` does not).
fn default_sql(default: &schema::Expr) -> String {
    use sqlparser::ast::{BinaryOperator as Op, Expr as E};
    let parsed = sqlparser::parser::Parser::new(&sqlparser::dialect::PostgreSqlDialect {})
        .try_with_sql(default.sql())
        .and_then(|mut p| p.parse_expr());
    let restricted = match parsed {
        Ok(E::BinaryOp { op, .. }) => !matches!(op, Op::And | Op::Or | Op::Xor),
        Ok(E::UnaryOp { op, .. }) => op != sqlparser::ast::UnaryOperator::Not,
        Ok(
            E::Value(_)
            | E::Function(_)
            | E::Cast { .. }
            | E::Identifier(_)
            | E::CompoundIdentifier(_)
            | E::Nested(_)
            | E::TypedString { .. }
            | E::Array(_),
        ) => true,
        _ => false,
    };
    if restricted {
        default.sql().to_string()
    } else {
        format!("({})", default.sql())
    }
}

pub fn primary_key_def(pk: &PrimaryKey) -> String {
    format!(
        "CONSTRAINT {} PRIMARY KEY ({})",
        pk.name,
        column_list(&pk.columns)
    )
}

pub fn constraint_def(constraint: &Constraint) -> String {
    let body = match &constraint.kind {
        ConstraintKind::Unique {
            columns,
            nulls_not_distinct,
            deferral,
        } => format!(
            "UNIQUE{} ({}){}",
            if *nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            column_list(columns),
            deferral.sql()
        ),
        ConstraintKind::Check { expr, no_inherit } => {
            format!(
                "CHECK ({}){}",
                expr.sql(),
                if *no_inherit { " NO INHERIT" } else { "" }
            )
        }
        ConstraintKind::ForeignKey(fk) => foreign_key_body(fk),
    };
    format!("CONSTRAINT {} {body}", constraint.name)
}

fn foreign_key_body(fk: &ForeignKey) -> String {
    let mut out = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        column_list(&fk.columns),
        fk.ref_table,
        column_list(&fk.ref_columns)
    );
    if fk.match_full {
        out.push_str(" MATCH FULL");
    }
    if fk.on_update != schema::FkAction::NoAction {
        out.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    if fk.on_delete != schema::FkAction::NoAction {
        out.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    out.push_str(fk.deferral.sql());
    out
}

pub fn create_enum(e: &Enum) -> String {
    let labels = e
        .values
        .iter()
        .map(|v| literal(v))
        .collect::<Vec<_>>()
        .join(", ");
    format!("CREATE TYPE {} AS ENUM ({labels});", e.name)
}

pub fn create_table(table: &schema::Table) -> String {
    let mut lines: Vec<String> = table
        .columns
        .iter()
        .map(|c| column_def(&table.name, c))
        .collect();
    if let Some(pk) = &table.primary_key {
        lines.push(primary_key_def(pk));
    }
    lines.extend(table.constraints.values().map(constraint_def));
    if lines.is_empty() {
        return format!("CREATE TABLE {} ();", table.name);
    }
    format!(
        "CREATE TABLE {} (\n    {}\n);",
        table.name,
        lines.join(",\n    ")
    )
}

/// `CREATE INDEX`; the index name is unqualified (it lives in the table's
/// schema).
pub fn create_index(index: &Index, concurrently: bool) -> String {
    let keys = index
        .keys
        .iter()
        .map(|k| {
            let mut key = match &k.target {
                IndexTarget::Column(c) => c.quoted(),
                IndexTarget::Expression(e) => format!("({})", e.sql()),
            };
            if let Some(collation) = &k.collation {
                key.push_str(&format!(" COLLATE {}", sql_name(collation)));
            }
            if let Some(opclass) = &k.opclass {
                key.push_str(&format!(" {}", sql_name(opclass)));
            }
            if k.descending {
                key.push_str(" DESC");
            }
            match (k.descending, k.nulls_first) {
                (false, true) => key.push_str(" NULLS FIRST"),
                (true, false) => key.push_str(" NULLS LAST"),
                _ => {}
            }
            key
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = format!(
        "CREATE {}INDEX {}{} ON {}",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        index.name.name,
        index.table
    );
    if index.method != "btree" {
        out.push_str(&format!(" USING {}", quote_ident(&index.method)));
    }
    out.push_str(&format!(" ({keys})"));
    if !index.include.is_empty() {
        out.push_str(&format!(" INCLUDE ({})", column_list(&index.include)));
    }
    if index.nulls_not_distinct {
        out.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        out.push_str(&format!(" WITH ({})", storage_params(&index.with)));
    }
    if let Some(predicate) = &index.predicate {
        out.push_str(&format!(" WHERE {}", predicate.sql()));
    }
    out.push(';');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use schema::{Expr, SqlType};

    #[test]
    fn literals_double_quotes() {
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(literal("a\\'b"), "E'a\\\\''b'");
    }

    #[test]
    fn dollar_quotes_avoid_their_body() {
        assert_eq!(dollar_quote("select 1", "f"), "$f$\nselect 1\n$f$");
        assert_eq!(
            dollar_quote("x $f$ y $f_1$", "f"),
            "$f_2$\nx $f$ y $f_1$\n$f_2$"
        );
    }

    #[test]
    fn comments_cannot_be_left() {
        assert_eq!(
            comment("drop x\ndrop table t; --\r\u{7}"),
            "-- drop x\\ndrop table t; --\\r\\u{7}"
        );
    }

    #[test]
    fn option_words_are_bare_only_when_plain() {
        assert_eq!(word_or_literal("70"), "70");
        assert_eq!(word_or_literal("-1.5"), "-1.5");
        assert_eq!(word_or_literal("off"), "off");
        assert_eq!(
            word_or_literal("70); drop table t; --"),
            "'70); drop table t; --'"
        );
        assert_eq!(word_or_literal("1."), "'1.'");
        assert_eq!(word_or_literal("Off"), "'Off'");
        assert_eq!(word_or_literal("select"), "'select'");
    }

    #[test]
    fn stored_names_are_requoted() {
        assert_eq!(sql_name("\"C\""), "\"C\"");
        assert_eq!(
            sql_name("extensions.gin_trgm_ops"),
            "extensions.gin_trgm_ops"
        );
        assert_eq!(sql_name("x; drop table t"), "\"x; drop table t\"");
        assert_eq!(setting_name("search_path"), "search_path");
        assert_eq!(setting_name("app.x y"), "app.\"x y\"");
    }

    #[test]
    fn defaults_outside_the_restricted_grammar_get_parentheses() {
        let t = QualName::from("core.t");
        let mut c = Column::new(
            Ident::new("at"),
            SqlType::canonical("timestamp without time zone"),
        );
        c.default = Some(Expr::parse("now() AT TIME ZONE 'utc'").unwrap());
        assert_eq!(
            column_def(&t, &c),
            "at timestamp without time zone DEFAULT (now() AT TIME ZONE 'utc')"
        );
        c.default = Some(Expr::parse("NOT true").unwrap());
        assert_eq!(
            column_def(&t, &c),
            "at timestamp without time zone DEFAULT (NOT true)"
        );
        c.default = Some(Expr::parse("'{}'::jsonb").unwrap());
        assert_eq!(
            column_def(&t, &c),
            "at timestamp without time zone DEFAULT '{}'::jsonb"
        );
    }

    #[test]
    fn serial_needs_the_derived_sequence() {
        let t = QualName::from("core.shows");
        let mut c = Column::new(Ident::new("id"), SqlType::canonical("bigint"));
        c.nullable = false;
        c.default = Some(Expr::parse("nextval('core.shows_id_seq'::regclass)").unwrap());
        assert_eq!(column_def(&t, &c), "id bigserial NOT NULL");
        let quoted = QualName::from("public.\"My T\"");
        c.default = Some(Expr::parse("NEXTVAL('\"My T_id_seq\"'::REGCLASS)").unwrap());
        assert_eq!(column_def(&quoted, &c), "id bigserial NOT NULL");
        c.default = Some(Expr::canonical("nextval('other_seq'::regclass)"));
        assert_eq!(
            column_def(&t, &c),
            "id bigint DEFAULT nextval('other_seq'::regclass) NOT NULL"
        );
    }
}
