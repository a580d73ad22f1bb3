//! Graphviz dot text: one HTML-like table per entity, an edge per
//! foreign key from child to parent, crow's-foot arrows for cardinality.

use super::Erd;
use std::fmt::Write;

pub fn render(erd: &Erd) -> String {
    let mut out = String::from(
        "digraph erd {\n    rankdir=LR;\n    node [shape=plaintext, fontname=\"Helvetica\"];\n    edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for entity in erd.entities() {
        let name = entity.name.to_string();
        let _ = write!(
            out,
            "    {} [label=<<table border=\"0\" cellborder=\"1\" cellspacing=\"0\"><tr><td bgcolor=\"{}\"><b>{}</b></td></tr>",
            quoted(&name),
            if entity.context { "#eeeeee" } else { "#dde8f7" },
            html(&name)
        );
        for c in &entity.columns {
            let keys = c.marks();
            let _ = write!(
                out,
                "<tr><td align=\"left\">{} <i>{}</i> {}</td></tr>",
                html(c.name.as_str()),
                html(&c.ty),
                keys.join(", ")
            );
        }
        out.push_str("</table>>];\n");
    }
    for (child, parent, relation) in erd.relations() {
        let columns: Vec<&str> = relation.columns.iter().map(|c| c.as_str()).collect();
        // arrowhead at the parent: one (tee) or zero-or-one (teeodot);
        // arrowtail at the child: many (crowodot) or zero-or-one.
        let _ = writeln!(
            out,
            "    {} -> {} [label={}, dir=both, arrowhead={}, arrowtail={}];",
            quoted(&child.name.to_string()),
            quoted(&parent.name.to_string()),
            quoted(&columns.join(", ")),
            if relation.required { "tee" } else { "teeodot" },
            if relation.one_to_one {
                "teeodot"
            } else {
                "crowodot"
            },
        );
    }
    out.push_str("}\n");
    out
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
