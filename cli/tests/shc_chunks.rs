//! `verify` and `scan` read the chunks of a multi-QR SMART Health Card one per line and collect
//! them into one card, up to the largest card the format allows.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use serde_json::{json, Value};
use vneid_verify::issuer::{encode, IssuerKey};
use vneid_verify::{Policy, ShcChunks};

const TEST_ISS: &str = "https://issuer.test.example";
const NOW: i64 = 1_700_000_000;

fn key() -> IssuerKey {
    IssuerKey::from_secret_bytes("test-kid", &[7u8; 32]).unwrap()
}

/// A card whose compact JWS is at least `jws_len` characters: the claims carry a filler of
/// pseudo-random text, which DEFLATE cannot shrink much.
fn card_of_length(jws_len: usize) -> String {
    let mut state: u32 = 12_345;
    let mut filler = String::new();
    loop {
        let claims = json!({"iss": TEST_ISS, "nbf": 1_690_000_000, "filler": filler, "vc": {
            "type": ["https://smarthealth.cards#health-card"],
            "credentialSubject": {"fhirVersion": "4.0.1", "fhirBundle": {"resourceType": "Bundle", "type": "collection", "entry": []}}
        }});
        let raw = miniz_oxide_compress(claims.to_string().as_bytes());
        let jws = key().sign_jws(r#"{"zip":"DEF","alg":"ES256","kid":"test-kid"}"#, &raw);
        if jws.len() >= jws_len {
            return jws;
        }
        for _ in 0..64 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            filler.push(char::from(b'a' + u8::try_from((state >> 16) % 26).unwrap()));
        }
    }
}

/// Raw DEFLATE, as SMART Health Cards compress their payload.
fn miniz_oxide_compress(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

/// The QR texts of `jws` split into `n` chunks.
fn chunks(jws: &str, n: usize) -> Vec<String> {
    let size = jws.len().div_ceil(n);
    (0..n)
        .map(|i| {
            let part = &jws[(i * size).min(jws.len())..((i + 1) * size).min(jws.len())];
            format!("shc:/{}/{n}/{}", i + 1, encode::shc_digits(part).unwrap())
        })
        .collect()
}

#[test]
fn verify_and_scan_collect_a_card_of_many_full_chunks() {
    let dir = common::cli::TestDir::new("shc-chunks");
    let trust = dir.file("trust.json");
    std::fs::write(
        &trust,
        json!({"iss": TEST_ISS, "keys": [key().public_jwk()]}).to_string(),
    )
    .unwrap();
    for n in [7, ShcChunks::MAX_CHUNKS] {
        let jws = card_of_length(n * ShcChunks::MAX_CHUNK_JWS_LEN - 80);
        assert!(jws.len() <= n * ShcChunks::MAX_CHUNK_JWS_LEN, "{n} chunks");
        let texts = chunks(&jws, n);
        let input = texts.join("\r\n") + "\r\n";
        assert!(input.len() > Policy::default().limits.max_payload_len);
        for command in ["verify", "scan"] {
            let out = common::cli::run(
                &[command, "--trust", &trust, "--at", &NOW.to_string()],
                input.as_bytes(),
            );
            let stdout = String::from_utf8(out.stdout).unwrap();
            let lines: Vec<&str> = stdout.lines().collect();
            assert_eq!(lines.len(), 1, "{command}: {stdout}");
            let verdict: Value = serde_json::from_str(lines[0]).unwrap();
            assert_eq!(
                verdict["valid"],
                json!(true),
                "{command} of {n} chunks: {stdout}"
            );
        }
    }
}
