//! `COMMENT ON SCHEMA/TYPE/TABLE/COLUMN/INDEX … IS '…' | NULL`.

use super::errors::{StmtError, StmtResult};
use super::notes::Remark;
use super::{Replay, display_name, label_of, q, qual_name};
use schema::{Ident, QualName};
use sqlparser::ast::{self, CommentObject};

pub(super) fn comment_on(
    r: &mut Replay,
    object: CommentObject,
    name: &ast::ObjectName,
    comment: Option<String>,
    text: &str,
    notes: &mut Vec<Remark>,
) -> StmtResult {
    match object {
        CommentObject::Schema => {
            let schema = match name.0.as_slice() {
                [part] => part.as_ident().map(Ident::from_ast),
                _ => None,
            }
            .ok_or_else(|| StmtError::invalid(format!("improper schema name: {name}")))?;
            // `public` exists in every database: commenting on it (pg_dump
            // and `db diff` do) brings it into the Catalog.
            if schema.as_str() == schema::ident::DEFAULT_SCHEMA {
                r.catalog
                    .schemas
                    .entry(schema.clone())
                    .or_insert_with(|| schema::Schema {
                        name: schema.clone(),
                        comment: None,
                    });
            }
            let s = r.catalog.schemas.get_mut(&schema).ok_or_else(|| {
                StmtError::missing(format!("schema {} does not exist", q(&schema)))
                    .hint("comments on schemas the migrations do not create are not modeled")
            })?;
            s.comment = comment;
        }
        CommentObject::Type => {
            let n = qual_name(name)?;
            let e = r.catalog.enums.get_mut(&n).ok_or_else(|| {
                StmtError::missing(format!("type \"{}\" does not exist", display_name(&n)))
            })?;
            e.comment = comment;
        }
        CommentObject::Table => {
            let n = qual_name(name)?;
            r.table_mut(&n)?.comment = comment;
        }
        CommentObject::Column => {
            let parts: Vec<Ident> = name
                .0
                .iter()
                .filter_map(|p| p.as_ident().map(Ident::from_ast))
                .collect();
            let (table, column) = match parts.as_slice() {
                [t, c] => (
                    QualName::new(Ident::new(schema::ident::DEFAULT_SCHEMA), t.clone()),
                    c.clone(),
                ),
                [s, t, c] => (QualName::new(s.clone(), t.clone()), c.clone()),
                _ => {
                    return Err(StmtError::invalid(format!(
                        "column name must be qualified: {name}"
                    ))
                    .hint("write COMMENT ON COLUMN table.column IS '…'"));
                }
            };
            let t = r.table_mut(&table)?;
            let col = t.column_mut(&column).ok_or_else(|| {
                StmtError::missing(format!(
                    "column {} of relation \"{}\" does not exist",
                    q(&column),
                    display_name(&table)
                ))
            })?;
            col.comment = comment;
        }
        CommentObject::Index => {
            let n = qual_name(name)?;
            if let Some(index) = r.catalog.indexes.get_mut(&n) {
                index.comment = comment;
            } else if r.relation_taken(&n.schema, n.name.as_str()) {
                // The index of a primary key or unique constraint: the Catalog
                // has no place for its comment.
                notes.push(Remark::outside_model(&format!(
                    "{} on a constraint's index",
                    label_of(text)
                )));
            } else {
                return Err(StmtError::missing(format!(
                    "relation \"{}\" does not exist",
                    display_name(&n)
                )));
            }
        }
        CommentObject::View | CommentObject::MaterializedView => {
            let n = qual_name(name)?;
            let materialized = matches!(object, CommentObject::MaterializedView);
            match r.catalog.views.get_mut(&n) {
                Some(v) if v.materialized == materialized => v.comment = comment,
                _ => {
                    return Err(StmtError::missing(format!(
                        "{} \"{}\" does not exist",
                        if materialized {
                            "materialized view"
                        } else {
                            "view"
                        },
                        display_name(&n)
                    )));
                }
            }
        }
        _ => notes.push(super::notes::unmodeled(&label_of(text))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::replay::replay_sources;
    use schema::{CommentTarget, Ident, QualName, Source};

    #[test]
    fn comments_attach_and_clear() {
        let r = replay_sources(&[Source::new(
            "m.sql",
            "create schema s; create table s.t (a int); comment on schema s is 'S'; comment on table s.t is 'T';
             comment on column s.t.a is 'A'; comment on column s.t.a is null;",
        )])
        .unwrap();
        let c = &r.catalog;
        assert_eq!(
            c.comment(&CommentTarget::Schema {
                schema: Ident::new("s")
            })
            .unwrap(),
            "S"
        );
        assert_eq!(
            c.comment(&CommentTarget::Table {
                table: QualName::from("s.t")
            })
            .unwrap(),
            "T"
        );
        assert!(
            c.comment(&CommentTarget::Column {
                table: QualName::from("s.t"),
                column: Ident::new("a")
            })
            .is_none()
        );
        assert!(replay_sources(&[Source::new("m.sql", "comment on table nope is 'x'")]).is_err());
    }
}
