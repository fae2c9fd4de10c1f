//! X.509 certificates from real issuers: the EU DCC signing certificates, the Australian
//! passport office's VDS-NC signer and its country signing CA.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use base64::Engine as _;
use vneid_verify::{Certificate, ErrorCode, KeyLookup, PublicKey, SignatureAlgorithm, TrustStore};

fn b64(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("base64")
}

fn b64url(text: &str) -> Vec<u8> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .expect("base64url")
}

fn au_seal() -> serde_json::Value {
    let examples = common::json_vector("vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json");
    examples[1].clone()
}

#[test]
fn every_eu_dcc_signing_certificate_parses() {
    let root = common::vector_path("eu-dcc");
    let mut parsed = 0;
    let mut p256 = 0;
    for country in std::fs::read_dir(&root).expect("eu-dcc folder") {
        let dir = country.expect("entry").path();
        let Some(raw) = ["2DCode/raw", "2DCode/Raw"]
            .iter()
            .map(|r| dir.join(r))
            .find(|p| p.is_dir())
        else {
            continue;
        };
        for file in std::fs::read_dir(raw).expect("raw folder") {
            let path = file.expect("entry").path();
            let test: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            let Some(cert) = test["TESTCTX"]["CERTIFICATE"].as_str() else {
                continue;
            };
            let cert = Certificate::from_der(&b64(cert))
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(cert.not_before < cert.not_after, "{}", path.display());
            if matches!(cert.public_key, PublicKey::P256(_)) {
                p256 += 1;
            }
            parsed += 1;
        }
    }
    // 419 files, of which a few have no certificate; nearly all keys are P-256.
    assert!(parsed >= 400, "parsed {parsed}");
    assert!(p256 >= 390, "P-256 keys: {p256}");
}

#[test]
fn australian_seal_signer_chains_to_the_country_signing_ca() {
    let seal = au_seal();
    let signer =
        Certificate::from_der(&b64url(seal["sig"]["cer"].as_str().expect("cer"))).expect("signer");
    let csca = Certificate::all_from_pem(&common::read_vector("vds-nc/au-root/csca_au_rs4096.cer"))
        .expect("csca parses")
        .remove(0);

    assert!(matches!(signer.public_key, PublicKey::P256(_)));
    assert_eq!(
        signer.signature_algorithm,
        SignatureAlgorithm::RsaPkcs1Sha256
    );
    assert_eq!(signer.subject.country.as_deref(), Some("AU"));
    assert!(csca.is_ca);
    assert_eq!(signer.issuer.raw, csca.subject.raw);

    let chained = signer.verify_issued_by(&csca).map_err(|e| e.code());
    if cfg!(feature = "rsa") {
        assert_eq!(chained, Ok(()));
        // One flipped bit in the signed part breaks the chain.
        let mut forged = signer.clone();
        let last = forged.tbs.len() - 1;
        forged.tbs[last] ^= 1;
        assert_eq!(
            forged.verify_issued_by(&csca).map_err(|e| e.code()),
            Err(ErrorCode::ChainInvalid)
        );
    } else {
        assert_eq!(chained, Err(ErrorCode::UnsupportedKey));
    }
    // The signer did not issue the CA.
    assert_eq!(
        csca.verify_issued_by(&signer).map_err(|e| e.code()),
        Err(ErrorCode::ChainInvalid)
    );
}

#[test]
fn certificates_load_into_the_trust_store_with_dcc_key_ids() {
    let seal = au_seal();
    let der = b64url(seal["sig"]["cer"].as_str().expect("cer"));
    let cert = Certificate::from_der(&der).expect("signer");
    let mut store = TrustStore::new();
    store
        .add_certificate(&der, None, "au-signer")
        .expect("loads");
    let key = store
        .key(KeyLookup::KeyId(&cert.dcc_kid()))
        .expect("selected by kid");
    assert_eq!(key.issuer, "AU");
    assert_eq!(key.not_before, Some(cert.not_before));
    assert_eq!(
        key.check_validity(cert.not_after).map_err(|e| e.code()),
        Ok(())
    );
    assert_eq!(
        key.check_validity(cert.not_after + 1).map_err(|e| e.code()),
        Err(ErrorCode::KeyExpired)
    );

    // The same through a trust bundle, as PEM; and the CA as an anchor.
    let pem = format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        base64::engine::general_purpose::STANDARD.encode(&der)
    );
    let csca = common::read_vector("vds-nc/au-root/csca_au_rs4096.cer");
    let bundle =
        serde_json::json!({"issuers": [{"iss": "AUS", "certificates": [pem]}], "anchors": [csca]});
    let store = TrustStore::from_json(&bundle.to_string()).expect("bundle loads");
    assert_eq!(
        store
            .key(KeyLookup::KeyId(&cert.dcc_kid()))
            .map(|k| k.issuer.as_str())
            .ok(),
        Some("AUS")
    );
    assert_eq!(store.anchors().len(), 1);

    // A truncated certificate is a trust error naming the entry.
    let bad = serde_json::json!({"issuers": [{"iss": "X", "certificates": [base64::engine::general_purpose::STANDARD.encode(&der[..200])]}]});
    let err = TrustStore::from_json(&bad.to_string()).expect_err("refused");
    assert_eq!(err.code(), ErrorCode::TrustInvalid);
    assert!(
        err.detail()
            .unwrap_or_default()
            .contains("issuers[0].certificates[0]"),
        "{err}"
    );
}

#[test]
fn truncations_and_bit_flips_never_panic() {
    let der = b64url(au_seal()["sig"]["cer"].as_str().expect("cer"));
    for len in 0..der.len() {
        assert!(
            Certificate::from_der(&der[..len]).is_err(),
            "truncated to {len} must fail"
        );
    }
    for i in 0..der.len() {
        let mut flipped = der.clone();
        flipped[i] ^= 0x80;
        let _ = Certificate::from_der(&flipped);
    }
}
