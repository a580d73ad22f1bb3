//! Entity-relationship diagrams: tables with their key columns (primary,
//! foreign, unique) and one edge per foreign key, drawn as Mermaid (GitHub
//! renders it in pull requests and markdown files) or Graphviz dot.
//!
//! Cardinality comes from the schema: a child row has exactly one parent
//! when its foreign-key columns are NOT NULL (zero or one otherwise); a
//! parent has at most one child when the foreign-key columns are the
//! child's primary key or a unique constraint (many otherwise).

pub mod dot;
pub mod mermaid;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use schema::{Catalog, ConstraintKind, Ident, QualName, Table};
use std::collections::{BTreeMap, BTreeSet};

/// A table in the diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entity {
    pub name: QualName,
    /// Key columns in physical order; empty for a table drawn only because
    /// a shown table references it.
    pub columns: Vec<KeyColumn>,
    /// Drawn for context (referenced from outside the selection).
    pub context: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyColumn {
    pub name: Ident,
    pub ty: String,
    pub primary: bool,
    pub foreign: bool,
    pub unique: bool,
}

impl KeyColumn {
    /// `PK`, `FK`, `UK` (unique but not the primary key), as drawn.
    pub fn marks(&self) -> Vec<&'static str> {
        let mut marks = Vec::new();
        if self.primary {
            marks.push("PK");
        }
        if self.foreign {
            marks.push("FK");
        }
        if self.unique && !self.primary {
            marks.push("UK");
        }
        marks
    }
}

/// A foreign key, from the child (referencing) to the parent table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub constraint: Ident,
    pub columns: Vec<Ident>,
    /// Every foreign-key column is NOT NULL: each child has a parent.
    pub required: bool,
    /// The columns are unique in the child: one child per parent at most.
    pub one_to_one: bool,
}

/// The diagram: a petgraph graph whose nodes are added in table-name
/// order, so every rendering is deterministic.
#[derive(Clone, Debug)]
pub struct Erd {
    pub graph: DiGraph<Entity, Relation>,
}

impl Erd {
    /// The tables `keep` selects and every foreign key between them; a
    /// table they reference that `keep` rejects is drawn as context (name
    /// only).
    pub fn of(catalog: &Catalog, keep: impl Fn(&QualName) -> bool) -> Erd {
        let mut graph = DiGraph::new();
        let mut nodes: BTreeMap<QualName, NodeIndex> = BTreeMap::new();
        let shown: Vec<&Table> = catalog.tables.values().filter(|t| keep(&t.name)).collect();
        // Referenced tables outside the selection, by name.
        let context: BTreeSet<QualName> = shown
            .iter()
            .flat_map(|t| foreign_keys(t).map(|(_, fk)| fk.ref_table.clone()))
            .filter(|r| !keep(r))
            .collect();
        let mut entities: Vec<Entity> = shown.iter().map(|t| entity(t)).collect();
        entities.extend(context.into_iter().map(|name| Entity {
            name,
            columns: Vec::new(),
            context: true,
        }));
        entities.sort_by(|a, b| a.name.cmp(&b.name));
        for e in entities {
            let name = e.name.clone();
            nodes.insert(name, graph.add_node(e));
        }
        for table in &shown {
            for (name, fk) in foreign_keys(table) {
                let (Some(&child), Some(&parent)) =
                    (nodes.get(&table.name), nodes.get(&fk.ref_table))
                else {
                    continue;
                };
                let required = fk
                    .columns
                    .iter()
                    .all(|c| table.column(c).is_some_and(|c| !c.nullable));
                graph.add_edge(
                    child,
                    parent,
                    Relation {
                        constraint: name.clone(),
                        columns: fk.columns.clone(),
                        required,
                        one_to_one: unique_in(table, &fk.columns),
                    },
                );
            }
        }
        Erd { graph }
    }

