//! Native timing of the full verification pipeline per format against the bare signature check.
//!
//! ```sh
//! cargo run --release --example bench_formats --features rsa
//! ```
//!
//! Reads the committed VN1 vectors and, from `../shared/vectors/eu-dcc`, one ES256 and one PS256
//! EU DCC. Prints microseconds per operation; nothing here asserts a time (speed is measured in
//! benchmarks, never in tests).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::print_stdout,
    missing_docs
)] // a measurement tool: a panic is a broken setup

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::Value;
use vneid_verify::dangerous;
use vneid_verify::{Limits, Policy, PublicKey, TrustStore, Verifier};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `f` repeatedly for about `budget` and returns microseconds per call.
fn time(budget: Duration, mut f: impl FnMut()) -> f64 {
    for _ in 0..20 {
        f();
    }
    let start = Instant::now();
    let mut n = 0u32;
    while start.elapsed() < budget {
        for _ in 0..10 {
            f();
        }
        n += 10;
    }
    start.elapsed().as_secs_f64() * 1e6 / f64::from(n)
}

fn dcc(relative: &str) -> (String, TrustStore, i64) {
    let path = root().join("../shared/vectors/eu-dcc").join(relative);
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cert = base64::engine::general_purpose::STANDARD
        .decode(file["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
        .unwrap();
    let mut trust = TrustStore::new();
    trust.add_certificate(&cert, None, relative).unwrap();
    let clock = file["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap();
    let now = vneid_verify::time::parse_rfc3339(clock).unwrap();
    (file["PREFIX"].as_str().unwrap().to_owned(), trust, now)
}

fn report(name: &str, text: &str, trust: &TrustStore, now: i64, budget: Duration) {
    let verifier = Verifier::new(trust.clone(), Policy::default());
    let verdict = verifier.verify(text, now);
    assert!(verdict.valid, "{name}: {}", verdict.message);
    let body = &text[4..];
    let full = time(budget, || {
        black_box(verifier.verify(black_box(text), now));
    });
    let limits = Limits::default();
    let decode = time(budget, || {
        let c = dangerous::decode_qr_body(black_box(body), &limits).unwrap();
        black_box(dangerous::decode_cbor(&c, &limits).unwrap());
    });
    let cose_bytes = dangerous::decode_qr_body(body, &limits).unwrap();
    let sign1 =
        dangerous::decode_cose_sign1_unverified(&cose_bytes, &limits, dangerous::CoseRules::EU_DCC)
            .unwrap();
    let key = trust.keys()[0].clone();
    let signed = sign1.signed_bytes();
    let bare = match &key.key {
        PublicKey::P256(k) => {
            let sig: [u8; 64] = sign1.signature.as_slice().try_into().unwrap();
            time(budget, || {
                assert!(k.verify(black_box(&signed), &sig));
            })
        }
        #[cfg(feature = "rsa")]
        PublicKey::Rsa(k) => time(budget, || {
            assert!(k.verify_pss_sha256(black_box(&signed), &sign1.signature));
        }),
        other => panic!("{name}: {}", other.description()),
    };
    println!(
        "{name:<34} {:>5} chars  full {full:>8.1} µs   decode (base45+zlib+CBOR) {decode:>6.1} µs   bare signature {bare:>8.1} µs",
        text.len()
    );
}

fn main() {
    let budget = Duration::from_millis(700);
    let trust = TrustStore::from_json(
        &std::fs::read_to_string(
            root().join("tests/vectors/vneid-document/test-issuer.trust.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let vectors: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/vectors/vneid-document/vectors.json")).unwrap(),
    )
    .unwrap();
    let at = vneid_verify::time::parse_rfc3339("2026-06-01T00:00:00Z").unwrap();
    for name in [
        "cccd-valid",
        "driving-licence-valid",
        "criminal-record-valid",
    ] {
        let v = vectors["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap();
        report(
            &format!("VN1 {name}"),
            v["qr"].as_str().unwrap(),
            &trust,
            at,
            budget,
        );
    }
    let (text, trust, now) = dcc("AT/2DCode/raw/1.json");
    report("EU DCC AT/1 (ES256)", &text, &trust, now, budget);
    #[cfg(feature = "rsa")]
    {
        let (text, trust, now) = dcc("common/2DCode/raw/CO1.json");
        report(
            "EU DCC common/CO1 (PS256, RSA-2048)",
            &text,
            &trust,
            now,
            budget,
        );
    }
}
