//! Declarations outside the managed schemas. `plan` only compares the
//! managed schemas, so a table declared elsewhere would be silently ignored:
//! it is an error instead, with a hint that depends on whose schema it is.

use super::decl::Decls;
use super::errors::{Diag, Loc, Sink};
use crate::ident::{Ident, QualName};
use crate::provided;

/// Reports every schema, enum and table declared in a schema not in
/// `managed`, and drops them so the cross-file checks see only the managed
/// ones (a stray `table auth.extra` would otherwise make every reference to
/// the external `auth.users` an unknown table). Indexes live in their
/// table's block, so the table's report covers them; extensions are
/// database-wide, not schema objects.
pub fn check(decls: &mut Decls, managed: &[Ident], sink: &mut Sink) {
    let listed = list(managed);
    decls.schemas.retain(|s| {
        let keep = managed.contains(&s.name);
        if !keep {
            let message = format!("schema {} is not a managed schema ({listed})", s.name);
            let fix = "or remove this declaration".to_string();
            sink.push(diag(s.name_at, message, &s.name, fix));
        }
        keep
    });
    let mut object = |kind: &str, name: &QualName, at: Loc| {
        let keep = managed.contains(&name.schema);
        if !keep {
            let message = format!(
                "{kind} {name} is in `{}`, which is not a managed schema ({listed})",
                name.schema
            );
            let fix = match managed.first() {
                Some(m) => format!("or declare it in a managed schema (`{m}.{}`)", name.name),
                None => "or remove this declaration".to_string(),
            };
            sink.push(diag(at, message, &name.schema, fix));
        }
        keep
    };
    decls.enums.retain(|e| object("enum", &e.name, e.name_at));
    decls.tables.retain(|t| object("table", &t.name, t.name_at));
    decls
        .functions
        .retain(|f| object("function", &f.function.name, f.name_at));
    decls
        .views
        .retain(|v| object("view", &v.view.name, v.name_at));
    // Policies on the platform's tables (`storage.objects`) are how a
    // project secures them: allowed at the top level, as are those on
    // any table of a provided schema.
    decls.policies.retain(|p| {
        provided::is_external_schema(p.policy.table.schema.as_str())
            || object(
                "policy on table",
                &p.policy.table,
                p.table_at.unwrap_or(p.at),
            )
    });
}

/// The error, with the hint for a provided schema or for one of the
/// project's own (then `fix` is the alternative to managing it).
fn diag(at: Loc, message: String, schema: &Ident, fix: String) -> Diag {
    let help = match provided::provider(schema.as_str()) {
        Some(provider) => format!(
            "`{schema}` is provided by {provider}: reference its objects (`references {} id`), do not declare them",
            provided::example_table(schema.as_str())
        ),
        None => format!("add `{schema}` to `schemas` in trr-schema.toml, {fix}"),
    };
    Diag::new(at, message, "outside the managed schemas").help(help)
}

/// `managed: core, audit`.
fn list(managed: &[Ident]) -> String {
    let names: Vec<String> = managed.iter().map(|s| s.to_string()).collect();
    match names.is_empty() {
        true => "no schema is managed".into(),
        false => format!("managed: {}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use crate::lang::{load_sources, load_sources_managed};
    use crate::{Ident, QualName, Source};

    fn load(text: &str, managed: &[&str]) -> Result<crate::Catalog, String> {
        let managed: Vec<Ident> = managed.iter().map(|s| Ident::new(*s)).collect();
        load_sources_managed(&[Source::new("t.kdl", text)], &managed).map_err(|e| e.to_string())
    }

    #[test]
    fn references_to_external_tables_stay_fine() {
        let text = "schema core\ntable core.profiles {\n    column user_id uuid { references auth.users id; }\n}\n";
        let c = load(text, &["core"]).unwrap();
        assert!(c.tables.contains_key(&QualName::from("core.profiles")));
    }

    #[test]
    fn every_declaration_outside_is_reported_and_nothing_else() {
        let text = "schema auth\nschema core\nenum storage.kind a\ntable auth.extra { column id uuid }\n\
                    table core.t {\n    column user_id uuid { references auth.users id; }\n    column k storage.kind\n}\n";
        let e = load(text, &["core"]).unwrap_err();
        assert!(e.contains("3 errors"), "{e}");
        assert!(e.contains("t.kdl:1:8: schema auth is not a managed schema (managed: core)"));
        assert!(
            e.contains("t.kdl:3:6: enum storage.kind is in `storage`"),
            "{e}"
        );
        assert!(
            e.contains("t.kdl:4:7: table auth.extra is in `auth`"),
            "{e}"
        );
        assert!(!e.contains("core.t"), "{e}");
    }

    #[test]
    fn unqualified_names_are_in_public() {
        let text = "table shows { column id uuid }\n";
        let e = load(text, &["core"]).unwrap_err();
        assert!(e.contains("table public.shows is in `public`"), "{e}");
        assert!(load(text, &["core", "public"]).is_ok());
        // Without a restriction, anything goes (tests, the round-trip harness).
        assert!(load_sources(&[Source::new("t.kdl", text)]).is_ok());
    }
}
