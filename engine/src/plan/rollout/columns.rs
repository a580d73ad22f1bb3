//! Column rollouts: which declared column intents need one, how far each
//! got (read from the current Catalog alone), and the steps still to run.
//!
//! - **rename** (`renamed-from=old`, optionally `using=`): expand adds the
//!   new column (nullable, no default) with a helper trigger copying old →
//!   new; backfill copies existing rows; dual-write makes the trigger copy
//!   both ways; cutover is the plain diff (NOT NULL, default, dependents on
//!   the new column); contract drops the trigger, its function and the old
//!   column (the plain diff's drop, with a rollback that refills it).
//! - **fill** (`backfill=expr` on a NOT NULL column that is new or was
//!   nullable): expand adds the column nullable and a trigger that fills
//!   NULLs with the value; backfill fills existing rows; no dual-write (the
//!   fill trigger already is one); cutover sets NOT NULL; contract drops
//!   the trigger.
//! - **derive** (`using=expr` on a new column): like a rename that keeps
//!   its source: forward sync, backfill, dual-write that keeps values the
//!   new application writes, cutover; contract drops the trigger only.
//!
//! Progress marks: the new column exists; the helper function and trigger
//! exist; the function's comment is [`sync::BACKFILLED`] (written by the
//! backfill file); the function's body is the dual-write one.

use super::backfill_sql;
use super::step;
use super::sync::{self, BACKFILLED, Source};
use crate::plan::deps::{Deps, Key};
use crate::plan::model::*;
use crate::plan::sql::{column_def, literal};
use crate::plan::steps::routines::{create_function, create_trigger};
use crate::plan::steps::{Draft, FileKind};
use crate::plan::types::is_widening;
use schema::{
    Catalog, Column, Function, Ident, QualName, SqlType, Trigger, TriggerEvent, TriggerTiming,
    intents::ColumnIntent,
};

/// What a column rollout does.
#[derive(Clone, Debug)]
pub enum Kind {
    Rename { old: Column },
    Fill,
    Derive,
}

/// One column rollout in progress (or about to start).
#[derive(Clone, Debug)]
pub struct ColumnRollout {
    pub table: QualName,
    /// The column as declared.
    pub column: Column,
    pub kind: Kind,
    /// The new column's value from the row's other columns.
    pub source: Source,
    /// For a rename: the old column's value from the new one.
    pub back: Option<Source>,
    /// The rename's `back` is `reverse-using=` as declared (not a cast).
    pub back_declared: bool,
    /// For a derived column with `reverse-using=`: the source column it
    /// writes back, and its value from the new column.
    pub reverse: Option<(Ident, Source)>,
    pub key: Vec<Ident>,
    pub function: Function,
    pub trigger: Trigger,
    /// The current table has the new column already.
    pub has_column: bool,
}

