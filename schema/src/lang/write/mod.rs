//! Catalog → KDL: the files `trr-schema import` writes, one per schema, in
//! exactly the language [`super::load_sources`] reads.
//!
//! The writer proves its own output: it loads the files it wrote and
//! compares the result with the Catalog. Constraint names are written only
//! where the loader would derive a different one; the trial load is what
//! tells (derived names depend on every other name in the schema), so
//! names it gets wrong are made explicit and the files written again.
//! Whatever the language cannot declare is an error naming the object,
//! never a silent loss.

mod compare;
mod grants;
mod policies;
mod routines;
mod table;
mod text;
mod views;

pub use table::index_key;

use crate::catalog::{Catalog, Enum, Extension, Schema};
use crate::ident::{DEFAULT_SCHEMA, Ident, QualName};
use crate::security::{GrantTarget, ObjectClass};
use crate::source::Source;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use table::{TableCtx, write_table};

/// One written file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KdlFile {
    /// `core.kdl`: the schema's name, made safe for a file name.
    pub file_name: String,
    pub text: String,
}

/// What the KDL language cannot declare, object by object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteError {
    pub problems: Vec<String>,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the schema cannot be written as KDL without losing something ({} problem{}):",
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for WriteError {}

/// Access methods the loader's `using=` accepts.
// hnsw and ivfflat: pgvector's, for embeddings.
const METHODS: &[&str] = &[
    "btree", "hash", "gin", "gist", "brin", "spgist", "hnsw", "ivfflat",
];

/// Trial loads before every constraint name is simply written out.
const MAX_ROUNDS: usize = 8;

/// Writes the objects of `catalog` in `schemas` (and every extension) as
/// KDL files, each starting with `header` as comment lines. The files load
/// back to exactly `catalog.restricted_to(schemas)`, except that every
/// constraint is validated (the language has no `NOT VALID`).
pub fn write_catalog(
    catalog: &Catalog,
    schemas: &[Ident],
    header: &str,
) -> Result<Vec<KdlFile>, WriteError> {
    let mut catalog = catalog.restricted_to(schemas);
    // Declarations are always validated: a constraint added NOT VALID is
    // written as the constraint it will be (the next plan validates it).
    for t in catalog.tables.values_mut() {
        for c in t.constraints.values_mut() {
            c.not_valid = false;
        }
    }
    let problems = inexpressible(&catalog);
    if !problems.is_empty() {
        return Err(WriteError { problems });
    }
    let mut explicit: BTreeSet<(QualName, Ident)> = BTreeSet::new();
    let mut all_explicit = false;
    for round in 0.. {
        if round == MAX_ROUNDS {
            // Unreachable in practice: every round names at least one more
            // constraint. Naming all of them settles it.
            all_explicit = true;
        }
        if all_explicit {
            explicit = every_constraint(&catalog);
        }
        let files = render(&catalog, schemas, &explicit, header);
        let loaded = load_back(&files)?.restricted_to(schemas);
        let missed = compare::misnamed(&catalog, &loaded);
        if missed.is_empty() || all_explicit || missed.is_subset(&explicit) {
            if loaded != catalog {
                return Err(WriteError {
                    problems: compare::differences(&catalog, &loaded),
                });
            }
            return Ok(files);
        }
        explicit.extend(missed);
    }
    unreachable!("the loop returns once every name is explicit")
}

fn load_back(files: &[KdlFile]) -> Result<Catalog, WriteError> {
    let sources: Vec<Source> = files
        .iter()
        .map(|f| Source::new(&f.file_name, f.text.clone()))
        .collect();
    super::load_sources(&sources).map_err(|e| WriteError {
        problems: vec![format!(
            "the written KDL does not load back (something the language cannot declare, or a bug in the writer): {e}"
        )],
    })
}

fn every_constraint(catalog: &Catalog) -> BTreeSet<(QualName, Ident)> {
    let mut out = BTreeSet::new();
    for t in catalog.tables.values() {
        for c in t
            .constraints
            .keys()
            .chain(t.primary_key.iter().map(|p| &p.name))
        {
            out.insert((t.name.clone(), c.clone()));
        }
    }
    out
}

/// Whether `public`'s privileges or default privileges differ from what
/// the platform gives it, so its `schema public { … }` block must be
/// written.
fn public_needs_block(catalog: &Catalog) -> bool {
    let public = Ident::new(DEFAULT_SCHEMA);
    let baseline = crate::provided::platform_catalog();
    let on = GrantTarget::Schema {
        schema: public.clone(),
    };
    let held = |c: &Catalog| grants::held(c, &on);
    held(catalog) != held(&baseline)
        || !grants::default_privilege_edits(catalog, &baseline, Some(&public)).is_empty()
}

