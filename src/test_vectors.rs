//! Unit tests' access to the conformance vectors in `../shared/vectors` (beside the project), for
//! the primitives that have no public entry point. A missing file fails the test, never skips it.
#![allow(clippy::panic, clippy::expect_used)] // a panic in a test is a failed assertion

use std::path::PathBuf;

/// Reads a vector file as JSON.
pub(crate) fn json(relative: &str) -> serde_json::Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/vectors")
        .join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "conformance vector {} is missing ({e}): these tests read ../shared/vectors beside the project (see README, Tests)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {relative}: {e}"))
}

/// Decodes hex (the Wycheproof files' encoding).
pub(crate) fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd-length hex");
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .unwrap_or_else(|| panic!("bad hex {text}"))
        })
        .collect()
}
