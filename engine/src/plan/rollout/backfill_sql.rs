//! The SQL of a backfill step: the `-- trr-schema backfill:` line that
//! `trr-schema backfill` finds, then a `DO` block that runs the same copy in
//! PostgreSQL, batch by batch.
//!
//! The loop walks the primary key in keyset order: each batch is "the next
//! `batch_size` keys after the last one done", found through the key's
//! index, and updates only the rows of that key range where `pending` holds,
//! so a rerun visits every range but changes nothing that is done. Both
//! statements go through `EXECUTE … USING`: PostgreSQL plans each one with
//! the actual key values (a custom plan), so the range condition uses the
//! index instead of a generic plan's guess. Each batch commits on its own,
//! which is why the file runs outside a transaction block.
//!
//! A batch with fewer than `batch_size` keys is the last one, as in
//! `trr-schema backfill`: rows inserted after it started get their value
//! from the helper trigger (installed by the expand file), and a loop that
//! went on until it found no key at all would chase an application that
//! keeps inserting, forever.

use crate::plan::model::Backfill;
use crate::plan::sql::{dollar_quote, literal};

/// First line of every backfill step; the JSON spec follows on that line.
pub const MARKER: &str = "-- trr-schema backfill: ";

/// The marker line, then the `DO` block, for `spec`.
pub fn render(spec: &Backfill) -> String {
    let json = serde_json::to_string(spec).expect("a Backfill always serializes");
    let k = spec.key.len();
    let last: Vec<String> = (1..=k).map(|i| format!("last_{i}")).collect();
    let next: Vec<String> = (1..=k).map(|i| format!("next_{i}")).collect();
    let params = |from: usize| -> String {
        let list: Vec<String> = (from..from + k).map(|i| format!("${i}")).collect();
        format!("({})", list.join(", "))
    };
    let key = format!("({})", spec.key.join(", "));
    let order = spec.key.join(", ");
    let order_desc = spec
        .key
        .iter()
        .map(|c| format!("{c} DESC"))
        .collect::<Vec<_>>()
        .join(", ");
    // `$1 IS NULL` holds only before the first batch; the custom plan folds
    // it away, leaving a plain index range condition.
    let after = format!("($1 IS NULL OR {key} > {})", params(1));
    let next_keys = format!(
        "WITH batch AS (SELECT {order} FROM {table} WHERE {after} ORDER BY {order} LIMIT {batch}) \
         SELECT {order}, (SELECT count(*) FROM batch) FROM batch ORDER BY {order_desc} LIMIT 1",
        table = spec.table,
        batch = spec.batch_size,
    );
    let set = spec
        .assignments
        .iter()
        .map(|(c, e)| format!("{c} = {e}"))
        .collect::<Vec<_>>()
        .join(", ");
    let update = format!(
        "UPDATE {table} SET {set} WHERE {after} AND {key} <= {upto} AND ({pending})",
        table = spec.table,
        upto = params(k + 1),
        pending = spec.pending,
    );
    let mut out = String::from("DECLARE\n");
    for (i, column) in spec.key.iter().enumerate() {
        let ty = format!("{}.{column}%TYPE", spec.table);
        out.push_str(&format!("    {} {ty};\n    {} {ty};\n", last[i], next[i]));
    }
    out.push_str(
        "    batch_keys bigint;\n    batch_rows bigint;\n    total_rows bigint := 0;\nBEGIN\n    LOOP\n",
    );
    out.push_str(&format!(
        "        EXECUTE {}\n            INTO {}, batch_keys USING {};\n",
        literal(&next_keys),
        next.join(", "),
        last.join(", ")
    ));
    out.push_str(&format!("        EXIT WHEN {} IS NULL;\n", next[0]));
    // Transaction-local, so set again after each COMMIT: triggers that
    // stamp rows (`timestamps`) leave the batch's rows as they were.
    out.push_str(&format!(
        "        PERFORM set_config({}, 'on', true);\n",
        literal(schema::intents::BACKFILL_SETTING)
    ));
    out.push_str(&format!(
        "        EXECUTE {}\n            USING {}, {};\n",
        literal(&update),
        last.join(", "),
        next.join(", ")
    ));
    out.push_str("        GET DIAGNOSTICS batch_rows = ROW_COUNT;\n");
    out.push_str("        total_rows := total_rows + batch_rows;\n");
    out.push_str("        COMMIT;\n");
    for i in 0..k {
        out.push_str(&format!("        {} := {};\n", last[i], next[i]));
    }
    out.push_str(&format!(
        "        RAISE NOTICE {}, total_rows;\n",
        literal(&format!(
            "trr-schema backfill {}: % rows updated",
            spec.table.replace('%', "%%")
        ))
    ));
    out.push_str(&format!(
        "        EXIT WHEN batch_keys < {};\n",
        spec.batch_size
    ));
    if spec.pause_ms > 0 {
        out.push_str(&format!(
            "        PERFORM pg_sleep({});\n",
            pause_seconds(spec.pause_ms)
        ));
    }
    out.push_str("    END LOOP;\nEND");
    format!("{MARKER}{json}\nDO {};", dollar_quote(&out, "trr_backfill"))
}

/// `250` ms → `0.25`: pg_sleep takes seconds.
fn pause_seconds(ms: u32) -> String {
    let whole = ms / 1000;
    let frac = ms % 1000;
    if frac == 0 {
        whole.to_string()
    } else {
        format!("{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(key: &[&str]) -> Backfill {
        Backfill {
            table: "core.\"Show Seasons\"".into(),
            key: key.iter().map(|k| k.to_string()).collect(),
            assignments: vec![("slug".into(), "handle".into())],
            pending: "slug IS DISTINCT FROM handle AND note <> 'it''s'".into(),
            batch_size: 1000,
            pause_ms: 250,
        }
    }

    #[test]
    fn single_key() {
        insta::assert_snapshot!(render(&spec(&["id"])));
    }

    #[test]
    fn composite_key_with_quoted_names() {
        insta::assert_snapshot!(render(&spec(&["show_id", "\"Season No\""])));
    }

    #[test]
    fn marker_line_holds_the_spec() {
        let s = spec(&["id"]);
        let text = render(&s);
        let first = text.lines().next().unwrap();
        let json = first.strip_prefix(MARKER).unwrap();
        assert_eq!(serde_json::from_str::<Backfill>(json).unwrap(), s);
    }

    #[test]
    fn pauses_in_seconds() {
        assert_eq!(pause_seconds(100), "0.1");
        assert_eq!(pause_seconds(2000), "2");
        assert_eq!(pause_seconds(1250), "1.25");
        let mut s = spec(&["id"]);
        s.pause_ms = 0;
        assert!(!render(&s).contains("pg_sleep"));
    }
}
