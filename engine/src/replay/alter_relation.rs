//! `ALTER INDEX` and `ALTER SEQUENCE`, read from tokens: sqlparser knows
//! `ALTER INDEX … RENAME TO` only without `IF EXISTS`, and no `ALTER
//! SEQUENCE` at all.
//!
//! - `ALTER INDEX i RENAME TO j` renames the index, or the primary key or
//!   unique constraint it backs (PostgreSQL renames the constraint with its
//!   index); a table rebuild renames indexes out of the way this way.
//! - `ALTER SEQUENCE s RENAME TO t` / `SET SCHEMA x` changes the default of
//!   every column drawing from `s` (`nextval('s'::regclass)` prints the new
//!   name); the sequence itself is not modeled, so other actions
//!   (`OWNED BY`, `RESTART`, …) are outside the model.

use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::rename::move_table;
use super::{Replay, display_name, label_of, q};
use schema::names::{serial_default, serial_sequence};
use schema::{ConstraintKind, Ident, QualName};
use sqlparser::ast;
use sqlparser::tokenizer::Token;

/// Replays `ALTER INDEX` / `ALTER SEQUENCE`; `None` for any other statement.
/// `words` are the statement's head words ([`super::notes::head_words`]).
pub(super) fn replay(
    r: &mut Replay,
    words: &[String],
    text: &str,
    notes: &mut Vec<Remark>,
) -> Option<StmtResult> {
    // Cheap test first: most statements are not these two.
    if !matches!(
        words,
        [a, b, ..] if a == "alter" && (b == "index" || b == "sequence")
    ) {
        return None;
    }
    let tokens: Vec<Token> = super::split::significant_tokens(text)?;
    let kw = |i: usize, w: &str| matches!(tokens.get(i), Some(Token::Word(x)) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    let sequence = kw(1, "sequence");
    if !kw(0, "alter") || !(kw(1, "index") || sequence) {
        return None;
    }
    let mut i = 2;
    let if_exists = kw(i, "if") && kw(i + 1, "exists");
    if if_exists {
        i += 2;
    }
    let (name, after) = qualified_name(&tokens, i)?;
    let action = if kw(after, "rename") && kw(after + 1, "to") {
        ident_at(&tokens, after + 2)
            .filter(|_| after + 3 == tokens.len())
            .map(Action::RenameTo)
    } else if sequence && kw(after, "set") && kw(after + 1, "schema") {
        ident_at(&tokens, after + 2)
            .filter(|_| after + 3 == tokens.len())
            .map(Action::SetSchema)
    } else {
        None
    };
    let Some(action) = action else {
        notes.push(if sequence {
            // OWNED BY, RESTART, INCREMENT, …: the sequence, not the table.
            Remark::outside_model(&label_of(text)).with_objects([name.to_string()])
        } else {
            // SET (fillfactor …), SET TABLESPACE, ATTACH PARTITION, …
            Remark::not_followed(&label_of(text)).with_objects([name.to_string()])
        });
        return Some(Ok(()));
    };
    Some(if sequence {
        alter_sequence(r, &name, action, notes)
    } else {
        rename_index(r, &name, if_exists, action)
    })
}

enum Action {
    RenameTo(Ident),
    SetSchema(Ident),
}

/// `name` or `schema.name` at `tokens[i]`, unqualified names in `public`,
/// and the position after it.
fn qualified_name(tokens: &[Token], i: usize) -> Option<(QualName, usize)> {
    let first = ident_at(tokens, i)?;
    if matches!(tokens.get(i + 1), Some(Token::Period)) {
        let second = ident_at(tokens, i + 2)?;
        return Some((QualName::new(first, second), i + 3));
    }
    Some((
        QualName::new(Ident::new(schema::ident::DEFAULT_SCHEMA), first),
        i + 1,
    ))
}

fn ident_at(tokens: &[Token], i: usize) -> Option<Ident> {
    match tokens.get(i)? {
        Token::Word(w) => Some(Ident::from_ast(&ast::Ident {
            value: w.value.clone(),
            quote_style: w.quote_style,
            span: sqlparser::tokenizer::Span::empty(),
        })),
        _ => None,
    }
}

fn rename_index(r: &mut Replay, name: &QualName, if_exists: bool, action: Action) -> StmtResult {
    let Action::RenameTo(to) = action else {
        unreachable!("SET SCHEMA is read for sequences only")
    };
    let schema = name.schema.clone();
    let target = QualName::new(schema.clone(), to.clone());
    let owner = r
        .catalog
        .tables
        .values()
        .filter(|t| t.name.schema == schema)
        .find(|t| {
            t.primary_key
                .as_ref()
                .is_some_and(|pk| pk.name == name.name)
                || t.constraints
                    .get(&name.name)
                    .is_some_and(|c| matches!(c.kind, ConstraintKind::Unique { .. }))
        })
        .map(|t| t.name.clone());
    let found = r.catalog.indexes.contains_key(name)
        || owner.is_some()
        || r.catalog.tables.contains_key(name);
    if !found {
        if if_exists {
            return Ok(());
        }
        return Err(super::missing_relation(name));
    }
    if &target == name {
        return Ok(());
    }
    if r.relation_taken(&schema, to.as_str()) || r.catalog.enums.contains_key(&target) {
        return Err(
            StmtError::duplicate(format!("relation {} already exists", q(&to)))
                .hint("rename or drop the other relation first"),
        );
    }
    if let Some(mut index) = r.catalog.indexes.remove(name) {
        index.name = target.clone();
        r.catalog.indexes.insert(target, index);
    } else if let Some(owner) = owner {
        // The constraint takes the index's new name; no other constraint
        // of the schema may hold it (checked by `relation_taken` for
        // index-backed ones; a check or foreign key of that name conflicts too).
        if r.constraint_taken(&schema, to.as_str()) {
            return Err(StmtError::duplicate(format!(
                "constraint {} for relation \"{}\" already exists",
                q(&to),
                display_name(&owner)
            )));
        }
        let t = r.table_mut(&owner)?;
        if let Some(pk) = t.primary_key.as_mut().filter(|pk| pk.name == name.name) {
            pk.name = to;
        } else if let Some(mut c) = t.constraints.remove(&name.name) {
            c.name = to.clone();
            t.constraints.insert(to, c);
        }
    } else {
        // ALTER INDEX on a table renames the table, as PostgreSQL allows.
        move_table(r, name, &target)?;
    }
    Ok(())
}

fn alter_sequence(
    r: &mut Replay,
    name: &QualName,
    action: Action,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    let target = match action {
        Action::RenameTo(to) => QualName::new(name.schema.clone(), to),
        Action::SetSchema(schema) => {
            r.require_schema(&schema)?;
            QualName::new(schema, name.name.clone())
        }
    };
    let users: Vec<(QualName, usize)> = r
        .catalog
        .tables
        .values()
        .flat_map(|t| {
            t.columns.iter().enumerate().filter_map(|(i, c)| {
                let seq = c.default.as_ref().and_then(serial_sequence)?;
                (&seq == name).then(|| (t.name.clone(), i))
            })
        })
        .collect();
    if users.is_empty() {
        // No modeled default draws from it (or it does not exist, which
        // only PostgreSQL can tell): the Catalog is unaffected either way.
        notes.push(Remark::outside_model("ALTER SEQUENCE").with_objects([name.to_string()]));
        return Ok(());
    }
    if target != *name && r.relation_taken(&target.schema, target.name.as_str()) {
        return Err(StmtError::duplicate(format!(
            "relation {} already exists",
            q(&target.name)
        )));
    }
    for (table, i) in users {
        if let Some(t) = r.catalog.tables.get_mut(&table) {
            t.columns[i].default = Some(serial_default(&target));
        }
    }
    // The same sequence under another name: its grants go with it.
    let moved: Vec<schema::Grant> = r
        .catalog
        .grants
        .iter()
        .filter(|g| matches!(&g.on, schema::GrantTarget::Sequence { sequence } if sequence == name))
        .cloned()
        .collect();
    for mut g in moved {
        r.catalog.grants.remove(&g);
        g.on = schema::GrantTarget::Sequence {
            sequence: target.clone(),
        };
        r.catalog.grants.insert(g);
    }
    Ok(())
}
