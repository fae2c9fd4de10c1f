//! Hostile input gets a small verdict, and the next payload verifies as before. Each case is
//! built from a description of an attack, not from an attacker's bytes.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

use serde_json::Value as Json;
use vneid_verify::issuer::cbor::{self, Value};
use vneid_verify::issuer::document;
use vneid_verify::{ErrorCode, Policy, TrustStore, Verifier};

const DOCUMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/vneid-document");

/// The largest verdict line any hostile payload may produce: a code, a short message, a detail
/// that quotes at most 64 characters of the payload.
const SMALL_VERDICT: usize = 1024;

fn documents_verifier() -> Verifier {
    let trust = std::fs::read_to_string(format!("{DOCUMENTS}/test-issuer.trust.json")).unwrap();
    Verifier::new(TrustStore::from_json(&trust).unwrap(), Policy::default())
}

/// The first committed valid `VN1:` vector and the time it is valid at.
fn valid_document() -> (String, i64) {
    let file: Json = serde_json::from_str(
        &std::fs::read_to_string(format!("{DOCUMENTS}/vectors.json")).unwrap(),
    )
    .unwrap();
    let vector = file["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["expected"]["valid"] == true)
        .unwrap();
    let at = vneid_verify::time::parse_rfc3339(vector["at"].as_str().unwrap()).unwrap();
    (vector["qr"].as_str().unwrap().to_owned(), at)
}

/// `{ {{ … {"k": 1} … : 0}: 0 }` — a map whose only key is a map, `depth` maps deep.
fn map_keyed_by_maps(depth: usize) -> Value {
    let mut value = Value::Map(vec![(Value::Text("k".into()), Value::Integer(1))]);
    for _ in 1..depth {
        value = Value::Map(vec![(value, Value::Integer(0))]);
    }
    value
}

/// A `VN1:` QR that nobody signed: an ES256 header, the given claims and 64 zero bytes.
fn unsigned_document(claims: &Value) -> String {
    let protected = cbor::encode(&Value::Map(vec![
        (Value::Integer(1), Value::Integer(-7)),
        (Value::Integer(4), Value::Bytes(b"test-doc-key-1".to_vec())),
    ]));
    let cose = cbor::encode(&Value::Tag(
        18,
        Box::new(Value::Array(vec![
            Value::Bytes(protected),
            Value::Map(vec![]),
            Value::Bytes(cbor::encode(claims)),
            Value::Bytes(vec![0; 64]),
        ])),
    ));
    document::qr_text(&cose)
}

#[test]
fn an_unsigned_qr_whose_claim_key_nests_maps_gets_a_small_verdict() {
    // The claim key was rendered as JSON text, escaped again at every level: at 24 levels a
    // 134 MB verdict, at 31 an allocation failure that took the scanner down.
    let verifier = documents_verifier();
    let (valid, at) = valid_document();
    for depth in 1..=40 {
        let qr = unsigned_document(&Value::Map(vec![(
            map_keyed_by_maps(depth),
            Value::Integer(1),
        )]));
        let verdict = verifier.verify(&qr, at);
        assert!(!verdict.valid, "depth {depth}");
        // Deep enough, the CBOR depth limit refuses it first; before that, the profile does.
        let expected = if depth <= 31 {
            ErrorCode::ClaimInvalid
        } else {
            ErrorCode::CborInvalid
        };
        assert_eq!(verdict.code, Some(expected), "depth {depth}");
        let line = verdict.to_json();
        assert!(
            line.len() < SMALL_VERDICT,
            "depth {depth}: a verdict of {} bytes",
            line.len()
        );
        assert!(
            verifier.verify(&valid, at).valid,
            "the next payload after depth {depth}"
        );
    }
}

#[test]
fn the_profile_detail_quotes_a_long_key_shortened() {
    let verifier = documents_verifier();
    let (_, at) = valid_document();
    let long_key = Value::Text("x".repeat(10_000));
    let qr = unsigned_document(&Value::Map(vec![(long_key, Value::Integer(1))]));
    let verdict = verifier.verify(&qr, at);
    assert_eq!(verdict.code, Some(ErrorCode::ClaimInvalid));
    let message = verdict.message;
    assert!(message.contains("claim \"xxxx"), "{message}");
    assert!(message.contains("x…"), "{message}");
    assert!(message.chars().count() < 200, "{message}");
}
