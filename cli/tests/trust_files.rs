//! The trust files users already have, through the CLI: an issuer's published JWKS bound by
//! `--issuer`, and signing certificates in PEM or DER bound to their country.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use common::cli::{run, TestDir};
use serde_json::Value;

use common::trust_files::{dcc, pem, published_jwks, shc_card, SHC_ISSUER, SHC_NOW};

fn verdicts(args: &[&str], payload: &str) -> (Option<i32>, Vec<Value>, String) {
    let out = run(args, format!("{payload}\n").as_bytes());
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code(),
        lines,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn verify_trust_jwks_issuer() {
    let dir = TestDir::new("trust-jwks");
    let jwks = dir.file("jwks.json");
    std::fs::write(&jwks, published_jwks()).unwrap();
    let at = SHC_NOW.to_string();
    let (code, lines, _) = verdicts(
        &[
            "verify", "--trust", &jwks, "--issuer", SHC_ISSUER, "--at", &at,
        ],
        &shc_card(),
    );
    assert_eq!(code, Some(0));
    assert_eq!(lines[0]["valid"], true);
    // `scan` loads it the same way.
    let (code, lines, _) = verdicts(
        &[
            "scan", "--trust", &jwks, "--issuer", SHC_ISSUER, "--at", &at,
        ],
        &shc_card(),
    );
    assert_eq!((code, &lines[0]["valid"]), (Some(0), &Value::from(true)));
    // Without --issuer the key set binds to nothing: a trust-file error, exit 2.
    let (code, lines, stderr) = verdicts(&["verify", "--trust", &jwks, "--at", &at], &shc_card());
    assert_eq!(code, Some(2));
    assert!(lines.is_empty());
    assert!(
        stderr.contains("trust_invalid") && stderr.contains("--issuer"),
        "{stderr}"
    );
}

#[test]
fn verify_trust_dsc_pem_and_der() {
    let dir = TestDir::new("trust-dsc");
    let (qr, der, at) = dcc();
    let at = at.to_string();
    std::fs::write(dir.file("dsc.pem"), pem(&der)).unwrap();
    std::fs::write(dir.file("dsc.der"), &der).unwrap();
    for file in ["dsc.pem", "dsc.der"] {
        let trust = dir.file(file);
        let (code, lines, stderr) = verdicts(&["verify", "--trust", &trust, "--at", &at], &qr);
        assert_eq!(code, Some(0), "{file}: {stderr}");
        assert_eq!(lines[0]["valid"], true, "{file}");
        // Bound to its country, so --issuer AT is satisfied.
        let (_, lines, _) = verdicts(
            &["verify", "--trust", &trust, "--issuer", "AT", "--at", &at],
            &qr,
        );
        assert_eq!(lines[0]["valid"], true, "{file}");
    }
}
