//! Hostile input gets a small verdict, and the next payload verifies as before. Each case is
//! built from a description of an attack, not from an attacker's bytes.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

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
    unsigned_document_of(cbor::encode(claims))
}

/// [`unsigned_document`] of claims already encoded.
fn unsigned_document_of(claims: Vec<u8>) -> String {
    let protected = cbor::encode(&Value::Map(vec![
        (Value::Integer(1), Value::Integer(-7)),
        (Value::Integer(4), Value::Bytes(b"test-doc-key-1".to_vec())),
    ]));
    let cose = cbor::encode(&Value::Tag(
        18,
        Box::new(Value::Array(vec![
            Value::Bytes(protected),
            Value::Map(vec![]),
            Value::Bytes(claims),
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

#[test]
fn two_nan_claim_keys_are_a_duplicate_not_two_claims() {
    // NaN is not equal to itself, so the duplicate-key check let a map hold two NaN keys: one
    // value was silently lost when the claims were rendered. Any two NaNs are the same key.
    let verifier = documents_verifier();
    let (_, at) = valid_document();
    let nan = |bits: u64| Value::Float(f64::from_bits(bits));
    for (first, second) in [
        (nan(0x7ff8_0000_0000_0000), nan(0x7ff8_0000_0000_0000)),
        (nan(0x7ff8_0000_0000_0000), nan(0xfff0_0000_0000_0001)),
    ] {
        let claims = Value::Map(vec![
            (first, Value::Integer(1)),
            (second, Value::Integer(2)),
        ]);
        let verdict = verifier.verify(&unsigned_document(&claims), at);
        assert_eq!(
            verdict.code,
            Some(ErrorCode::CborInvalid),
            "{}",
            verdict.message
        );
        assert!(
            verdict.message.contains("duplicate map key"),
            "{}",
            verdict.message
        );
    }
}

/// The CBOR of `{"a": [[[ … 0 … ]]]}`, the arrays `levels` deep (written directly: encoding or
/// dropping a value that deep would itself recurse).
fn nested_arrays(levels: usize) -> Vec<u8> {
    let mut bytes = vec![0xa1, 0x61, b'a'];
    bytes.extend(std::iter::repeat_n(0x81, levels));
    bytes.push(0);
    bytes
}

/// `{"a":[[[ … 0 … ]]]}`, the arrays `levels` deep.
fn nested_json(levels: usize) -> String {
    format!("{{\"a\":{}0{}}}", "[".repeat(levels), "]".repeat(levels))
}

#[test]
fn a_raised_depth_limit_cannot_overflow_the_stack() {
    // `Limits::max_depth` was taken as given, and the readers recurse per level: with the limit
    // raised, a payload of a few hundred bytes overflowed the stack (WebAssembly has 1 MiB). Run
    // on a thread with that much stack, in a build whose frames are larger than release ones.
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let (valid, at) = valid_document();
            let policy = Policy {
                limits: vneid_verify::Limits {
                    max_depth: usize::MAX,
                    max_items: usize::MAX,
                    max_decompressed_len: 1 << 20,
                    max_payload_len: 1 << 20,
                    ..vneid_verify::Limits::default()
                },
                ..Policy::default()
            };
            let trust =
                std::fs::read_to_string(format!("{DOCUMENTS}/test-issuer.trust.json")).unwrap();
            let verifier = Verifier::new(TrustStore::from_json(&trust).unwrap(), policy);
            let ceiling = vneid_verify::Limits::MAX_DEPTH;
            for levels in [ceiling - 4, ceiling + 1, 10_000] {
                let document = unsigned_document_of(nested_arrays(levels));
                let cose_qr = document.replacen("VN1:", "HC1:", 1);
                let token = format!(
                    "eyJhbGciOiJFUzI1NiJ9.{}.{}",
                    vneid_verify::issuer::encode::base64url(nested_json(levels).as_bytes()),
                    "A".repeat(86)
                );
                let seal = format!(
                    "{{\"data\":{},\"sig\":{{\"alg\":\"ES256\",\"sigvl\":\"\",\"cer\":\"\"}}}}",
                    nested_json(levels)
                );
                let file = format!("{{\"verifiableCredential\":{}}}", nested_json(levels));
                for payload in [document, cose_qr, token, seal, file] {
                    let verdict = verifier.verify(&payload, at);
                    assert!(!verdict.valid, "{levels} levels");
                    let code = verdict.code.unwrap();
                    if levels > ceiling {
                        assert!(
                            matches!(code, ErrorCode::CborInvalid | ErrorCode::JsonInvalid),
                            "{levels} levels: {code:?} {}",
                            verdict.message
                        );
                    }
                    assert!(verdict.to_json().len() < SMALL_VERDICT);
                }
                assert!(verifier.verify(&valid, at).valid);
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn surrounding_whitespace_is_trimmed_before_the_size_check() {
    // The CLI trimmed a scanner's CR/LF before its size check and the library after, so the
    // same payload could be too large in one and not in the other. One rule: trim, then check.
    let verifier = Verifier::new(TrustStore::new(), Policy::default());
    let limit = Policy::default().limits.max_payload_len;
    let fits = format!("\r\n  {}\r\n", "x".repeat(limit));
    assert_eq!(
        verifier.verify(&fits, 0).code,
        Some(ErrorCode::UnknownFormat)
    );
    let over = format!("{}\n", "x".repeat(limit + 1));
    let verdict = verifier.verify(&over, 0);
    assert_eq!(verdict.code, Some(ErrorCode::PayloadTooLarge));
    assert!(verdict
        .message
        .contains(&format!("{} bytes; limit {limit}", limit + 1)));
    assert_eq!(
        verifier.verify(" \u{2028}\t\r\n", 0).code,
        Some(ErrorCode::EmptyPayload)
    );
}