/// The rollout `intent` asks for on `desired`'s `table.column`, `Ok(None)`
/// when there is none (new table, rollout done, nothing to do), or why it
/// cannot be planned.
pub fn detect(
    table: &QualName,
    name: &Ident,
    intent: &ColumnIntent,
    current: &Catalog,
    desired: &Catalog,
) -> Result<Option<ColumnRollout>, Unsupported> {
    let (Some(cur), Some(want)) = (current.tables.get(table), desired.tables.get(table)) else {
        return Ok(None);
    };
    let Some(column) = want.columns.iter().find(|c| &c.name == name) else {
        return Ok(None);
    };
    let existing = cur.columns.iter().find(|c| &c.name == name);
    let helper = |what: &str| {
        let function = QualName::new(
            table.schema.clone(),
            sync::helper_name(&[what, table.name.as_str(), name.as_str()]),
        );
        let trigger = sync::helper_name(&[what, name.as_str()]);
        let present = current.functions.keys().any(|f| f.name == function);
        (function, trigger, present)
    };
    let unsupported = |reason: String| Unsupported {
        object: ObjectRef {
            kind: ObjectKind::Column,
            name: format!("{table}.{name}"),
        },
        reason,
    };
    let (kind, source, back, helper) = if let Some(old_name) = &intent.renamed_from {
        let Some(old) = cur.columns.iter().find(|c| &c.name == old_name) else {
            // Renamed already (or never existed): nothing to move.
            return Ok(None);
        };
        let source = match &intent.using {
            Some(e) => Source::Expr(e.clone()),
            None if old.ty == column.ty || is_widening(&old.ty, &column.ty) => {
                Source::Column(old.name.clone())
            }
            None => {
                return Err(unsupported(format!(
                    "{table}.{name} is renamed from {old_name} and changes type from {} to {}, which does not convert \
                     every value unchanged; add using=\"…\" saying how (e.g. using=\"{old_name}::{}\")",
                    old.ty, column.ty, column.ty
                )));
            }
        };
        let back = if let Some(r) = &intent.reverse_using {
            Source::Expr(r.clone())
        } else if old.ty == column.ty {
            Source::Column(column.name.clone())
        } else if let Some(e) = datestyle_free_text(&column.name, &column.ty, &old.ty) {
            Source::Expr(e)
        } else {
            Source::Cast(column.name.clone(), old.ty.clone())
        };
        (
            Kind::Rename { old: old.clone() },
            source,
            Some(back),
            helper("trr_sync"),
        )
    } else if let Some(expr) = &intent.using {
        let helper = helper("trr_sync");
        match existing {
            None => {}
            Some(_) if helper.2 => {}
            Some(c) if c.ty != column.ty => {
                return Err(unsupported(format!(
                    "{table}.{name} changes type from {} to {} with using=: converting a column in place is not \
                     supported yet; declare a new column with using=, move the application to it, then drop this one",
                    c.ty, column.ty
                )));
            }
            Some(_) => return Ok(None),
        }
        (Kind::Derive, Source::Expr(expr.clone()), None, helper)
    } else if let Some(expr) = &intent.backfill {
        let helper = helper("trr_fill");
        let needed = match existing {
            None => true,
            Some(c) => c.nullable || helper.2,
        };
        if column.nullable || !needed {
            return Ok(None);
        }
        (Kind::Fill, Source::Expr(expr.clone()), None, helper)
    } else {
        return Ok(None);
    };
    let Some(pk) = &cur.primary_key else {
        return Err(unsupported(format!(
            "{table} has no primary key: the backfill of {table}.{name} walks the table by its primary key in \
             batches; declare a primary key (and plan it) before this change"
        )));
    };
    let reverse = match (&kind, intent.reverse_target(), &intent.reverse_using) {
        (Kind::Derive, Some(target), Some(r)) => {
            if !cur.columns.iter().any(|c| c.name == target) {
                return Err(unsupported(format!(
                    "{table}.{name}: reverse-using= writes back into {target}, which {table} does not have; \
                     derive {name} from a column of the table, or leave reverse-using= out"
                )));
            }
            Some((target, Source::Expr(r.clone())))
        }
        _ => None,
    };
    let (function, trigger, _) = helper;
    let body = match &kind {
        Kind::Fill => sync::fill(name, &source),
        _ => sync::forward(name, &source),
    };
    let function = current
        .functions
        .values()
        .find(|f| f.name == function && f.args.is_empty())
        .cloned()
        .unwrap_or_else(|| sync::function(function, &body));
    Ok(Some(ColumnRollout {
        table: table.clone(),
        column: column.clone(),
        kind,
        source,
        back,
        back_declared: intent.reverse_using.is_some(),
        reverse,
        key: pk.columns.clone(),
        trigger: Trigger {
            name: trigger,
            table: table.clone(),
            timing: TriggerTiming::Before,
            events: vec![
                TriggerEvent::Insert,
                TriggerEvent::Update {
                    columns: Vec::new(),
                },
            ],
            for_each_row: true,
            when: None,
            function: function.name.clone(),
            args: Vec::new(),
            old_table: None,
            new_table: None,
            constraint: None,
        },
        function,
        has_column: existing.is_some(),
    }))
}

