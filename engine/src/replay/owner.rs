//! `ALTER TYPE|FUNCTION|SCHEMA|VIEW|… name OWNER TO role`, which `db dump`
//! and `db diff` write after every object. Ownership is outside the model,
//! and sqlparser reads `OWNER TO` only for tables: read from tokens.
//! (`ALTER TABLE … OWNER TO` goes through `alter_table`.)

use super::notes::Remark;
use super::split::significant_tokens;
use sqlparser::tokenizer::Token;

/// A notice for `ALTER <kind> … OWNER TO role`; `None` for any other statement.
pub(super) fn replay(words: &[String], text: &str, notes: &mut Vec<Remark>) -> Option<()> {
    let kind = match words {
        [a, kind, ..] if a == "alter" && kind != "table" => kind,
        _ => return None,
    };
    let tokens = significant_tokens(text)?;
    let kw = |t: &Token, w: &str| matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    let [.., owner, to, Token::Word(role)] = tokens.as_slice() else {
        return None;
    };
    if !kw(owner, "owner") || !kw(to, "to") {
        return None;
    }
    let objects = super::plpgsql::objects_in_head(text);
    notes.push(
        Remark::outside_model(&format!(
            "ALTER {} … OWNER TO {}",
            kind.to_ascii_uppercase(),
            role.value
        ))
        .with_objects(objects),
    );
    Some(())
}
