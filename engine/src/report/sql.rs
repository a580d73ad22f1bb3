//! The files' SQL concatenated, each under a header comment: for reading or
//! piping, not for running as one script (concurrent index files must run
//! outside a transaction, as their own files do).

use super::{
    INCOMPLETE, NO_CHANGES, files, kind_name, no_changes, phase_name, plural, transaction_note,
};
use crate::plan::Plan;
use crate::plan::sql::comment;
use std::fmt::Write;

pub fn render(plan: &Plan) -> String {
    if no_changes(plan) {
        return format!("-- {NO_CHANGES}\n");
    }
    let mut out = String::new();
    for u in &plan.unsupported {
        let _ = writeln!(
            out,
            "{}",
            comment(&format!(
                "cannot be planned: {} {}: {}",
                kind_name(&u.object),
                u.object.name,
                u.reason.replace('\n', " ")
            ))
        );
    }
    if !plan.unsupported.is_empty() {
        let _ = writeln!(out, "-- {INCOMPLETE}");
    }
    let files: Vec<_> = files(plan).collect();
    let total = files.len();
    for (i, file) in files.into_iter().enumerate() {
        if i > 0 || !plan.unsupported.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}",
            comment(&format!(
                "==== {}/{total} {}: {} phase, {}, {} ====",
                i + 1,
                file.slug,
                phase_name(file.phase),
                transaction_note(file),
                plural(file.steps.len(), "step", "steps")
            ))
        );
        if file.is_destructive() {
            out.push_str(
                "-- destructive: `apply` writes this file only with --allow-destructive\n",
            );
        }
        out.push_str(file.sql.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn sample() {
        insta::assert_snapshot!(super::render(&super::super::sample::plan()));
    }
}
