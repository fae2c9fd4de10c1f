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
use vneid_verify::encoding::cbor::{self, Value};
use vneid_verify::formats::vneid_document::issue;
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
    issue::qr_text(&cose)
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
                    vneid_verify::encoding::base64url::encode(nested_json(levels).as_bytes()),
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

#[cfg(feature = "cli")]
mod cli {
    use super::*;

    /// The verdict lines of `vneid-verify verify` over `input`, and its exit status.
    fn verify_lines(trust: &str, input: &str) -> Vec<String> {
        let out = common::cli::run(
            &["verify", "--trust", trust, "--at", "1700000000"],
            input.as_bytes(),
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        stdout
            .split('\n')
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn verdict_lines_never_carry_unicode_line_separators() {
        // An unsigned ID-card QR's fields come back in the verdict; U+2028, U+2029 and U+0085
        // are legal raw in JSON strings, and line-based readers split verdicts at them.
        // So do a signed token's claims.
        let dir = common::cli::TestDir::new("line-separators");
        dir.keygen("k", "test-key");
        let token = dir.token(
            "k",
            r#"{"iss":"https://id.vneid.test","sub":"079305004321","acr":"urn:vneid:level:2","name":"Nguyễn\u0085Văn\u2029An"}"#,
            &["--at", "1700000000"],
        );
        let card =
            "001099001234|012345678|Nguyễn\u{2028}Văn\u{2029}An|15031999|Nam|Hà Nội|10052021";
        let lines = verify_lines(
            &dir.file("k.trust"),
            &format!("{card}\n{token}\r\n{card}\r\n"),
        );
        assert_eq!(lines.len(), 3, "{lines:?}");
        for (line, code) in
            lines
                .iter()
                .zip([Json::from("unsigned"), Json::Null, Json::from("unsigned")])
        {
            assert!(
                !line.contains(['\u{2028}', '\u{2029}', '\u{85}', '\r']),
                "{line}"
            );
            let verdict: Json = serde_json::from_str(line).unwrap();
            assert_eq!(verdict["code"], code, "{line}");
            assert!(line.contains(r"\u2029"), "{line}");
        }
        assert!(lines[1].contains(r"Nguyễn\u0085Văn"), "{}", lines[1]);
    }

    #[test]
    fn json_that_is_not_strict_is_json_invalid_in_the_cli_too() {
        let trust = format!("{DOCUMENTS}/test-issuer.trust.json");
        let lines = verify_lines(&trust, "{\"data\":{},\"sig\":{},\"data\":1}\n{\"data\":\n");
        let codes: Vec<Json> = lines
            .iter()
            .map(|l| serde_json::from_str::<Json>(l).unwrap()["code"].clone())
            .collect();
        assert_eq!(
            codes,
            vec![Json::from("json_invalid"), Json::from("json_invalid")]
        );
    }

    #[test]
    fn the_cli_and_the_library_apply_one_size_rule() {
        let trust = format!("{DOCUMENTS}/test-issuer.trust.json");
        let limit = Policy::default().limits.max_payload_len;
        let verifier = documents_verifier();
        for payload in [
            format!("  {}\t", "x".repeat(limit)),
            format!(" {} ", "x".repeat(limit + 1)),
        ] {
            let library = verifier.verify(&payload, 1_700_000_000);
            let lines = verify_lines(&trust, &format!("{payload}\r\n"));
            assert_eq!(lines.len(), 1);
            let cli: Json = serde_json::from_str(&lines[0]).unwrap();
            assert_eq!(cli["code"], library.code.unwrap().as_str());
            assert_eq!(cli["message"], library.message.as_str());
        }
    }
}
