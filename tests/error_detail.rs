//! Errors are data: besides its stable code and its message, a rejection says what it is about
//! as data (`detail`: the claim, the path into the payload or file, the limit), in Rust, in the
//! verdict JSON the CLI prints and in JavaScript.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

mod common;

use serde_json::{json, Value};
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{ErrorCode, Policy, TrustStore, Verifier};

const NOW: i64 = 1_795_000_000;

fn token_verifier() -> (IssuerKey, Verifier) {
    let key = IssuerKey::from_secret_bytes("k1", &[7; 32]).unwrap();
    let mut trust = TrustStore::new();
    trust
        .add_jwk("https://id.test", &key.public_jwk(), "test")
        .unwrap();
    (key, Verifier::new(trust, Policy::default()))
}

#[test]
fn a_missing_or_invalid_claim_is_named() {
    let (key, verifier) = token_verifier();
    let sign = |claims: Value| key.sign_token(claims.as_object().unwrap());
    let v = verifier.verify(&sign(json!({"iss": "https://id.test", "iat": NOW})), NOW);
    assert_eq!(v.code, Some(ErrorCode::ClaimMissing));
    assert_eq!(
        v.detail.as_ref().and_then(|d| d.claim.as_deref()),
        Some("exp")
    );
    let v = verifier.verify(&sign(json!({"iss": "https://id.test", "exp": "soon"})), NOW);
    assert_eq!(v.code, Some(ErrorCode::ClaimInvalid));
    assert_eq!(
        v.detail.as_ref().and_then(|d| d.claim.as_deref()),
        Some("exp")
    );
    // In the JSON the CLI prints, `detail` holds only what applies.
    let printed: Value = serde_json::from_str(&v.to_json()).unwrap();
    assert_eq!(printed["detail"], json!({"claim": "exp"}));
    // A valid verdict has none.
    let v = verifier.verify(
        &sign(json!({"iss": "https://id.test", "exp": NOW + 60})),
        NOW,
    );
    assert!(v.valid && v.detail.is_none());
    assert_eq!(
        serde_json::from_str::<Value>(&v.to_json()).unwrap()["detail"],
        Value::Null
    );
}

#[test]
fn a_limit_says_which() {
    let (_, verifier) = token_verifier();
    let v = verifier.verify(&"x".repeat(20_000), NOW);
    assert_eq!(v.code, Some(ErrorCode::PayloadTooLarge));
    assert_eq!(v.detail.and_then(|d| d.limit), Some(16 * 1024));
}

#[test]
fn a_credential_of_a_file_is_named_by_its_place() {
    let trust = common::trust_files::shc_trust();
    let good = common::trust_files::shc_card();
    let good = good.as_str();
    let (rest, signature) = good.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let bad = format!("{rest}.{flipped}{}", &signature[1..]);
    let file = json!({"verifiableCredential": [good, bad]}).to_string();
    let v = Verifier::new(trust, Policy::default()).verify(&file, 1_700_000_000);
    assert_eq!(v.code, Some(ErrorCode::SignatureInvalid));
    assert_eq!(
        v.detail.and_then(|d| d.path),
        Some("verifiableCredential[1]".into())
    );
}

#[test]
fn a_document_field_and_a_trust_entry_have_a_path() {
    let error = TrustStore::from_json(
        r#"{"issuers":[{"iss":"https://a","keys":[{"kty":"oct","k":"AAAA"}]}]}"#,
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::TrustInvalid);
    assert_eq!(
        error.data().and_then(|d| d.path.as_deref()),
        Some("trust: issuers[0].keys[0]")
    );
    // A document's fields: the schema error names the field.
    let mut fields = serde_json::Map::new();
    fields.insert("personalId".into(), json!("001099001234"));
    let error = vneid_verify::issuer::document::validate_fields(
        vneid_verify::DocumentType::Cccd,
        &Value::Object(fields),
    )
    .unwrap_err();
    assert_eq!(error.code(), ErrorCode::SchemaInvalid);
    assert!(
        error
            .data()
            .and_then(|d| d.path.as_deref())
            .is_some_and(|p| p.starts_with("fields")),
        "{error}"
    );
}