    /// `tables` and the tables one foreign key away from them, in either
    /// direction: the neighbourhood a pull request touches.
    pub fn around(catalog: &Catalog, tables: &BTreeSet<QualName>) -> Erd {
        let full = Erd::of(catalog, |_| true);
        let mut keep: BTreeSet<QualName> = tables.clone();
        for edge in full.graph.edge_references() {
            let child = &full.graph[edge.source()].name;
            let parent = &full.graph[edge.target()].name;
            if tables.contains(child) {
                keep.insert(parent.clone());
            }
            if tables.contains(parent) {
                keep.insert(child.clone());
            }
        }
        Erd::of(catalog, |t| keep.contains(t))
    }

    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }

    pub fn mermaid(&self) -> String {
        mermaid::render(self)
    }

    pub fn dot(&self) -> String {
        dot::render(self)
    }

    /// Edges in a stable order: by child, then constraint name.
    pub(crate) fn relations(&self) -> Vec<(&Entity, &Entity, &Relation)> {
        let mut edges: Vec<_> = self
            .graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect();
        edges.sort_by(|a, b| (&a.0.name, &a.2.constraint).cmp(&(&b.0.name, &b.2.constraint)));
        edges
    }

    /// Nodes in table-name order (the order they were added).
    pub(crate) fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.graph.node_indices().map(|i| &self.graph[i])
    }
}

fn foreign_keys(table: &Table) -> impl Iterator<Item = (&Ident, &schema::ForeignKey)> {
    table.constraints.values().filter_map(|c| match &c.kind {
        ConstraintKind::ForeignKey(fk) => Some((&c.name, fk)),
        _ => None,
    })
}

/// The primary key or a unique constraint is exactly `columns` (any order).
fn unique_in(table: &Table, columns: &[Ident]) -> bool {
    let wanted: BTreeSet<&Ident> = columns.iter().collect();
    let same = |cols: &[Ident]| cols.iter().collect::<BTreeSet<_>>() == wanted;
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| same(&pk.columns))
        || table.constraints.values().any(|c| match &c.kind {
            ConstraintKind::Unique { columns, .. } => same(columns),
            _ => false,
        })
}

fn entity(table: &Table) -> Entity {
    let primary: BTreeSet<&Ident> = table
        .primary_key
        .iter()
        .flat_map(|pk| pk.columns.iter())
        .collect();
    let foreign: BTreeSet<&Ident> = foreign_keys(table)
        .flat_map(|(_, fk)| fk.columns.iter())
        .collect();
    let unique: BTreeSet<&Ident> = table
        .constraints
        .values()
        .filter_map(|c| match &c.kind {
            ConstraintKind::Unique { columns, .. } => Some(columns.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    Entity {
        name: table.name.clone(),
        columns: table
            .columns
            .iter()
            .filter(|c| {
                primary.contains(&c.name) || foreign.contains(&c.name) || unique.contains(&c.name)
            })
            .map(|c| KeyColumn {
                name: c.name.clone(),
                ty: c.ty.as_str().to_string(),
                primary: primary.contains(&c.name),
                foreign: foreign.contains(&c.name),
                unique: unique.contains(&c.name),
            })
            .collect(),
        context: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        schema::lang::load_sources(&[schema::Source::new(
            "erd.kdl",
            r#"
schema core
table core.orgs {
    column id uuid
    column name text
    primary-key id
}
table core.shows {
    column id uuid
    column org_id uuid { references core.orgs id }
    column slug text
    primary-key id
    unique org_id slug
}
table core.show_stats {
    column show_id uuid { references core.shows id }
    column views bigint
    primary-key show_id
}
table core.notes {
    column id uuid
    column show_id uuid nullable=#true { references core.shows id }
    primary-key id
}
"#,
        )])
        .unwrap()
    }

    #[test]
    fn cardinality_from_nullability_and_uniqueness() {
        let erd = Erd::of(&catalog(), |_| true);
        let edges: Vec<String> = erd
            .relations()
            .iter()
            .map(|(c, p, r)| {
                format!(
                    "{} -> {}: required={} one_to_one={}",
                    c.name, p.name, r.required, r.one_to_one
                )
            })
            .collect();
        assert_eq!(
            edges,
            [
                "core.notes -> core.shows: required=false one_to_one=false",
                "core.show_stats -> core.shows: required=true one_to_one=true",
                "core.shows -> core.orgs: required=true one_to_one=false",
            ]
        );
        insta::assert_snapshot!("mermaid", erd.mermaid());
        insta::assert_snapshot!("dot", erd.dot());
    }

    #[test]
    fn around_keeps_neighbours_and_draws_outside_references_as_context() {
        let catalog = catalog();
        let erd = Erd::around(
            &catalog,
            &BTreeSet::from([QualName::from("core.show_stats")]),
        );
        let names: Vec<String> = erd.entities().map(|e| e.name.to_string()).collect();
        assert_eq!(names, ["core.orgs", "core.show_stats", "core.shows"]);
        let orgs = erd.entities().next().unwrap();
        assert!(orgs.context && orgs.columns.is_empty());
    }
}