/// Objects the language has no way to declare, found before writing.
fn inexpressible(catalog: &Catalog) -> Vec<String> {
    let mut out = security_inexpressible(catalog);
    for e in catalog.enums.values() {
        if e.values.is_empty() {
            out.push(format!(
                "enum {} has no labels: the KDL language needs at least one",
                e.name
            ));
        }
    }
    // Schemas the loader treats as fully declared: a type there must be
    // declared too.
    let declared: BTreeSet<&Ident> = catalog
        .schemas
        .keys()
        .chain(catalog.tables.keys().map(|t| &t.schema))
        .collect();
    for t in catalog.tables.values() {
        for c in &t.columns {
            let Some(ty) = c.ty.user_defined() else {
                continue;
            };
            if catalog.enums.contains_key(&ty) || catalog.tables.contains_key(&ty) {
                continue;
            }
            let near_builtin = ty.schema.as_str() == DEFAULT_SCHEMA
                && crate::types::builtin_names()
                    .iter()
                    .any(|b| strsim::damerau_levenshtein(b, ty.name.as_str()) == 1);
            if declared.contains(&ty.schema) || near_builtin {
                out.push(format!(
                    "table {}, column {}: its type {ty} is not an enum or table the migrations create \
                     (a domain or composite type?); the KDL language declares only enums",
                    t.name, c.name
                ));
            }
        }
        if t.columns.is_empty() {
            out.push(format!(
                "table {} has no columns: the KDL language needs at least one",
                t.name
            ));
        }
        let mut keys: Vec<(&[Ident], &Ident)> = t
            .primary_key
            .iter()
            .map(|pk| (pk.columns.as_slice(), &pk.name))
            .collect();
        for c in t.constraints.values() {
            if let crate::ConstraintKind::Unique { columns, .. } = &c.kind {
                if let Some((_, first)) = keys.iter().find(|(k, _)| *k == columns.as_slice()) {
                    out.push(format!(
                        "table {}: unique constraint {} repeats the columns of {}; the KDL language rejects repeated keys (drop one in a migration first)",
                        t.name, c.name, first
                    ));
                }
                keys.push((columns, &c.name));
            }
        }
    }
    for i in catalog.indexes.values() {
        if !METHODS.contains(&i.method.as_str()) {
            out.push(format!(
                "index {} uses the access method `{}`, which the KDL language does not accept yet (only {})",
                i.name,
                i.method,
                METHODS.join(", ")
            ));
        }
        if !catalog.tables.contains_key(&i.table) || i.name.schema != i.table.schema {
            out.push(format!(
                "index {} is on {}, which is not a table written here",
                i.name, i.table
            ));
        }
    }
    out
}

