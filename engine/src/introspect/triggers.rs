//! Triggers on the tables and views read (not PostgreSQL's internal ones,
//! such as those behind foreign keys), with their transition tables and,
//! for constraint triggers, their deferral.

use super::{IntrospectError, Reader, TableOids, get, parse_expr};
use schema::{Catalog, Deferral, Ident, QualName, Trigger, TriggerEvent, TriggerTiming};

/// `tgtype` bits (`TRIGGER_TYPE_*` in `pg_trigger.h`).
const ROW: i16 = 1 << 0;
const BEFORE: i16 = 1 << 1;
const INSERT: i16 = 1 << 2;
const DELETE: i16 = 1 << 3;
const UPDATE: i16 = 1 << 4;
const TRUNCATE: i16 = 1 << 5;
const INSTEAD: i16 = 1 << 6;

pub(super) fn read(
    reader: &mut Reader,
    relations: &TableOids,
    catalog: &mut Catalog,
) -> Result<(), IntrospectError> {
    let oid_list: Vec<u32> = relations.keys().copied().collect();
    let what = "triggers";
    let rows = reader.query(
        what,
        "SELECT t.tgrelid, t.tgname::text, t.tgtype, fn.nspname::text, f.proname::text,
                ARRAY(SELECT a.attname::text
                        FROM unnest(t.tgattr::int2[]) WITH ORDINALITY AS k(attnum, ord)
                        JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum
                       ORDER BY k.ord),
                t.tgnargs, t.tgargs, t.tgqual IS NOT NULL, pg_get_triggerdef(t.oid, true),
                t.tgoldtable::text, t.tgnewtable::text, t.tgconstraint <> 0,
                t.tgdeferrable, t.tginitdeferred
           FROM pg_trigger t
           JOIN pg_proc f ON f.oid = t.tgfoid
           JOIN pg_namespace fn ON fn.oid = f.pronamespace
          WHERE t.tgrelid = ANY($1) AND NOT t.tgisinternal",
        &[&oid_list],
    )?;
    for row in rows {
        let table = relations[&get::<u32>(&row, 0, what)?].clone();
        let name = Ident::new(get::<String>(&row, 1, what)?);
        let object = || format!("trigger {} on {table}", name.quoted());
        let tgtype: i16 = get(&row, 2, what)?;
        let timing = if tgtype & INSTEAD != 0 {
            TriggerTiming::InsteadOf
        } else if tgtype & BEFORE != 0 {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let columns: Vec<Ident> = get::<Vec<String>>(&row, 5, what)?
            .into_iter()
            .map(Ident::new)
            .collect();
        // In the order of `TriggerEvent`, as the model keeps them.
        let mut events = Vec::new();
        if tgtype & INSERT != 0 {
            events.push(TriggerEvent::Insert);
        }
        if tgtype & UPDATE != 0 {
            events.push(TriggerEvent::Update { columns });
        }
        if tgtype & DELETE != 0 {
            events.push(TriggerEvent::Delete);
        }
        if tgtype & TRUNCATE != 0 {
            events.push(TriggerEvent::Truncate);
        }
        let args = split_args(get(&row, 7, what)?, get(&row, 6, what)?).ok_or_else(|| {
            IntrospectError::Unexpected {
                object: object(),
                detail: "tgargs is not a list of UTF-8 strings".into(),
            }
        })?;
        // `tgqual` refers to OLD and NEW by range-table position, which
        // `pg_get_expr` cannot print: the trigger's definition can.
        let when = if get::<bool>(&row, 8, what)? {
            let def: String = get(&row, 9, what)?;
            let text = when_clause(&def).ok_or_else(|| IntrospectError::Unexpected {
                object: object(),
                detail: format!("no WHEN clause found in `{def}`"),
            })?;
            Some(parse_expr(|| format!("WHEN of {}", object()), text)?)
        } else {
            None
        };
        let trigger = Trigger {
            name,
            table,
            timing,
            events,
            for_each_row: tgtype & ROW != 0,
            when,
            function: QualName::new(
                Ident::new(get::<String>(&row, 3, what)?),
                Ident::new(get::<String>(&row, 4, what)?),
            ),
            args,
            old_table: get::<Option<String>>(&row, 10, what)?.map(Ident::new),
            new_table: get::<Option<String>>(&row, 11, what)?.map(Ident::new),
            constraint: if get::<bool>(&row, 12, what)? {
                Some(
                    match (get::<bool>(&row, 13, what)?, get::<bool>(&row, 14, what)?) {
                        (_, true) => Deferral::DeferrableInitiallyDeferred,
                        (true, false) => Deferral::DeferrableInitiallyImmediate,
                        (false, false) => Deferral::NotDeferrable,
                    },
                )
            } else {
                None
            },
        };
        catalog.triggers.insert(trigger.key(), trigger);
    }
    Ok(())
}

/// `tgargs`: `count` strings, each ended by a NUL byte.
fn split_args(bytes: Vec<u8>, count: i16) -> Option<Vec<String>> {
    let count = usize::try_from(count).ok()?;
    let Some((&0, body)) = bytes.split_last() else {
        return (count == 0 && bytes.is_empty()).then(Vec::new);
    };
    let args: Vec<String> = body
        .split(|&b| b == 0)
        .map(|arg| String::from_utf8(arg.to_vec()).ok())
        .collect::<Option<_>>()?;
    (args.len() == count).then_some(args)
}

/// The expression inside `WHEN (…)` of a `pg_get_triggerdef` text:
/// `… FOR EACH ROW WHEN (old.* IS DISTINCT FROM new.*) EXECUTE FUNCTION f()`.
fn when_clause(def: &str) -> Option<&str> {
    let start = def.find(" WHEN (")? + " WHEN (".len();
    let end = def.rfind(") EXECUTE FUNCTION ")?;
    (start <= end).then(|| &def[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_and_when_are_cut_out_of_what_postgres_stores() {
        assert_eq!(
            split_args(b"shows\0a b\0it's\0".to_vec(), 3),
            Some(vec!["shows".into(), "a b".into(), "it's".into()])
        );
        assert_eq!(split_args(Vec::new(), 0), Some(vec![]));
        assert_eq!(split_args(b"one\0".to_vec(), 2), None);
        assert_eq!(split_args(b"one".to_vec(), 1), None);
        assert_eq!(split_args(b"\0".to_vec(), 1), Some(vec![String::new()]));
        assert_eq!(
            when_clause(
                "CREATE TRIGGER t BEFORE UPDATE ON core.shows FOR EACH ROW WHEN (old.* IS DISTINCT FROM new.*) EXECUTE FUNCTION core.touch()"
            ),
            Some("old.* IS DISTINCT FROM new.*")
        );
        assert_eq!(
            when_clause("CREATE TRIGGER t AFTER INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION f()"),
            None
        );
    }
}
