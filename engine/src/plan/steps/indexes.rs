//! Steps for explicit indexes (`CONCURRENTLY` on tables that already exist).

use super::*;

pub(super) fn draft(change: &Change, env: &Env) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::CreateIndex(i) => {
            let concurrent = env.existing(&i.table);
            let rollback = if concurrent {
                format!("DROP INDEX CONCURRENTLY {};", i.name)
            } else {
                format!("DROP INDEX {};", i.name)
            };
            (
                step(
                    obj(K::Index, &i.name),
                    Create,
                    format!(
                        "create {}index {} on {}{}",
                        if i.unique { "unique " } else { "" },
                        i.name,
                        i.table,
                        if concurrent { " concurrently" } else { "" }
                    ),
                    create_index(i, concurrent),
                    sql_rollback(rollback),
                    if concurrent {
                        vec![Hazard::BuildsIndex]
                    } else {
                        vec![]
                    },
                ),
                if concurrent { ExpandIndexes } else { Expand },
                21,
                None,
            )
        }
        Change::DropIndex { index, replaced } => (
            step(
                obj(K::Index, &index.name),
                Drop,
                format!("drop index {}", index.name),
                format!("DROP INDEX {};", index.name),
                sql_rollback(create_index(index, false)),
                vec![Hazard::AccessExclusiveLock],
            ),
            if *replaced { Expand } else { Contract },
            2,
            None,
        ),
        Change::SwapIndex { old, new, helper } => {
            let rename = |from: &schema::QualName, to: &schema::QualName| {
                format!("ALTER INDEX {from} RENAME TO {};", to.name)
            };
            // The old index took its comment with it; the new one's comment
            // is a SetComment step of its own (the diff counts the index as
            // recreated), which runs after this one.
            let with_comment = |mut sql: String, index: &schema::Index| {
                if let Some(c) = &index.comment {
                    sql.push('\n');
                    sql.push_str(&comment_sql(
                        &CommentTarget::Index {
                            index: index.name.clone(),
                        },
                        Some(c),
                    ));
                }
                sql
            };
            (
                step(
                    obj(K::Index, &new.name),
                    Alter,
                    format!(
                        "replace index {} by {helper} (built concurrently)",
                        new.name
                    ),
                    format!("DROP INDEX {};\n{}", old.name, rename(helper, &new.name)),
                    sql_rollback(with_comment(
                        format!(
                            "{}\n{}",
                            rename(&new.name, helper),
                            create_index(old, false)
                        ),
                        old,
                    )),
                    vec![Hazard::AccessExclusiveLock],
                ),
                Cutover,
                2,
                None,
            )
        }
        _ => return None,
    })
}

/// A new index that must wait for a step in a transactional file (e.g. on a
/// column recreated in `contract`) is built there, without `CONCURRENTLY`.
pub(in crate::plan) fn build_in_transaction(change: &Change, step: &mut Step) {
    if let Change::CreateIndex(index) = change {
        step.sql = create_index(index, false);
        step.rollback = sql_rollback(format!("DROP INDEX {};", index.name));
        step.summary = step.summary.trim_end_matches(" concurrently").to_string();
        step.hazards = vec![Hazard::BuildsIndex];
    }
}
