//! Mermaid `erDiagram` text (without the code fence).

use super::{Entity, Erd};
use std::fmt::Write;

pub fn render(erd: &Erd) -> String {
    let mut out = String::from("erDiagram\n");
    for entity in erd.entities() {
        let _ = write!(out, "    {}[\"{}\"]", alias(entity), entity.name);
        if entity.columns.is_empty() {
            out.push('\n');
            continue;
        }
        out.push_str(" {\n");
        for c in &entity.columns {
            let keys = c.marks();
            let _ = writeln!(
                out,
                "        {} {} {}",
                word(&c.ty),
                word(c.name.as_str()),
                keys.join(", ")
            );
        }
        out.push_str("    }\n");
    }
    for (child, parent, relation) in erd.relations() {
        // Parent side: how many parents a child has; child side: how many
        // children a parent has.
        let parent_end = if relation.required { "||" } else { "|o" };
        let child_end = if relation.one_to_one { "o|" } else { "o{" };
        let columns: Vec<&str> = relation.columns.iter().map(|c| c.as_str()).collect();
        let _ = writeln!(
            out,
            "    {} {parent_end}--{child_end} {} : \"{}\"",
            alias(parent),
            alias(child),
            columns.join(", ").replace('"', "'")
        );
    }
    out
}

/// An entity id Mermaid accepts (`core_shows`); the label keeps the
/// real name.
fn alias(entity: &Entity) -> String {
    word(&format!("{}_{}", entity.name.schema, entity.name.name))
}

/// Letters, digits, `_` and `-` only: Mermaid reads attribute types and
/// names as single words (`timestamp with time zone` →
/// `timestamp_with_time_zone`, `text[]` → `text_array`).
fn word(text: &str) -> String {
    let text = text.replace("[]", "_array");
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => out,
        _ => format!("x_{out}"),
    }
}
