//! Steps that set or clear comments.

use super::*;

pub(super) fn draft(change: &Change) -> Option<Parts> {
    use Action::*;
    use FileKind::*;
    use ObjectKind as K;
    Some(match change {
        Change::SetComment { target, from, to } => {
            let what = comment_on(target).1;
            let summary = match to {
                Some(_) => format!("set comment on {what}"),
                None => format!("clear comment on {what}"),
            };
            (
                step(
                    obj(K::Comment, &what),
                    Alter,
                    summary,
                    comment_sql(target, to.as_ref()),
                    sql_rollback(comment_sql(target, from.as_ref())),
                    vec![],
                ),
                Expand,
                22,
                None,
            )
        }
        _ => return None,
    })
}
