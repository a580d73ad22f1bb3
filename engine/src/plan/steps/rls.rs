//! `ALTER TABLE … ENABLE/DISABLE/FORCE/NO FORCE ROW LEVEL SECURITY`.

use super::*;

pub(super) fn actions(
    (enabled, forced): (bool, bool),
    (to_enabled, to_forced): (bool, bool),
) -> Vec<&'static str> {
    let mut out = Vec::new();
    if enabled != to_enabled {
        out.push(if to_enabled {
            "ENABLE ROW LEVEL SECURITY"
        } else {
            "DISABLE ROW LEVEL SECURITY"
        });
    }
    if forced != to_forced {
        out.push(if to_forced {
            "FORCE ROW LEVEL SECURITY"
        } else {
            "NO FORCE ROW LEVEL SECURITY"
        });
    }
    out
}

pub(super) fn draft(change: &Change) -> Option<Parts> {
    let Change::SetRls { table, from, to } = change else {
        return None;
    };
    let forward = actions(*from, *to);
    let back = actions(*to, *from);
    let words: Vec<String> = forward
        .iter()
        .map(|a| a.trim_end_matches(" ROW LEVEL SECURITY").to_lowercase())
        .collect();
    // Narrowing (enable, force) runs as early as it can.
    let narrows = (to.0 && !from.0) || (to.1 && !from.1);
    Some((
        step(
            obj(ObjectKind::Table, table),
            Action::Alter,
            format!("{} row level security on {table}", words.join(" and ")),
            alter_table(table, forward.join(", ")),
            sql_rollback(alter_table(table, back.join(", "))),
            vec![],
        ),
        FileKind::Expand,
        if narrows { 1 } else { 24 },
        None,
    ))
}
