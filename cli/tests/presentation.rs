//! The reference wallet from the command line (`issue sd-jwt`, `present`) and holder binding in
//! `verify` (`--nonce`, `--holder-binding`, `--max-proof-age`, `--audience`, replay within one
//! process), and the QR sizes docs/profiles/vneid-presentation.md publishes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

mod common;

use common::cli::{run, TestDir, ISS};
use serde_json::Value;

const BANK: &str = "https://bank.example.vn";
/// 2026-12-01T00:00:00Z: every command runs at a fixed time.
const AT: &str = "1796083200";
/// A two-way challenge: 128 random bits as base64url, the length the profile recommends.
const NONCE: &str = "q8Hc1L3lQ2m5vWm0VbW1pA";

/// The profile's typical level-2 credential: four selectively disclosable claims.
const CLAIMS: &str = r#"{"acr":"urn:vneid:level:2","sub":"001099001234","name":"Nguyễn Thị Minh Khai","birthdate":"1999-03-15","gender":"female"}"#;

struct Setup {
    dir: TestDir,
    credential: String,
}

fn setup(name: &str) -> Setup {
    let dir = TestDir::new(&format!("presentation-{name}"));
    dir.keygen("issuer", "vn-2026a");
    let holder = dir.file("holder.key");
    let out = run(&["keygen", "--kid", "holder", "--out", &holder], b"");
    assert!(out.status.success());
    let out = run(
        &[
            "issue",
            "sd-jwt",
            "--key",
            &dir.file("issuer.key"),
            "--claims",
            CLAIMS,
            "--holder-key",
            &holder,
            "--issuer",
            ISS,
            "--decoys",
            "0",
            "--at",
            AT,
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let credential = dir.file("credential.txt");
    std::fs::write(&credential, &out.stdout).unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("eyJ") && lines[0].ends_with('~'));
    assert!(lines[1].starts_with("VNC1:"));
    Setup { dir, credential }
}

impl Setup {
    /// `present` with `extra` options; returns (stdout, stderr).
    fn present(&self, disclose: &str, extra: &[&str]) -> (String, String) {
        let mut args = vec![
            "present",
            "--credential",
            &self.credential,
            "--disclose",
            disclose,
            "--at",
            AT,
        ];
        let holder = self.dir.file("holder.key");
        if !extra.contains(&"--no-holder") {
            args.extend_from_slice(&["--holder-key", &holder, "--audience", BANK]);
        }
        args.extend(extra.iter().filter(|a| **a != "--no-holder"));
        let out = run(&args, b"");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap().trim().to_owned(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// `verify` of payloads, one per argument, in ONE process; the verdicts.
    fn verify(&self, payloads: &[&str], policy: &[&str]) -> Vec<Value> {
        let trust = self.dir.file("issuer.trust");
        let mut args = vec!["verify", "--trust", &trust, "--at", AT];
        args.extend_from_slice(policy);
        args.push("--");
        args.extend_from_slice(payloads);
        let out = run(&args, b"");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

const TWO_WAY: [&str; 6] = [
    "--audience",
    BANK,
    "--nonce",
    NONCE,
    "--holder-binding",
    "required",
];

#[test]
fn a_two_way_presentation_verifies_in_both_forms_to_the_same_claims() {
    let s = setup("two-way");
    let (long, _) = s.present("name,birthdate,sub", &["--nonce", NONCE]);
    let (short, _) = s.present(
        "name,birthdate,sub",
        &["--nonce", NONCE, "--form", "compact"],
    );
    assert!(short.starts_with("VNP1:"));
    let v = s.verify(&[&long, &short], &TWO_WAY);
    assert_eq!(v.len(), 2);
    for (verdict, format) in v.iter().zip(["sd_jwt_vc", "vneid_presentation"]) {
        assert_eq!(verdict["valid"], true, "{verdict}");
        assert_eq!(verdict["format"], format);
        assert_eq!(verdict["holderBinding"], "key");
        assert_eq!(verdict["level"], 2);
        assert_eq!(verdict["subject"], "001099001234");
        assert_eq!(verdict["claims"]["name"], "Nguyễn Thị Minh Khai");
        assert!(verdict["claims"].get("gender").is_none());
    }
    assert_eq!(v[0]["claims"], v[1]["claims"]);
}

#[test]
fn holder_binding_options_refuse_with_their_codes() {
    let s = setup("rules");
    let (p, _) = s.present("name", &["--nonce", NONCE]);
    // The same proof twice in one process is a replay.
    let v = s.verify(&[&p, &p], &TWO_WAY);
    assert_eq!(v[0]["valid"], true, "{}", v[0]);
    assert_eq!(v[1]["code"], "replayed");
    // Another challenge, another audience, an old proof.
    let code = |policy: &[&str]| s.verify(&[&p], policy)[0]["code"].clone();
    assert_eq!(
        code(&["--audience", BANK, "--nonce", "other"]),
        "nonce_mismatch"
    );
    assert_eq!(
        code(&["--audience", "https://shop.example", "--nonce", NONCE]),
        "audience_mismatch"
    );
    let later = (AT.parse::<i64>().unwrap() + 120).to_string();
    let trust = s.dir.file("issuer.trust");
    let out = run(
        &[
            "verify",
            "--trust",
            &trust,
            "--at",
            &later,
            "--max-proof-age",
            "30",
            "--clock-tolerance",
            "0",
            &p,
        ],
        b"",
    );
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict["code"], "too_old");
    assert_eq!(out.status.code(), Some(1));
    // A bearer presentation: none, or refused when binding is required.
    let (bearer, _) = s.present("name", &["--no-holder"]);
    let v = s.verify(&[&bearer], &[]);
    assert_eq!(v[0]["holderBinding"], "none");
    let v = s.verify(&[&bearer], &["--holder-binding", "required"]);
    assert_eq!(v[0]["code"], "holder_binding_missing");
    // Bad option values are usage errors.
    let out = run(
        &["verify", "--trust", &trust, "--holder-binding", "maybe", &p],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_one_way_presentation_carries_the_wallets_own_nonce() {
    let s = setup("one-way");
    let kiosk = "urn:vneid:verifier:airport-gate";
    let holder = s.dir.file("holder.key");
    let present = || {
        let out = run(
            &[
                "present",
                "--credential",
                &s.credential,
                "--disclose",
                "name,birthdate",
                "--holder-key",
                &holder,
                "--audience",
                kiosk,
                "--form",
                "compact",
                "--at",
                AT,
            ],
            b"",
        );
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    };
    let (a, b) = (present(), present());
    assert_ne!(a, b, "each one-way QR has a fresh nonce");
    let policy = [
        "--audience",
        kiosk,
        "--holder-binding",
        "required",
        "--max-proof-age",
        "60",
    ];
    let v = s.verify(&[&a, &b, &a], &policy);
    assert_eq!(
        v.iter().map(|v| v["code"].clone()).collect::<Vec<_>>(),
        vec![Value::Null, Value::Null, Value::from("replayed")]
    );
    // The scanner shares one replay cache across its payloads too (its repeat window, which
    // would hide the second read of the same QR, off).
    let trust = s.dir.file("issuer.trust");
    let mut args = vec![
        "scan",
        "--trust",
        &trust,
        "--at",
        AT,
        "--repeat-window",
        "0",
    ];
    args.extend_from_slice(&policy);
    let out = run(&args, format!("{a}\n{b}\n{a}\n").as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let codes: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["code"].clone())
        .collect();
    assert_eq!(
        codes,
        vec![Value::Null, Value::Null, Value::from("replayed")]
    );
}

/// The sizes the profile publishes (docs/profiles/vneid-presentation.md, "Sizes"): the typical
/// level-2 presentation (name, birth date, ID number; the level is plain) in both forms. Salts,
/// keys and signatures have fixed lengths, so these numbers are exact.
#[test]
fn the_typical_presentation_fits_qr_version_20_m_in_the_compact_form() {
    let s = setup("sizes");
    let svg = s.dir.file("p.svg");
    let png = s.dir.file("p.png");
    let (long, long_qr) = s.present("name,birthdate,sub", &["--nonce", NONCE, "--svg", &svg]);
    let (short, short_qr) = s.present(
        "name,birthdate,sub",
        &[
            "--nonce", NONCE, "--form", "compact", "--svg", &svg, "--png", &png,
        ],
    );
    assert_eq!(long.len(), 1315, "{long_qr}");
    assert!(long_qr.contains("version 30-M"), "{long_qr}");
    assert_eq!(short.len(), 938, "{short_qr}");
    assert!(short_qr.contains("version 20-M"), "{short_qr}");
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/profiles/vneid-presentation.md"
    ))
    .unwrap();
    for published in ["| 1,315 |", "| 938 |", "30-M", "20-M"] {
        assert!(
            doc.contains(published),
            "the profile must publish {published}"
        );
    }
    // The QR images are written: an SVG, and a PNG of the version-20 code (97 modules and a
    // 4-module quiet zone each side, 8 pixels a module).
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let png = std::fs::read(&png).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let side = (97 + 2 * 4) * 8;
    assert_eq!(png[16..20], u32::to_be_bytes(side));
    assert_eq!(png[20..24], u32::to_be_bytes(side));
}
