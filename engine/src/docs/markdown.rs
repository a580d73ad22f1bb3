//! `<schema>.<table>.md` and `INDEX.md`: the JSON document for people.

use super::table::TableDoc;
use std::fmt::Write;

pub fn table(doc: &TableDoc) -> String {
    let mut out = format!("# {}.{}\n", doc.schema, doc.table);
    if let Some(comment) = &doc.comment {
        let _ = writeln!(out, "\n{}", comment.trim());
    }

    out.push_str("\n## Columns\n\n");
    out.push_str("| Name | Type | Nullable | Default | Identity | Generated |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for c in &doc.columns {
        let generated = match &c.generation_expression {
            Some(expr) => format!("ALWAYS: `{}`", cell(expr)),
            None => c.is_generated.to_string(),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            cell(&c.name),
            cell(&c.type_name),
            c.is_nullable,
            c.default
                .as_deref()
                .map(|d| format!("`{}`", cell(d)))
                .unwrap_or_default(),
            c.is_identity,
            generated
        );
    }
    let comments: Vec<_> = doc
        .columns
        .iter()
        .filter_map(|c| c.comment.as_ref().map(|t| (&c.name, t)))
        .collect();
    if !comments.is_empty() {
        out.push('\n');
        for (name, text) in comments {
            let _ = writeln!(out, "- `{name}`: {}", text.trim().replace('\n', " "));
        }
    }

    out.push_str("\n## Primary Key\n\n");
    if doc.primary_key.is_empty() {
        out.push_str("(none)\n");
    } else {
        let _ = writeln!(out, "- {}", doc.primary_key.join(", "));
    }

    out.push_str("\n## Unique Constraints\n\n");
    list(
        &mut out,
        doc.unique_constraints.iter().map(|cols| cols.join(", ")),
    );

    out.push_str("\n## Foreign Keys\n\n");
    list(
        &mut out,
        doc.foreign_keys
            .iter()
            .map(|fk| format!("{} -> {}", fk.column, fk.references)),
    );

    out.push_str("\n## Indexes\n\n");
    list(
        &mut out,
        doc.indexes.iter().map(|i| {
            format!(
                "{} ({}): {}",
                i.name,
                if i.unique { "unique" } else { "non-unique" },
                i.columns.join(", ")
            )
        }),
    );

    out.push_str("\n## RLS Enabled\n\n");
    let _ = writeln!(
        out,
        "{}",
        match (doc.rls_enabled, doc.rls_forced) {
            (true, true) => "true (forced: applies to the table owner too)",
            (true, false) => "true",
            (false, _) => "false",
        }
    );

    out.push_str("\n## Policies\n\n");
    if doc.policies.is_empty() {
        out.push_str("(none)\n");
    }
    for p in &doc.policies {
        let _ = write!(
            out,
            "- **{}**: {}{} to {}",
            p.name,
            p.command,
            if p.permissive { "" } else { " (restrictive)" },
            p.roles.join(", ")
        );
        if let Some(using) = &p.using {
            let _ = write!(out, "; using `{}`", using.replace('`', "'"));
        }
        if let Some(check) = &p.with_check {
            let _ = write!(out, "; with check `{}`", check.replace('`', "'"));
        }
        out.push('\n');
    }

    out.push_str("\n## Grants\n\n");
    list(
        &mut out,
        doc.grants
            .iter()
            .map(|g| format!("{}: {}", g.grantee, g.privileges.join(", "))),
    );

    if !doc.triggers.is_empty() {
        out.push_str("\n## Triggers\n\n");
        for t in &doc.triggers {
            let _ = writeln!(
                out,
                "- {}: {} {} {} execute function {}()",
                t.name,
                t.timing,
                t.events.join(" OR "),
                if t.for_each_row {
                    "for each row"
                } else {
                    "for each statement"
                },
                t.function
            );
        }
    }

    out.push_str("\n## Example Row\n\n```json\n");
    out.push_str(&serde_json::to_string_pretty(&doc.example_row).unwrap_or_default());
    out.push_str("\n```\n");
    out
}

/// `# Schema Docs Index`, one line per table, then the diagram.
pub fn index(docs: &[TableDoc], erd: &str) -> String {
    let mut out = String::from("# Schema Docs Index\n\n");
    let mut names: Vec<String> = docs
        .iter()
        .map(|d| format!("{}.{}", d.schema, d.table))
        .collect();
    names.sort();
    for name in &names {
        let _ = writeln!(out, "- [{name}]({name}.md)");
    }
    if !names.is_empty() {
        let _ = write!(out, "\n## Diagram\n\n```mermaid\n{erd}```\n");
    }
    out
}

fn list(out: &mut String, items: impl Iterator<Item = String>) {
    let mut any = false;
    for item in items {
        any = true;
        let _ = writeln!(out, "- {item}");
    }
    if !any {
        out.push_str("(none)\n");
    }
}

/// Text inside a table cell: a pipe or line break would end the cell.
fn cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}
