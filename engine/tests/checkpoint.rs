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