/// Security objects the language cannot declare.
fn security_inexpressible(catalog: &Catalog) -> Vec<String> {
    let mut out = Vec::new();
    for t in catalog.tables.values() {
        if t.rls_forced && !t.rls_enabled {
            out.push(format!(
                "table {}: FORCE ROW LEVEL SECURITY without ENABLE; the KDL language's `rls force=#true` enables it too",
                t.name
            ));
        }
    }
    for v in catalog.views.values() {
        if v.materialized && (v.security_invoker || v.security_barrier || v.check_option.is_some())
        {
            out.push(format!(
                "materialized view {} has view options (security_invoker, security_barrier or a check option), which PostgreSQL does not give materialized views",
                v.name
            ));
        }
    }
    let sequences: BTreeSet<QualName> = catalog
        .tables
        .values()
        .flat_map(crate::lang::privileges::owned_sequences)
        .collect();
    let public = Ident::new(DEFAULT_SCHEMA);
    let mut reported = BTreeSet::new();
    for g in &catalog.grants {
        let problem = match &g.on {
            GrantTarget::Schema { schema } => (!catalog.schemas.contains_key(schema) && *schema != public)
                .then(|| format!("privileges on schema {schema}, which is not declared here")),
            GrantTarget::Table { table } | GrantTarget::Column { table, .. } => {
                (!catalog.tables.contains_key(table) && !catalog.views.contains_key(table)).then(|| {
                    format!("privileges on {table}, which is not a table or view written here")
                })
            }
            GrantTarget::Sequence { sequence } => (!sequences.contains(sequence)).then(|| {
                format!(
                    "privileges on sequence {sequence}, which no serial or identity column owns; the KDL language declares sequence privileges on the owning table only"
                )
            }),
            GrantTarget::Function { function } => (!catalog.functions.contains_key(function))
                .then(|| format!("privileges on function {function}, which is not declared here")),
        };
        if let GrantTarget::Column { table, .. } = &g.on
            && catalog.views.contains_key(table)
        {
            if reported.insert(format!("column privileges on view {table}")) {
                out.push(format!("column privileges on view {table}: the KDL language grants columns of tables only"));
            }
            continue;
        }
        if let Some(p) = problem
            && reported.insert(p.clone())
        {
            out.push(p);
        }
    }
    for d in &catalog.default_privileges {
        if let Some(s) = &d.schema
            && !catalog.schemas.contains_key(s)
            && *s != public
            && reported.insert(format!("dp {s}"))
        {
            out.push(format!(
                "default privileges in schema {s}, which is not declared here"
            ));
        }
    }
    for t in catalog.triggers.values() {
        let materialized = catalog.views.get(&t.table).is_some_and(|v| v.materialized);
        if (!catalog.tables.contains_key(&t.table) && !catalog.views.contains_key(&t.table))
            || materialized
        {
            out.push(format!(
                "trigger {} is on {}, which is not a table or view written here",
                t.name, t.table
            ));
        }
        if t.args.iter().any(|a| a.chars().any(|c| c.is_control())) {
            out.push(format!(
                "trigger {} on {}: an argument holds a control character",
                t.name, t.table
            ));
        }
    }
    out
}

/// What goes in one schema's file.
#[derive(Default)]
struct FileContent<'a> {
    schema: Option<&'a Schema>,
    extensions: Vec<&'a Extension>,
    enums: Vec<&'a Enum>,
    tables: Vec<&'a crate::Table>,
    functions: Vec<&'a crate::Function>,
    views: Vec<&'a crate::View>,
    /// Policies on tables not written here (`storage.objects`).
    policies: Vec<&'a crate::Policy>,
}

