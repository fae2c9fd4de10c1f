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

#[path = "../../../tests/common/vectors.rs"]
mod vectors;

#[allow(unused_imports)] // not every test file reads vectors
pub use vectors::*;

/// Path of a file in the repository (the library's folder, above `cli/`).
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative)
}
