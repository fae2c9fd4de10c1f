//! A status list bomb (tiny compressed, huge inflated) is refused within the inflate cap: the
//! memory it costs follows the cap, not what it claims to hold. This binary counts allocations.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

#[path = "common/counting_alloc.rs"]
mod counting_alloc;

use base64::Engine as _;
use counting_alloc::peak_during;
use serde_json::json;
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{ErrorCode, StatusList, TrustStore};

const MAX_LIST_BYTES: usize = StatusList::MAX_BYTES;

// One test function: the counters are process-wide.
#[test]
fn a_status_list_bomb_costs_at_most_the_cap() {
    let key = IssuerKey::from_secret_bytes("k", &[5; 32]).unwrap();
    // 128 MiB of zeros: about 128 KB compressed, eight times the cap.
    let lst = {
        let zeros = vec![0u8; 128 << 20];
        miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 10)
    };
    assert!(lst.len() < 150_000, "{}", lst.len());
    let claims = json!({"sub": "https://a/s", "iat": 1_700_000_000,
        "status_list": {"bits": 1, "lst": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&lst)}});
    let header = json!({"alg": "ES256", "kid": "k", "typ": "statuslist+jwt"});
    let jwt = key.sign_jws(&header.to_string(), claims.to_string().as_bytes());
    let trust = json!({"issuers": [{"iss": "https://a", "keys": [key.public_jwk()]}],
        "status_lists": [jwt]})
    .to_string();
    let mut result = None;
    let peak = peak_during(|| result = Some(TrustStore::from_json(&trust)));
    let err = result.unwrap().unwrap_err();
    assert_eq!(err.code(), ErrorCode::TrustInvalid);
    assert!(
        err.detail().unwrap().contains("decompressed_too_large"),
        "{err}"
    );
    // The inflated output stops at the cap; while it grows its old and new buffers are alive
    // together (1.5 × the cap); the parsed JSON and token are a few times the file's size.
    assert!(
        peak < MAX_LIST_BYTES * 3 / 2 + 16 * trust.len(),
        "{peak} bytes allocated for a {} byte trust file (cap {MAX_LIST_BYTES})",
        trust.len()
    );
}
