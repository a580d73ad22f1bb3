//! Dependency ordering: changes are nodes of a petgraph DAG, edges come from
//! [`deps`](super::deps) keys, files are assigned so that no step runs
//! before a step it depends on, and a Kahn topological sort picks the ready
//! step with the smallest (file, rank, name, diff position) every time, so
//! the order is deterministic and reads naturally.

use super::deps::{Deps, Key};
use super::steps::{Draft, FileKind};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet};

/// Edges between drafts (by position), from the keys each one touches.
fn edges(drafts: &[Draft], deps: &[Deps]) -> BTreeSet<(usize, usize)> {
    let mut creators: BTreeMap<&Key, Vec<usize>> = BTreeMap::new();
    let mut removers: BTreeMap<&Key, Vec<usize>> = BTreeMap::new();
    let mut ext_creators = Vec::new();
    let mut ext_removers = Vec::new();
    for (i, d) in deps.iter().enumerate() {
        for k in &d.creates {
            creators.entry(k).or_default().push(i);
            if matches!(k, Key::Extension(_)) {
                ext_creators.push(i);
            }
        }
        for k in &d.removes {
            removers.entry(k).or_default().push(i);
            if matches!(k, Key::Extension(_)) {
                ext_removers.push(i);
            }
        }
    }
    let mut out = BTreeSet::new();
    for (i, d) in deps.iter().enumerate() {
        for k in &d.needs {
            out.extend(creators.get(k).into_iter().flatten().map(|&c| (c, i)));
        }
        for k in &d.releases {
            out.extend(removers.get(k).into_iter().flatten().map(|&r| (i, r)));
        }
        // A replaced object is dropped before it is created again (a
        // function by its identity: another overload of the name may be
        // dropped after a create, once its callers moved).
        for k in d.creates.iter().filter(|k| !matches!(k, Key::Function(_))) {
            out.extend(removers.get(k).into_iter().flatten().map(|&r| (r, i)));
        }
        if d.needs_extensions {
            out.extend(ext_creators.iter().map(|&c| (c, i)));
        }
        if d.releases_extensions {
            out.extend(ext_removers.iter().map(|&r| (i, r)));
        }
    }
    let mut last_in_chain: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, d) in drafts.iter().enumerate() {
        if let Some(chain) = &d.chain
            && let Some(prev) = last_in_chain.insert(chain, i)
        {
            out.insert((prev, i));
        }
    }
    out.retain(|(a, b)| a != b);
    out
}

