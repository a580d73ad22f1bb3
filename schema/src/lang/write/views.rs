//! Views and materialized views as KDL.

use super::grants::object_edits;
use super::text::{name, prose, qual_name};
use crate::catalog::Catalog;
use crate::security::{GrantTarget, ObjectClass};
use crate::views::{CheckOption, View};
use std::fmt::Write as _;

pub fn write_view(out: &mut String, v: &View, catalog: &Catalog) {
    let kind = if v.materialized {
        "materialized-view"
    } else {
        "view"
    };
    let _ = write!(out, "{kind} {}", qual_name(&v.name));
    if v.security_invoker {
        out.push_str(" security-invoker=#true");
    }
    if v.security_barrier {
        out.push_str(" security-barrier=#true");
    }
    match v.check_option {
        Some(CheckOption::Local) => out.push_str(" check-option=local"),
        Some(CheckOption::Cascaded) => out.push_str(" check-option=cascaded"),
        None => {}
    }
    out.push_str(" {\n");
    if !v.columns.is_empty() {
        let cols: Vec<String> = v.columns.iter().map(name).collect();
        let _ = writeln!(out, "    columns {}", cols.join(" "));
    }
    let _ = writeln!(out, "    query {}", prose(v.query.sql()));
    let on = GrantTarget::Table {
        table: v.name.clone(),
    };
    for line in object_edits(catalog, &on, ObjectClass::Table, "") {
        let _ = writeln!(out, "    {line}");
    }
    for t in catalog.triggers_on(&v.name) {
        let _ = writeln!(out, "    {}", super::routines::trigger(t));
    }
    if let Some(c) = &v.comment {
        let _ = writeln!(out, "    comment {}", prose(c));
    }
    out.push_str("}\n");
}