fn render(
    catalog: &Catalog,
    schemas: &[Ident],
    explicit: &BTreeSet<(QualName, Ident)>,
    header: &str,
) -> Vec<KdlFile> {
    let mut by_schema: BTreeMap<&Ident, FileContent<'_>> = BTreeMap::new();
    for (name, s) in &catalog.schemas {
        by_schema.entry(name).or_default().schema = Some(s);
    }
    // `public` is not in the Catalog's schemas (it is never created); its
    // block is written when its grants or default privileges need it.
    let public_schema = Schema {
        name: Ident::new(DEFAULT_SCHEMA),
        comment: None,
    };
    if schemas.contains(&public_schema.name)
        && !catalog.schemas.contains_key(&public_schema.name)
        && public_needs_block(catalog)
    {
        by_schema.entry(&public_schema.name).or_default().schema = Some(&public_schema);
    }
    for e in catalog.enums.values() {
        by_schema.entry(&e.name.schema).or_default().enums.push(e);
    }
    for t in catalog.tables.values() {
        by_schema.entry(&t.name.schema).or_default().tables.push(t);
    }
    for f in catalog.functions.values() {
        by_schema
            .entry(&f.name.schema)
            .or_default()
            .functions
            .push(f);
    }
    for v in catalog.views.values() {
        by_schema.entry(&v.name.schema).or_default().views.push(v);
    }
    let mut external_policies = Vec::new();
    for p in catalog.policies.values() {
        if !catalog.tables.contains_key(&p.table) {
            match by_schema.get_mut(&p.table.schema) {
                Some(content) => content.policies.push(p),
                None => external_policies.push(p),
            }
        }
    }
    let baseline = crate::provided::platform_catalog();
    let global_defaults = grants::default_privilege_edits(catalog, &baseline, None);
    // Extensions go with the schema they live in when it has a file, else
    // into the first file.
    let public = Ident::new(DEFAULT_SCHEMA);
    let mut homeless = Vec::new();
    for e in catalog.extensions.values() {
        let home = e.schema.as_ref().unwrap_or(&public);
        match by_schema.get_mut(home) {
            Some(content) => content.extensions.push(e),
            None => homeless.push(e),
        }
    }
    if !homeless.is_empty() || !global_defaults.is_empty() || !external_policies.is_empty() {
        if by_schema.is_empty() {
            let first = schemas.iter().min().unwrap_or(&public);
            by_schema.insert(first, FileContent::default());
        }
        if let Some(content) = by_schema.values_mut().next() {
            content.extensions.splice(0..0, homeless);
        }
    }

    let ctx = TableCtx { catalog, explicit };
    let mut used_names = BTreeSet::new();
    let mut files = Vec::new();
    let mut first = true;
    for (schema, content) in by_schema {
        let mut text = String::new();
        for line in header.lines() {
            text.push_str(format!("// {line}").trim_end());
            text.push('\n');
        }
        let mut sections: Vec<String> = Vec::new();
        if let Some(s) = content.schema {
            sections.push(schema_node(s, catalog, &baseline));
        }
        if first && !global_defaults.is_empty() {
            let mut block = "default-privileges {\n".to_string();
            for l in &global_defaults {
                let _ = writeln!(block, "    {l}");
            }
            block.push_str("}\n");
            sections.push(block);
        }
        if !content.extensions.is_empty() {
            let mut block = String::new();
            for e in &content.extensions {
                let _ = write!(block, "extension {}", text::name(&e.name));
                if let Some(s) = &e.schema {
                    let _ = write!(block, " schema={}", text::name(s));
                }
                block.push('\n');
            }
            sections.push(block);
        }
        if !content.enums.is_empty() {
            let mut block = String::new();
            for e in &content.enums {
                let _ = write!(block, "enum {}", text::qual_name(&e.name));
                for v in &e.values {
                    let _ = write!(block, " {}", text::string(v));
                }
                if let Some(c) = &e.comment {
                    let _ = write!(block, " {{ comment {} }}", text::prose(c));
                }
                block.push('\n');
            }
            sections.push(block);
        }
        // Functions before the tables whose triggers run them, views
        // after the tables they read: the order a reader expects.
        for f in &content.functions {
            let mut block = String::new();
            routines::write_function(&mut block, f, catalog);
            sections.push(block);
        }
        for t in &content.tables {
            let mut block = String::new();
            write_table(&mut block, t, &ctx);
            sections.push(block);
        }
        for v in &content.views {
            let mut block = String::new();
            views::write_view(&mut block, v, catalog);
            sections.push(block);
        }
        let mut policies: Vec<&crate::Policy> = content.policies.clone();
        if first {
            policies.extend(external_policies.iter().copied());
        }
        if !policies.is_empty() {
            let mut block = String::new();
            for p in policies {
                let _ = writeln!(block, "{}", policies::policy(p, true));
            }
            sections.push(block);
        }
        first = false;
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&sections.join("\n"));
        files.push(KdlFile {
            file_name: file_name(schema, &mut used_names),
            text,
        });
    }
    files.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    files
}

/// `schema name { comment …; grant …; default-privileges { … } }`.
fn schema_node(s: &Schema, catalog: &Catalog, baseline: &Catalog) -> String {
    let mut children = Vec::new();
    if let Some(c) = &s.comment {
        children.push(format!("comment {}", text::prose(c)));
    }
    let on = GrantTarget::Schema {
        schema: s.name.clone(),
    };
    let defaults = if s.name.as_str() == DEFAULT_SCHEMA {
        grants::held(baseline, &on)
    } else {
        catalog.default_grants(ObjectClass::Schema, &s.name)
    };
    children.extend(grants::edits(
        &grants::held(catalog, &on),
        &defaults,
        ObjectClass::Schema,
        "",
    ));
    let dp = grants::default_privilege_edits(catalog, baseline, Some(&s.name));
    let mut node = format!("schema {}", text::name(&s.name));
    match (children.as_slice(), dp.is_empty()) {
        ([], true) => {}
        ([one], true) if !one.starts_with("grant") && !one.starts_with("revoke") => {
            let _ = write!(node, " {{ {one} }}");
        }
        _ => {
            node.push_str(" {\n");
            for c in &children {
                let _ = writeln!(node, "    {c}");
            }
            if !dp.is_empty() {
                node.push_str("    default-privileges {\n");
                for l in &dp {
                    let _ = writeln!(node, "        {l}");
                }
                node.push_str("    }\n");
            }
            node.push('}');
        }
    }
    node + "\n"
}

/// `<schema>.kdl`, with anything but letters, digits, `_` and `-` replaced
/// by `_`, and a number added if two schemas end up with one name.
fn file_name(schema: &Ident, used: &mut BTreeSet<String>) -> String {
    let base: String = schema
        .as_str()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut name = format!("{base}.kdl");
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        name = format!("{base}-{n}.kdl");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests;