/// The order to run the drafts in, and the file each one lands in.
pub fn order(drafts: &[Draft], deps: &[Deps]) -> Vec<(usize, FileKind)> {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..drafts.len()).map(|i| graph.add_node(i)).collect();
    for (a, b) in edges(drafts, deps) {
        graph.add_edge(nodes[a], nodes[b], ());
    }

    // A step never runs in an earlier file than a step it depends on.
    let mut file: Vec<FileKind> = drafts.iter().map(|d| d.file).collect();
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds <= drafts.len() {
        changed = false;
        rounds += 1;
        for e in graph.edge_indices() {
            let (a, b) = graph.edge_endpoints(e).expect("edge exists");
            let (a, b) = (graph[a], graph[b]);
            if file[b] < file[a] {
                file[b] = file[a];
                changed = true;
            }
        }
        // A replaced object's drop goes with its create: the object is
        // missing for one file at most, not between files.
        let mut latest: BTreeMap<&str, FileKind> = BTreeMap::new();
        for (i, d) in drafts.iter().enumerate() {
            if let Some(p) = &d.pair {
                let f = latest.entry(p).or_insert(file[i]);
                *f = (*f).max(file[i]);
            }
        }
        for (i, d) in drafts.iter().enumerate() {
            if let Some(p) = &d.pair
                && file[i] < latest[p.as_str()]
            {
                file[i] = latest[p.as_str()];
                changed = true;
            }
        }
    }

    let key = |i: usize| {
        (
            file[i],
            drafts[i].rank,
            drafts[i].step.object.name.clone(),
            i,
        )
    };
    let mut indegree: Vec<usize> = nodes
        .iter()
        .map(|&n| graph.neighbors_directed(n, Direction::Incoming).count())
        .collect();
    let mut ready: BTreeSet<_> = (0..drafts.len())
        .filter(|&i| indegree[i] == 0)
        .map(key)
        .collect();
    let mut out = Vec::with_capacity(drafts.len());
    let mut done = vec![false; drafts.len()];
    loop {
        let next = match ready.pop_first() {
            Some(k) => k.3,
            // A cycle (should not happen: foreign keys are separate steps):
            // keep going in key order rather than lose steps.
            None => match (0..drafts.len()).filter(|&i| !done[i]).map(key).min() {
                Some(k) => k.3,
                None => break,
            },
        };
        if done[next] {
            continue;
        }
        done[next] = true;
        out.push((next, file[next]));
        for m in graph.neighbors_directed(nodes[next], Direction::Outgoing) {
            let m = graph[m];
            indegree[m] = indegree[m].saturating_sub(1);
            if indegree[m] == 0 && !done[m] {
                ready.insert(key(m));
            }
        }
    }
    // Already grouped unless a cycle forced a step early; stable either way.
    out.sort_by_key(|&(_, f)| f);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::{Action, ObjectKind, ObjectRef, Rollback, Step};
    use schema::{Ident, QualName};

    fn draft(name: &str, file: FileKind, rank: u8, chain: Option<&str>) -> Draft {
        Draft {
            step: Step {
                object: ObjectRef {
                    kind: ObjectKind::Table,
                    name: name.into(),
                },
                action: Action::Create,
                summary: name.into(),
                sql: String::new(),
                rollback: Rollback::Sql { sql: String::new() },
                hazards: vec![],
                access: vec![],
            },
            file,
            rank,
            chain: chain.map(str::to_string),
            pair: None,
        }
    }

    fn table(name: &str) -> Key {
        Key::Table(QualName::new(Ident::new("core"), Ident::new(name)))
    }

    fn names(drafts: &[Draft], order: &[(usize, FileKind)]) -> Vec<String> {
        order
            .iter()
            .map(|(i, f)| format!("{}:{}", drafts[*i].step.summary, f.slug()))
            .collect()
    }

    #[test]
    fn ready_steps_go_by_file_rank_and_name_and_dependencies_win() {
        let drafts = vec![
            draft("z", FileKind::Expand, 1, None),
            draft("b", FileKind::Expand, 2, None),
            draft("a", FileKind::Expand, 2, None),
            draft("dep", FileKind::Expand, 0, None),
        ];
        // `dep` needs what `b` creates, so it waits despite its rank.
        let deps = vec![
            Deps::default(),
            Deps {
                creates: vec![table("t")],
                ..Deps::default()
            },
            Deps::default(),
            Deps {
                needs: vec![table("t")],
                ..Deps::default()
            },
        ];
        let order = order(&drafts, &deps);
        assert_eq!(
            names(&drafts, &order),
            ["z:expand", "a:expand", "b:expand", "dep:expand"]
        );
    }

    #[test]
    fn a_step_never_runs_in_an_earlier_file_than_what_it_needs() {
        let drafts = vec![
            draft("late", FileKind::Contract, 0, None),
            draft("after", FileKind::Expand, 0, None),
        ];
        let deps = vec![
            Deps {
                creates: vec![table("t")],
                ..Deps::default()
            },
            Deps {
                needs: vec![table("t")],
                ..Deps::default()
            },
        ];
        assert_eq!(
            names(&drafts, &order(&drafts, &deps)),
            ["late:contract", "after:contract"]
        );
    }

    #[test]
    fn chains_keep_diff_order_and_drops_precede_recreation() {
        let drafts = vec![
            draft("second-by-name-first", FileKind::Expand, 5, Some("c")),
            draft("a-then", FileKind::Expand, 5, Some("c")),
            draft("create", FileKind::Expand, 0, None),
            draft("drop", FileKind::Expand, 9, None),
        ];
        let deps = vec![
            Deps::default(),
            Deps::default(),
            Deps {
                creates: vec![table("x")],
                ..Deps::default()
            },
            Deps {
                removes: vec![table("x")],
                ..Deps::default()
            },
        ];
        assert_eq!(
            names(&drafts, &order(&drafts, &deps)),
            // `create` has the best rank but waits for the drop of what it
            // recreates; `a-then` sorts first by name but follows its chain.
            [
                "second-by-name-first:expand",
                "a-then:expand",
                "drop:expand",
                "create:expand"
            ]
        );
    }

    #[test]
    fn a_replaced_objects_drop_joins_its_create_in_a_later_file() {
        let mut drop = draft("drop view", FileKind::Expand, 3, None);
        drop.pair = Some("view core.v".into());
        let mut create = draft("create view", FileKind::Expand, 20, None);
        create.pair = Some("view core.v".into());
        let retype = draft("narrowing type change", FileKind::Contract, 17, None);
        let drafts = vec![drop, retype, create];
        let key = || Key::ColumnType(QualName::from("core.t"), Ident::new("c"));
        let deps = vec![
            Deps {
                releases: vec![key()],
                ..Deps::default()
            },
            Deps {
                creates: vec![key()],
                removes: vec![key()],
                ..Deps::default()
            },
            Deps {
                needs: vec![key()],
                ..Deps::default()
            },
        ];
        assert_eq!(
            names(&drafts, &order(&drafts, &deps)),
            [
                "drop view:contract",
                "narrowing type change:contract",
                "create view:contract"
            ]
        );
    }
}
