//! `timestamps`: `created_at` and `updated_at` columns (`timestamptz not
//! null default now()`, appended in that order), a BEFORE UPDATE trigger
//! `<table>_set_updated_at`, and the trigger function
//! `<schema>.set_updated_at()`, declared once per schema that uses it.

use crate::catalog::Column;
use crate::expr::Expr;
use crate::ident::{Ident, QualName, truncate_ident};
use crate::lang::decl::{ColumnDecl, Decls};
use crate::lang::errors::Loc;
use crate::lang::function::{FunctionDecl, search_path_config};
use crate::lang::trigger::TriggerDecl;
use crate::routines::{
    Function, FunctionReturn, Parallel, Trigger, TriggerEvent, TriggerTiming, Volatility,
};
use crate::types::SqlType;
use std::collections::BTreeMap;

/// The trigger function's body (plpgsql). A backfill's writes (which set
/// [`BACKFILL_SETTING`](crate::intents::BACKFILL_SETTING) in their
/// transaction) keep `updated_at`: no application changed the row.
pub const BODY: &str = "begin if current_setting('trr.backfill', true) is distinct from 'on' then new.updated_at := now(); end if; return new; end;";

/// The function the macro's triggers run in `schema`.
pub fn function_name(schema: &Ident) -> QualName {
    QualName::new(schema.clone(), Ident::new("set_updated_at"))
}

/// The macro's trigger name for `table`.
pub fn trigger_name(table: &QualName) -> Ident {
    Ident::new(truncate_ident(&format!(
        "{}_set_updated_at",
        table.name.as_str()
    )))
}

pub fn expand(decls: &mut Decls) {
    // The first use in each schema declares the function, so its errors
    // (a clash with a user's function) point at that use.
    let mut schemas: BTreeMap<Ident, Loc> = BTreeMap::new();
    for t in &mut decls.tables {
        let Some(at) = t.timestamps else {
            continue;
        };
        for name in ["created_at", "updated_at"] {
            let mut column = Column::new(
                Ident::new(name),
                SqlType::canonical("timestamp with time zone"),
            );
            column.nullable = false;
            column.default = Some(Expr::parse("now()").expect("now() parses"));
            t.columns.push(ColumnDecl {
                column,
                at,
                serial_sequence: None,
                intent: Default::default(),
                renamed_at: None,
            });
        }
        t.triggers.push(TriggerDecl {
            trigger: Trigger {
                name: trigger_name(&t.name),
                table: t.name.clone(),
                timing: TriggerTiming::Before,
                events: vec![TriggerEvent::Update {
                    columns: Vec::new(),
                }],
                for_each_row: true,
                when: None,
                function: function_name(&t.name.schema),
                args: Vec::new(),
                old_table: None,
                new_table: None,
                constraint: None,
            },
            at,
            of: Vec::new(),
            execute_at: at,
        });
        schemas.entry(t.name.schema.clone()).or_insert(at);
    }
    for (schema, at) in schemas {
        decls.functions.push(FunctionDecl {
            function: set_updated_at(&schema),
            name_at: at,
            grants: Vec::new(),
        });
    }
}

/// `<schema>.set_updated_at()`.
pub fn set_updated_at(schema: &Ident) -> Function {
    Function {
        name: function_name(schema),
        args: Vec::new(),
        returns: FunctionReturn::Type {
            ty: SqlType::canonical("trigger"),
        },
        language: "plpgsql".into(),
        body: BODY.into(),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        config: [("search_path".to_string(), search_path_config(""))].into(),
        comment: None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn body_names_the_backfill_setting() {
        assert!(super::BODY.contains(&format!("'{}'", crate::intents::BACKFILL_SETTING)));
    }
}
