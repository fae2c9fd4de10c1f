//! Helpers shared by the command line's integration tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)] // a panic in a test is a failed assertion

pub mod cli;

use std::path::PathBuf;

/// Path of a file under `../shared/vectors` (beside the repository). Panics (failing the test) when it is missing: a
/// conformance test never skips because its data is absent.
pub fn vector_path(relative: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors")
        .join(relative);
    assert!(
        path.exists(),
        "conformance vector {} is missing: these tests read ../shared/vectors beside the project (see README, Tests)",
        path.display()
    );
    path
}

/// Reads a vector file as text.
pub fn read_vector(relative: &str) -> String {
    let path = vector_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Reads a vector file as JSON.
pub fn json_vector(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read_vector(relative))
        .unwrap_or_else(|e| panic!("parsing {relative}: {e}"))
}

/// Path of a file in the repository (the library's folder, above `cli/`).
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}
