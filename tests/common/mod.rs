//! Helpers shared by the integration tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)] // a panic in a test is a failed assertion

mod vectors;

#[allow(unused_imports)] // not every test file reads vectors
pub use vectors::*;

/// Decodes hex (the Wycheproof files' encoding).
pub fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd-length hex");
    (0..text.len())
        .step_by(2)
        .map(|i| {
            u8::from_str_radix(&text[i..i + 2], 16).unwrap_or_else(|_| panic!("bad hex {text}"))
        })
        .collect()
}

/// Unpadded base64url for building and taking apart payloads: the `base64` crate's, not the
/// verifier's own (which the tests check through the public API).
pub mod base64url {
    use base64::Engine as _;

    /// Encodes without padding.
    pub fn encode(bytes: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Decodes unpadded base64url, strictly (no padding, no stray bits).
    pub fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text)
    }
}
