//! Feature folders (`tests/features/<feature>/`): the smallest schema that shows one construct, a snapshot
//! of the code emitted for it (`expected.rs`), and example documents (exercised by `tests/features.rs`).
//!
//! `UPDATE_SNAPSHOTS=1 cargo test -p veeam-em-codegen --test snapshots` rewrites the snapshots; review the diff.

use std::path::{Path, PathBuf};

/// Keep in step with the `feature!` list in `tests/features.rs`.
const FEATURES: &[&str] = &[
    "choice",
    "client_calls",
    "extension",
    "json_key_per_use",
    "json_rename",
    "list_wrapper",
    "open_enum",
    "presence_marker",
    "scalars",
    "text_content",
    "value_list",
];

const UPDATE_COMMAND: &str = "UPDATE_SNAPSHOTS=1 cargo test -p veeam-em-codegen --test snapshots";

fn features_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/features")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_feature_folder_is_compiled_here() {
    let mut found: Vec<String> = std::fs::read_dir(features_dir())
        .expect("features dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(
        found, FEATURES,
        "add new feature folders to FEATURES here and to the feature! list in tests/features.rs"
    );
}

#[test]
fn snapshots_are_current() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for feature in FEATURES {
        let dir = features_dir().join(feature);
        let source = codegen::Source {
            path: format!("tests/features/{feature}/schema.xml"),
            text: read(&dir.join("schema.xml")),
        };
        let ir = codegen::load(std::slice::from_ref(&source)).unwrap_or_else(|d| panic!("{feature}:\n{d}"));
        let rt = "::veeam_em::runtime";
        let mut outputs = vec![(
            "expected.rs",
            codegen::output::single_file(&ir, &source.path, rt, UPDATE_COMMAND).expect("formats"),
        )];
        // Schemas with resources also get their client and server modules snapshotted.
        if !ir.resources.is_empty() {
            let client = codegen::output::client_single_file(&ir, &source.path, rt, UPDATE_COMMAND).expect("formats");
            let server = codegen::output::server_single_file(&ir, &source.path, rt, UPDATE_COMMAND).expect("formats");
            outputs.push(("expected_client.rs", client));
            outputs.push(("expected_server.rs", server));
        }
        for (name, emitted) in outputs {
            let snapshot = dir.join(name);
            let current = std::fs::read_to_string(&snapshot).unwrap_or_default();
            if current != emitted {
                if update {
                    std::fs::write(&snapshot, &emitted).expect("write snapshot");
                } else {
                    let line = current.lines().zip(emitted.lines()).position(|(a, b)| a != b).map_or(0, |i| i + 1);
                    stale.push(format!("{feature}/{name}: first difference at line {line}"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "snapshots differ (rerun with UPDATE_SNAPSHOTS=1 and review the diff):\n{}",
        stale.join("\n")
    );
}
