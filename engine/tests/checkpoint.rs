//! Offline replay from a checkpoint must end where the replay from the
//! first file ends, wherever the checkpoint sits in the history.

use engine::checkpoint::Checkpoint;
use engine::config::Config;
use engine::introspect::readable;
use engine::replay::{StartFrom, replay_project, replay_project_with, replay_sources};
use std::path::Path;

#[test]
fn replay_from_any_checkpoint_equals_replay_from_scratch_on_examples() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::load(&examples).unwrap();
    config.checkpoint_dir = dir.path().to_path_buf();

    let scratch = replay_project_with(&config, StartFrom::Scratch).unwrap();
    assert!(scratch.checkpoint.is_none());
    let files = scratch.migrations.len();
    assert!(files >= 5, "examples/ has a history");

    for n in 1..=files {
        let _ = std::fs::remove_dir_all(dir.path());
        let covered = &scratch.migrations[..n];
        let at_n = replay_sources(covered).unwrap();
        Checkpoint::new(covered, at_n.catalog)
            .unwrap()
            .write(dir.path())
            .unwrap();
        let resumed = replay_project(&config).unwrap();
        let used = resumed.checkpoint.as_ref().expect("the checkpoint is used");
        assert_eq!(used.files, n);
        assert!(resumed.ignored.is_empty(), "{:?}", resumed.ignored);
        assert_eq!(
            readable(&resumed.replayed.catalog),
            readable(&scratch.replayed.catalog),
            "from the checkpoint after {n} files"
        );
        // Only the files after the checkpoint are replayed, so only their notes remain.
        let later: Vec<_> = scratch
            .replayed
            .notes
            .iter()
            .filter(|note| scratch.migrations[n..].iter().any(|m| m.path == note.file))
            .cloned()
            .collect();
        assert_eq!(resumed.replayed.notes, later);
    }
}

/// A checkpoint's JSON reads back to the same Catalog, byte for byte when
/// written again, for every kind of object the round-trip scenarios build
/// (identity, generated and quoted columns, deferrable keys, index options…).
#[test]
fn checkpoints_round_trip_every_scenario_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/scenarios");
    let mut checked = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    for dir in dirs {
        let sources: Vec<schema::Source> = ["setup.sql", "before.sql"]
            .iter()
            .map(|f| dir.join(f))
            .filter(|p| p.is_file())
            .map(|p| schema::Source::new(p.clone(), std::fs::read_to_string(&p).unwrap()))
            .collect();
        let Ok(replayed) = replay_sources(&sources) else {
            continue;
        };
        let Some(cp) = Checkpoint::new(&sources, replayed.catalog) else {
            continue;
        };
        let json = cp.to_json();
        let back: Checkpoint = serde_json::from_str(&json)
            .unwrap_or_else(|e| panic!("{}: {e}\n{json}", dir.display()));
        assert_eq!(back, cp, "{}", dir.display());
        assert_eq!(back.to_json(), json, "{}", dir.display());
        checked += 1;
    }
    assert!(checked >= 50, "{checked} scenarios checked");
}
