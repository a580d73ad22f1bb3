//! `access owner column=owner_id [allow="select insert update delete"]`:
//! a row belongs to the user whose id is in `column`.

use super::{COMMANDS, Expansion, UID, check_column};
use crate::ident::{Ident, quote_ident};
use crate::lang::decl::TableDecl;
use crate::lang::errors::{Diag, Loc, Sink, did_you_mean};
use crate::lang::parse::{NodeView, ident};
use crate::security::PolicyCommand;

#[derive(Clone, Debug)]
pub struct Owner {
    pub column: Ident,
    pub column_at: Loc,
    pub allow: Vec<PolicyCommand>,
}

pub fn read(v: &NodeView<'_>, sink: &mut Sink) -> Option<Owner> {
    v.check_props(&["column", "allow"], sink);
    let column = match v.prop_string("column", "the owner column", sink) {
        Some((s, at)) => ident(&s, at, "column", sink).map(|c| (c, at)),
        None => {
            if !v.has_prop("column") {
                sink.push(
                    Diag::new(v.name_loc(), "`access owner` does not name the owner column", "expected column= here")
                        .help("write `access owner column=owner_id` (the column holding the user's id, auth.uid())"),
                );
            }
            None
        }
    };
    let allow = match v.prop_string("allow", "commands separated by spaces", sink) {
        Some((s, at)) => {
            let words = ["select", "insert", "update", "delete"];
            let mut allow = Vec::new();
            for w in s.split_whitespace() {
                match COMMANDS.iter().find(|c| c.sql().eq_ignore_ascii_case(w)) {
                    Some(c) if !allow.contains(c) => allow.push(*c),
                    Some(_) => {}
                    None => {
                        let mut help = format!("allow= lists commands from: {}", words.join(", "));
                        if let Some(d) = did_you_mean(w, words) {
                            help = format!("{d} ({help})");
                        }
                        sink.push(
                            Diag::new(
                                at,
                                format!("`{w}` in allow= is not a command"),
                                "unknown command",
                            )
                            .help(help),
                        );
                        return None;
                    }
                }
            }
            if allow.is_empty() {
                sink.push(Diag::new(at, "allow= names no command", "empty").help(
                    "list at least one of select, insert, update, delete, or remove the template",
                ));
                return None;
            }
            allow.sort();
            allow
        }
        None => COMMANDS.to_vec(),
    };
    let (column, column_at) = column?;
    Some(Owner {
        column,
        column_at,
        allow,
    })
}

impl Owner {
    pub fn expand(&self, t: &TableDecl, _at: Loc, sink: &mut Sink) -> Option<Expansion> {
        let columns: Vec<Ident> = t.columns.iter().map(|c| c.column.name.clone()).collect();
        if !check_column(
            &self.column,
            self.column_at,
            &t.name,
            &columns,
            "column",
            sink,
        ) {
            return None;
        }
        let predicate = format!("{} = {UID}", quote_ident(self.column.as_str()));
        Some(Expansion {
            short: "owner",
            role: "authenticated",
            commands: self.allow.iter().map(|c| (*c, predicate.clone())).collect(),
        })
    }
}