/// A new NOT NULL column without a default on an existing table, with no
/// `backfill=` or rename: adding it fails as soon as the table has rows.
pub fn missing_backfill(
    table: &QualName,
    column: &Column,
    current: &Catalog,
    intent: Option<&ColumnIntent>,
) -> Option<Unsupported> {
    let cur = current.tables.get(table)?;
    if column.nullable
        || column.default.is_some()
        || column.identity.is_some()
        || column.generated.is_some()
        || cur.columns.iter().any(|c| c.name == column.name)
        || intent
            .is_some_and(|i| i.renamed_from.is_some() || i.backfill.is_some() || i.using.is_some())
    {
        return None;
    }
    Some(Unsupported {
        object: ObjectRef {
            kind: ObjectKind::Column,
            name: format!("{table}.{}", column.name),
        },
        reason: format!(
            "{table}.{} is a new NOT NULL column without a default on an existing table: adding it fails once the \
             table has rows; add backfill=\"…\" (the value existing rows get), a default=, or nullable=#true",
            column.name
        ),
    })
}

impl ColumnRollout {
    fn colname(&self) -> String {
        format!("{}.{}", self.table, self.column.name)
    }

    /// The columns a derived column's `using=` reads, for messages.
    fn source_columns(&self) -> String {
        match &self.source {
            Source::Expr(e) => {
                let cols = e.columns();
                if cols.is_empty() {
                    "its source".to_string()
                } else {
                    cols.iter()
                        .map(|c| format!("{}.{c}", self.table))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            }
            Source::Column(c) | Source::Cast(c, _) => format!("{}.{c}", self.table),
        }
    }

    fn function_text(&self) -> String {
        format!("{}()", self.function.name)
    }

    /// The body the function has once dual-write ran (the expand one for a
    /// fill, which has no dual-write).
    fn final_body(&self) -> String {
        let new = &self.column.name;
        let text = match (&self.kind, &self.back) {
            (Kind::Rename { old }, Some(back)) => {
                sync::both_ways(new, &self.source, &old.name, back)
            }
            (Kind::Derive, _) => sync::derived(
                new,
                &self.source,
                self.reverse.as_ref().map(|(t, r)| (t, r)),
            ),
            _ => sync::fill(new, &self.source),
        };
        schema::routines::normalize_body(&text)
    }

    fn current_function<'c>(&self, current: &'c Catalog) -> Option<&'c Function> {
        current.functions.get(&self.function.id())
    }

    /// The current table as the plain diff should see it: the new column as
    /// expand adds it (nullable, no default), the helpers left out (the
    /// rollout creates and drops them).
    pub fn fold(&self, current: &mut Catalog) {
        current.functions.remove(&self.function.id());
        current.triggers.remove(&self.trigger.key());
        let Some(table) = current.tables.get_mut(&self.table) else {
            return;
        };
        if !self.has_column {
            table.columns.push(self.added_column());
        }
        // The old column of a rename keeps its NOT NULL until contract: the
        // trigger fills it for writers that only know the new column. Seen
        // as nullable, the plain diff does not drop NOT NULL ahead of the
        // column drop (the contract's rollback restores it from `old`).
        if let Kind::Rename { old } = &self.kind
            && let Some(c) = table.columns.iter_mut().find(|c| c.name == old.name)
        {
            c.nullable = true;
        }
    }

    fn added_column(&self) -> Column {
        let mut c = Column::new(self.column.name.clone(), self.column.ty.clone());
        c.nullable = true;
        c
    }

    fn chain(&self) -> Option<String> {
        Some(format!("rollout {}", self.colname()))
    }

    fn draft(&self, step: Step, file: FileKind, rank: u8) -> Draft {
        Draft {
            step,
            file,
            rank,
            chain: self.chain(),
            pair: None,
        }
    }

    fn col_key(&self, c: &Ident) -> Key {
        Key::Column(self.table.clone(), c.clone())
    }

    /// The steps still to run, with their dependency keys.
    pub fn steps(
        &self,
        current: &Catalog,
        desired: &Catalog,
        options: &PlanOptions,
    ) -> (Vec<(Draft, Deps)>, Option<Backfill>) {
        let mut out = Vec::new();
        let table = &self.table;
        let new = &self.column.name;
        let existing = self.current_function(current);
        let what = match &self.kind {
            Kind::Rename { old } => format!("for the rename from {}", old.name),
            Kind::Fill => "to fill with its backfill= value".to_string(),
            Kind::Derive => format!("derived from {}", self.source.in_update()),
        };

        if !self.has_column {
            let added = self.added_column();
            let mut deps = Deps {
                creates: vec![self.col_key(new)],
                needs: vec![Key::Table(table.clone())],
                needs_extensions: true,
                ..Deps::default()
            };
            if let Some(t) = added.ty.element().user_defined() {
                deps.needs.push(Key::Type(t));
            }
            let step = step(
                ObjectKind::Column,
                self.colname(),
                Action::Create,
                format!(
                    "add column {} ({}, nullable until cutover) {what}",
                    self.colname(),
                    added.ty
                ),
                format!(
                    "ALTER TABLE {table} ADD COLUMN {};",
                    column_def(table, &added)
                ),
                Rollback::Sql {
                    sql: format!("ALTER TABLE {table} DROP COLUMN {new};"),
                },
                vec![Hazard::AccessExclusiveLock],
            );
            out.push((self.draft(step, FileKind::Expand, 15), deps));
        }
        let helper_deps = || Deps {
            needs: vec![self.col_key(new), Key::Table(table.clone())],
            ..Deps::default()
        };
        if existing.is_none() {
            let doing = match &self.kind {
                Kind::Rename { old } => format!("copies {} to {new} on every write", old.name),
                Kind::Fill => format!("gives {new} its backfill value when a write leaves it NULL"),
                Kind::Derive => format!("computes {new} on every write"),
            };
            let step = step(
                ObjectKind::Function,
                self.function_text(),
                Action::Create,
                format!("create function {} ({doing})", self.function_text()),
                create_function(&self.function, false),
                Rollback::Sql {
                    sql: format!("DROP FUNCTION {};", self.function_text()),
                },
                Vec::new(),
            );
            out.push((self.draft(step, FileKind::Expand, 40), helper_deps()));
        }
        if !current.triggers.contains_key(&self.trigger.key()) {
            let step = step(
                ObjectKind::Trigger,
                format!("{table}.{}", self.trigger.name),
                Action::Create,
                format!("create trigger {} on {table}", self.trigger.name),
                create_trigger(&self.trigger, false),
                Rollback::Sql {
                    sql: format!("DROP TRIGGER {} ON {table};", self.trigger.name),
                },
                Vec::new(),
            );
            out.push((self.draft(step, FileKind::Expand, 41), helper_deps()));
        }

        let backfilled = existing.is_some_and(|f| f.comment.as_deref() == Some(BACKFILLED));
        let mut backfill = None;
        if !backfilled {
            let spec = self.backfill_spec(options);
            let mut sql = backfill_sql::render(&spec);
            sql.push_str(&format!(
                "\nCOMMENT ON FUNCTION {} IS {};",
                self.function_text(),
                literal(BACKFILLED)
            ));
            let mut note = match self.kind {
                Kind::Fill => {
                    "; no dual-write step: the fill trigger already gives every write a value"
                }
                _ => "",
            }
            .to_string();
            let firing = self.other_update_triggers(desired);
            if !firing.is_empty() {
                note.push_str(&format!(
                    "; its UPDATEs also fire {} on {table}, whose writes are not skipped",
                    firing.join(", ")
                ));
            }
            let undo = format!(
                "COMMENT ON FUNCTION {} IS NULL;\n{}",
                self.function_text(),
                crate::plan::sql::comment(&format!(
                    "The copied values stay in {}; the expand rollback drops the column.",
                    self.colname()
                ))
            );
            // The filled rows keep their value: which rows were NULL is not
            // recorded. (Whether the column predates the rollout cannot be
            // told once expand added it, so both cases are declared.)
            let rollback = match &self.kind {
                Kind::Fill => Rollback::Lossy {
                    sql: format!("COMMENT ON FUNCTION {} IS NULL;", self.function_text()),
                    lost: format!(
                        "the rows of {} the backfill filled keep their value: which rows were NULL before is not \
                         recorded (a column this rollout added goes with the expand rollback; one that existed \
                         before keeps the values)",
                        self.colname()
                    ),
                },
                _ => Rollback::Sql { sql: undo },
            };
            let step = step(
                ObjectKind::Column,
                self.colname(),
                Action::Alter,
                format!(
                    "backfill {} in batches of {} rows, {} ms apart{note}",
                    self.colname(),
                    spec.batch_size,
                    spec.pause_ms
                ),
                sql,
                rollback,
                vec![Hazard::ScansTable],
            );
            out.push((self.draft(step, FileKind::Backfill, 50), helper_deps()));
            backfill = Some(spec);
        }

        let final_body = self.final_body();
        let dual = self.dual_function(&final_body);
        if !matches!(self.kind, Kind::Fill) && existing.is_none_or(|f| f.body != final_body) {
            let doing = match (&self.kind, &self.back, &self.reverse) {
                (Kind::Rename { old }, Some(Source::Cast(..)), _) if !self.back_declared => {
                    format!(
                        "a write to {} or {new} reaches the other; {} follows {new} through the cast {}, \
                     since no reverse-using= says how",
                        old.name,
                        old.name,
                        self.back
                            .as_ref()
                            .map(Source::in_update)
                            .unwrap_or_default()
                    )
                }
                (Kind::Rename { old }, _, _) => {
                    format!("a write to {} or {new} reaches the other", old.name)
                }
                (_, _, Some((target, _))) => format!(
                    "keeps a value the new application writes to {new} and writes it back to {target}; \
                     recomputes {new} when a write changes its source"
                ),
                _ => format!(
                    "keeps a value the new application writes to {new}; recomputes it when a write changes its \
                     source; NOT kept in step: a write to {new} does not reach {}, since no reverse-using= says how",
                    self.source_columns()
                ),
            };
            let step = step(
                ObjectKind::Function,
                self.function_text(),
                Action::Alter,
                format!("dual-write through {} ({doing})", self.function_text()),
                create_function(&without_comment(&dual), true),
                Rollback::Sql {
                    sql: create_function(&before_dual(existing, &self.function), true),
                },
                Vec::new(),
            );
            out.push((self.draft(step, FileKind::DualWrite, 40), helper_deps()));
        }

        // Contract: the trigger, then its function, then (plain diff) the
        // old column, which the trigger reads.
        let mut releases = vec![self.col_key(new)];
        if let Kind::Rename { old } = &self.kind {
            releases.push(self.col_key(&old.name));
        }
        let step_drop_trigger = step(
            ObjectKind::Trigger,
            format!("{table}.{}", self.trigger.name),
            Action::Drop,
            format!("drop trigger {} on {table}", self.trigger.name),
            format!("DROP TRIGGER {} ON {table};", self.trigger.name),
            Rollback::Sql {
                sql: create_trigger(&self.trigger, false),
            },
            vec![Hazard::AccessExclusiveLock],
        );
        out.push((
            self.draft(step_drop_trigger, FileKind::Contract, 30),
            Deps {
                releases,
                ..Deps::default()
            },
        ));
        let step_drop_function = step(
            ObjectKind::Function,
            self.function_text(),
            Action::Drop,
            format!("drop function {}", self.function_text()),
            format!("DROP FUNCTION {};", self.function_text()),
            Rollback::Sql {
                sql: create_function(&dual, false),
            },
            Vec::new(),
        );
        out.push((
            self.draft(step_drop_function, FileKind::Contract, 31),
            Deps::default(),
        ));
        (out, backfill)
    }

    /// Triggers of the table (as declared) that a backfill UPDATE of the
    /// column fires, other than the rollouts' own helpers and those whose
    /// function skips backfills (the `timestamps` one reads the backfill
    /// setting).
    fn other_update_triggers(&self, desired: &Catalog) -> Vec<String> {
        let skips_backfill = |t: &Trigger| {
            desired.functions.values().any(|f| {
                f.name == t.function
                    && f.body
                        .contains(&format!("'{}'", schema::intents::BACKFILL_SETTING))
            })
        };
        desired
            .triggers
            .values()
            .filter(|t| t.table == self.table && !t.name.as_str().starts_with("trr_"))
            .filter(|t| {
                t.events.iter().any(|e| match e {
                    TriggerEvent::Update { columns } => {
                        columns.is_empty() || columns.contains(&self.column.name)
                    }
                    _ => false,
                })
            })
            .filter(|t| !skips_backfill(t))
            .map(|t| format!("trigger {}", t.name))
            .collect()
    }

    /// The function as the contract finds it: the final body, backfilled.
    fn dual_function(&self, body: &str) -> Function {
        let mut f = self.function.clone();
        f.body = body.to_string();
        f.comment = Some(BACKFILLED.to_string());
        f
    }

    fn backfill_spec(&self, options: &PlanOptions) -> Backfill {
        let new = &self.column.name;
        let value = self.source.in_update();
        let pending = match &self.kind {
            Kind::Rename { .. } => format!("{new} IS DISTINCT FROM {value}"),
            Kind::Fill => format!("{new} IS NULL"),
            // Rows written since expand have their value; a NULL source
            // gives NULL, and such rows are skipped so a rerun updates none.
            Kind::Derive => format!("{new} IS NULL AND {value} IS NOT NULL"),
        };
        Backfill {
            table: self.table.to_string(),
            key: self.key.iter().map(Ident::quoted).collect(),
            assignments: vec![(new.quoted(), value)],
            pending,
            batch_size: options.backfill_batch_size,
            pause_ms: options.backfill_pause_ms,
        }
    }

    /// The rollback of the plain diff's drop of a renamed column: add it
    /// back, refill it from the new column, restore NOT NULL and default.
    pub fn old_column_rollback(&self) -> Option<(String, Rollback)> {
        let Kind::Rename { old } = &self.kind else {
            return None;
        };
        let table = &self.table;
        let mut added = Column::new(old.name.clone(), old.ty.clone());
        added.nullable = true;
        let back = self.back.as_ref()?;
        let mut sql = format!(
            "ALTER TABLE {table} ADD COLUMN {};\nUPDATE {table} SET {} = {};",
            column_def(table, &added),
            old.name,
            back.in_update()
        );
        if let Some(d) = &old.default {
            sql.push_str(&format!(
                "\nALTER TABLE {table} ALTER COLUMN {} SET DEFAULT {};",
                old.name,
                d.sql()
            ));
        }
        if !old.nullable {
            sql.push_str(&format!(
                "\nALTER TABLE {table} ALTER COLUMN {} SET NOT NULL;",
                old.name
            ));
        }
        if let Some(c) = &old.comment {
            sql.push_str(&format!(
                "\nCOMMENT ON COLUMN {table}.{} IS {};",
                old.name,
                literal(c)
            ));
        }
        let summary = format!("drop column {table}.{}", old.name);
        let lost = match (&self.source, back) {
            (Source::Column(_), Source::Column(_)) => None,
            (Source::Column(_), _) => Some(format!(
                "{table}.{} comes back as {}: the rollback fails if a value written to {} since the rename \
                 does not fit {}",
                old.name,
                back.in_update(),
                self.column.name,
                old.ty
            )),
            _ => Some(format!(
                "{table}.{} comes back as {}, not as it was: values that using= did not carry over exactly \
                 (e.g. ones it turned into NULL) do not come back",
                old.name,
                back.in_update()
            )),
        };
        let rollback = match lost {
            None => Rollback::Sql { sql },
            Some(lost) => Rollback::Lossy { sql, lost },
        };
        Some((summary, rollback))
    }
}

/// The text of a date, the same whatever the session's `DateStyle`, for
/// the way back of a text column renamed to a date (a plain `::text` cast
/// follows `DateStyle`).
fn datestyle_free_text(new: &Ident, new_ty: &SqlType, old_ty: &SqlType) -> Option<schema::Expr> {
    let text = matches!(old_ty.as_str(), "text" | "character varying");
    if !text || new_ty.as_str() != "date" {
        return None;
    }
    schema::Expr::parse(&format!("to_char({new}, 'YYYY-MM-DD')")).ok()
}

fn without_comment(f: &Function) -> Function {
    let mut f = f.clone();
    f.comment = None;
    f
}

/// What the dual-write step replaces: the function as it is now, or as
/// expand creates it (without the comment: `CREATE OR REPLACE` keeps it).
fn before_dual(existing: Option<&Function>, expand: &Function) -> Function {
    without_comment(existing.unwrap_or(expand))
}
