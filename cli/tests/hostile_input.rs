//! Hostile input through the command line: one bounded, well-formed verdict line per payload,
//! and the same size and JSON rules as the library.
#![cfg(feature = "issuer")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use serde_json::Value as Json;
use vneid_verify::{Policy, TrustStore, Verifier};

const DOCUMENTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/vneid-document"
);

fn documents_verifier() -> Verifier {
    let trust = std::fs::read_to_string(format!("{DOCUMENTS}/test-issuer.trust.json")).unwrap();
    Verifier::new(TrustStore::from_json(&trust).unwrap(), Policy::default())
}

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
    let card = "001099001234|012345678|Nguyễn\u{2028}Văn\u{2029}An|15031999|Nam|Hà Nội|10052021";
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
