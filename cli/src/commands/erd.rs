//! `trr-schema erd`: the declared tables and their foreign keys.

use crate::args::{ErdArgs, ErdFormat};
use engine::config::Config;
use engine::erd::Erd;
use miette::miette;
use schema::Ident;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

pub fn run(root: &Path, args: &ErdArgs) -> miette::Result<ExitCode> {
    let config = Config::load(root)?;
    let declared = crate::project::declared(&config)?;
    let schemas: Vec<Ident> = match &args.schema {
        Some(s) => {
            let schema = Ident::from_sql(s);
            if !config.schemas.contains(&schema) {
                return Err(miette!(
                    code = "trr_schema::erd::schema",
                    help = format!("the managed schemas are: {}", names(&config.schemas)),
                    "`{s}` is not a managed schema"
                ));
            }
            vec![schema]
        }
        None => config.schemas.clone(),
    };
    let erd = Erd::of(&declared.catalog, |t| schemas.contains(&t.schema));
    let text = match args.format {
        ErdFormat::Mermaid => erd.mermaid(),
        ErdFormat::Dot => erd.dot(),
    };
    let Some(out) = &args.out else {
        print!("{text}");
        return Ok(ExitCode::SUCCESS);
    };
    let image = out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| e == "svg" || e == "png");
    match image {
        Some(kind) if args.format == ErdFormat::Dot => render_image(&text, &kind, out)?,
        Some(kind) => {
            return Err(miette!(
                code = "trr_schema::erd::image",
                help = "add `--format dot` (Graphviz draws the image), or write Mermaid to a .mmd or .md file",
                "{} is a {kind} image, which only the dot format can be rendered to",
                out.display()
            ));
        }
        None => std::fs::write(out, &text)
            .map_err(|e| miette!("cannot write {}: {e}", out.display()))?,
    }
    println!("wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// Runs Graphviz `dot -T<kind> -o <out>` on `text`.
fn render_image(text: &str, kind: &str, out: &Path) -> miette::Result<()> {
    let child = Command::new("dot")
        .arg(format!("-T{kind}"))
        .arg("-o")
        .arg(out)
        .stdin(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(miette!(
                code = "trr_schema::erd::no_graphviz",
                help = "install Graphviz (it provides `dot`), or write the dot text with `--out erd.dot` and render it elsewhere",
                "cannot render {}: Graphviz `dot` is not installed (not found on PATH)",
                out.display()
            ));
        }
        Err(e) => return Err(miette!("cannot run Graphviz `dot`: {e}")),
    };
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(text.as_bytes())
            .map_err(|e| miette!("cannot pass the diagram to Graphviz `dot`: {e}"))?;
    }
    let status = child
        .wait()
        .map_err(|e| miette!("Graphviz `dot` did not finish: {e}"))?;
    if !status.success() {
        return Err(miette!(
            "Graphviz `dot` failed ({status}) rendering {}",
            out.display()
        ));
    }
    Ok(())
}

fn names(list: &[Ident]) -> String {
    list.iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
