//! The trust files users already have, loaded as they are: an issuer's published JWKS (no `iss`
//! inside) bound to the issuer the caller names, and signing certificates in PEM or DER (what EU
//! DCC national backends hand out) bound to the country in their subject, or to the named
//! issuer. A key nothing binds to an issuer is still refused. In Rust and through the CLI.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use base64::Engine as _;
use serde_json::Value;
use vneid_verify::{ErrorCode, Policy, TrustStore, Verifier};

use common::trust_files::{dcc, pem, published_jwks, shc_card, SHC_ISSUER, SHC_NOW};

fn loaded(bytes: &[u8], issuer: Option<&str>) -> Result<TrustStore, (ErrorCode, String)> {
    let mut store = TrustStore::new();
    store
        .add_file(bytes, "file", issuer)
        .map_err(|e| (e.code(), e.message_en()))?;
    Ok(store)
}

#[test]
fn a_published_jwks_loads_for_the_issuer_the_caller_names() {
    let store = loaded(published_jwks().as_bytes(), Some(SHC_ISSUER)).unwrap();
    assert!(store.keys().iter().all(|k| k.issuer == SHC_ISSUER));
    let verdict = Verifier::new(store, Policy::default()).verify(&shc_card(), SHC_NOW);
    assert!(verdict.valid, "{}", verdict.message);
    assert_eq!(verdict.issuer.as_deref(), Some(SHC_ISSUER));

    // Named for another issuer, its keys verify nothing of the real one.
    let other = loaded(published_jwks().as_bytes(), Some("https://other.example")).unwrap();
    let verdict = Verifier::new(other, Policy::default()).verify(&shc_card(), SHC_NOW);
    assert_eq!(verdict.code, Some(ErrorCode::UnknownIssuer));
}

#[test]
fn a_key_nothing_binds_to_an_issuer_is_refused() {
    let (code, message) = loaded(published_jwks().as_bytes(), None).unwrap_err();
    assert_eq!(code, ErrorCode::TrustInvalid);
    assert!(message.contains("--issuer"), "{message}");
    let spki = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEVs/o5+uQbTjL3chynL4wXgUg2R9\nq9UU8I5mEovUf86QZ7kOBIjJwqnzD1omageEHWwHdBO6B+dFabmdT9POxg==\n-----END PUBLIC KEY-----\n";
    let (code, message) = loaded(spki.as_bytes(), None).unwrap_err();
    assert_eq!(code, ErrorCode::TrustInvalid);
    assert!(message.contains("names no issuer"), "{message}");
    let store = loaded(spki.as_bytes(), Some("https://a.example")).unwrap();
    assert_eq!(store.keys()[0].issuer, "https://a.example");
    // A bundle entry without `iss` is refused whatever the caller names.
    let bundle = format!(
        r#"{{"issuers":[{{"keys":{}}}]}}"#,
        serde_json::from_str::<Value>(&published_jwks()).unwrap()["keys"]
    );
    assert_eq!(
        loaded(bundle.as_bytes(), Some(SHC_ISSUER)).unwrap_err().0,
        ErrorCode::TrustInvalid
    );
}

#[test]
fn a_jwks_that_names_its_issuer_keeps_it() {
    let mut jwks: Value = serde_json::from_str(&published_jwks()).unwrap();
    jwks["iss"] = Value::from(SHC_ISSUER);
    let store = loaded(jwks.to_string().as_bytes(), Some("https://other.example")).unwrap();
    assert!(store.keys().iter().all(|k| k.issuer == SHC_ISSUER));
}

#[test]
fn a_signing_certificate_loads_from_pem_or_der_bound_to_its_country() {
    let (qr, der, at) = dcc();
    for (what, bytes) in [
        ("PEM", pem(&der).into_bytes()),
        ("DER", der.clone()),
        (
            "base64 DER",
            base64::engine::general_purpose::STANDARD
                .encode(&der)
                .into_bytes(),
        ),
    ] {
        let store = loaded(&bytes, None).unwrap();
        assert_eq!(store.keys().len(), 1, "{what}");
        assert_eq!(store.keys()[0].issuer, "AT", "{what}");
        let verdict = Verifier::new(store, Policy::default()).verify(&qr, at);
        assert!(verdict.valid, "{what}: {}", verdict.message);
    }
    // Bound to the issuer the caller names instead.
    let store = loaded(pem(&der).as_bytes(), Some("Austria")).unwrap();
    assert_eq!(store.keys()[0].issuer, "Austria");
    // Several certificates in one PEM file.
    let other = common::read_vector("eu-dcc/HR/2DCode/raw/1.json");
    let other: Value = serde_json::from_str(&other).unwrap();
    let other = base64::engine::general_purpose::STANDARD
        .decode(other["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let both = format!("{}{}", pem(&der), pem(&other));
    let store = loaded(both.as_bytes(), None).unwrap();
    let issuers: Vec<&str> = store.keys().iter().map(|k| k.issuer.as_str()).collect();
    assert_eq!(issuers, ["AT", "HR"]);
}

#[test]
fn what_is_not_a_trust_file_says_so() {
    for bytes in [
        &b"hello"[..],
        b"\x30\x03\x02\x01",
        b"-----BEGIN CERTIFICATE-----\nAA==\n",
    ] {
        assert_eq!(loaded(bytes, None).unwrap_err().0, ErrorCode::TrustInvalid);
    }
    let (_, message) = loaded(b"hello, world", Some("x")).unwrap_err();
    assert!(message.contains("not a trust bundle"), "{message}");
}
