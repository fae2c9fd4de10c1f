//! The command-line contract that scanners and integrators script against.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(feature = "issuer")]

mod common;

use std::process::Output;

use serde_json::Value;

use common::cli::TestDir;

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    common::cli::run(args, stdin.unwrap_or("").as_bytes())
}

fn verdicts(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect()
}

/// A temporary folder with a test key `key.key` (kid `test-k1`) and its trust file `key.trust`.
fn issuer(name: &str) -> TestDir {
    let dir = TestDir::new(&format!("cli-{name}"));
    dir.keygen("key", "test-k1");
    dir
}

const CLAIMS: &str = r#"{"iss":"https://id.vneid.test","sub":"079305004321","acr":"urn:vneid:level:2","aud":"airline","gender":"female","birthdate":"2005-02-01"}"#;

#[test]
fn verify_prints_one_json_verdict_per_payload_and_exits_0_when_all_are_valid() {
    let issuer = issuer("ok");
    let token = issuer.token(
        "key",
        CLAIMS,
        &["--ttl", "600", "--at", "2026-11-22T08:00:00+07:00"],
    );
    let trust = issuer.file("key.trust");
    let out = run(
        &[
            "verify",
            "--trust",
            &trust,
            "--at",
            "2026-11-22T01:05:00Z",
            "--audience",
            "airline",
            "--min-level",
            "2",
            &token,
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = verdicts(&out);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0]["valid"], true);
    assert_eq!(v[0]["format"], "vneid_token");
    assert_eq!(v[0]["code"], Value::Null);
    assert_eq!(v[0]["subject"], "079305004321");
    assert_eq!(v[0]["level"], 2);
    assert_eq!(v[0]["kid"], "test-k1");
    assert!(v[0]["warnings"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn issue_token_adds_iat_and_a_ten_minute_exp_unless_the_claims_give_them() {
    let issuer = issuer("ttl");
    let trust = issuer.file("key.trust");
    let at = "1795000000";
    let token = issuer.token("key", CLAIMS, &["--at", at]);
    let verify_at = |now: &str| {
        verdicts(&run(
            &["verify", "--trust", &trust, "--at", now, &token],
            None,
        ))
    };
    let v = verify_at(at);
    assert_eq!(v[0]["valid"], true, "{}", v[0]["message"]);
    assert_eq!(v[0]["issuedAt"], 1_795_000_000);
    assert_eq!(v[0]["expiresAt"], 1_795_000_600);
    assert_eq!(verify_at("1795000660")[0]["code"], "expired");

    // Claims that give exp keep it.
    let own = CLAIMS.replace('}', r#","exp":1795000100,"iat":1795000000}"#);
    let token = issuer.token("key", &own, &["--at", at]);
    let v = verdicts(&run(
        &["verify", "--trust", &trust, "--at", at, &token],
        None,
    ));
    assert_eq!(v[0]["expiresAt"], 1_795_000_100);
}

#[test]
fn reads_stdin_line_by_line_and_exits_1_when_any_is_invalid() {
    let issuer = issuer("stdin");
    let at = "1795000000";
    let good = issuer.token("key", CLAIMS, &["--ttl", "600", "--at", at]);
    let expired = issuer.token("key", CLAIMS, &["--ttl", "600", "--at", "1794000000"]);
    let input = format!("{good}\r\n\n{expired}\nnot a token\n{good}");
    let out = run(
        &["verify", "--trust", &issuer.file("key.trust"), "--at", at],
        Some(&input),
    );
    assert_eq!(out.status.code(), Some(1));
    let codes: Vec<Value> = verdicts(&out).iter().map(|v| v["code"].clone()).collect();
    assert_eq!(
        codes,
        vec![
            Value::Null,
            "expired".into(),
            "unknown_format".into(),
            Value::Null
        ]
    );
}

#[test]
fn format_restricts_what_is_accepted_and_an_unknown_name_is_a_usage_error() {
    let issuer = issuer("format");
    let at = "1795000000";
    let token = issuer.token("key", CLAIMS, &["--ttl", "600", "--at", at]);
    let trust = issuer.file("key.trust");
    let with_formats = |formats: &[&str]| {
        let mut args = vec!["verify", "--trust", &trust, "--at", at];
        for f in formats {
            args.extend(["--format", f]);
        }
        args.push(&token);
        run(&args, None)
    };

    let accepted = with_formats(&["eu_dcc", "vneid_token"]);
    assert_eq!(accepted.status.code(), Some(0));
    assert_eq!(verdicts(&accepted)[0]["valid"], true);

    // A VNeID token is not a plain `jwt`: a page expecting other identity tokens refuses it.
    let refused = with_formats(&["jwt"]);
    assert_eq!(refused.status.code(), Some(1));
    let v = verdicts(&refused);
    assert_eq!(v[0]["code"], "format_not_allowed");
    assert_eq!(v[0]["format"], "vneid_token");
    assert_eq!(v[0]["claims"], Value::Null);

    for bad in ["unknown", "JWT", "pdf417"] {
        let out = with_formats(&[bad]);
        assert_eq!(out.status.code(), Some(2), "--format {bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("unknown format") && stderr.contains("vds_nc"),
            "{stderr}"
        );
    }
}

#[test]
fn invalid_utf8_and_huge_lines_cost_one_verdict_each() {
    let issuer = issuer("garbage");
    let good = issuer.token("key", CLAIMS, &["--ttl", "600", "--at", "1795000000"]);
    let mut input = b"\xff\xfe\x00garbage\n".to_vec();
    input.extend(vec![b'e'; 1 << 20]);
    input.push(b'\n');
    input.extend(good.as_bytes());
    let out = common::cli::run(
        &[
            "verify",
            "--trust",
            &issuer.file("key.trust"),
            "--at",
            "1795000000",
        ],
        &input,
    );
    let codes: Vec<Value> = verdicts(&out).iter().map(|v| v["code"].clone()).collect();
    assert_eq!(
        codes,
        vec![
            "unknown_format".into(),
            "payload_too_large".into(),
            Value::Null
        ]
    );
}

#[test]
fn usage_and_trust_file_errors_exit_2() {
    let issuer = issuer("usage");
    assert_eq!(run(&["verify", "x"], None).status.code(), Some(2));
    assert_eq!(run(&["verify", "--trust"], None).status.code(), Some(2));
    assert_eq!(
        run(&["verify", "--trust", "/nonexistent.json", "x"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(
            &[
                "verify",
                "--trust",
                &issuer.file("key.trust"),
                "--at",
                "yesterday",
                "x"
            ],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        run(
            &[
                "verify",
                "--trust",
                &issuer.file("key.trust"),
                "--min-level",
                "3",
                "x"
            ],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(run(&[], None).status.code(), Some(2));

    // A trust file with a private key in it is refused, naming the entry.
    let bad = issuer.file("bad-trust.json");
    let key = std::fs::read_to_string(issuer.file("key.key")).expect("key");
    std::fs::write(
        &bad,
        format!(r#"{{"issuers":[{{"iss":"x","keys":[{key}]}}]}}"#),
    )
    .expect("write");
    let out = run(&["verify", "--trust", &bad, "x"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("trust_invalid")
            && stderr.contains("issuers[0].keys[0]")
            && stderr.contains("\"d\""),
        "{stderr}"
    );
}

#[test]
fn help_and_version() {
    let out = run(&["--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let usage = String::from_utf8_lossy(&out.stdout);
    assert!(usage.contains("vneid-verify verify --trust FILE"));
    // Every policy flag and every format the core has is in the usage.
    for option in vneid_verify::POLICY_OPTIONS {
        assert!(
            usage.contains(&format!("[{} ", option.flag)),
            "{}",
            option.flag
        );
    }
    for format in vneid_verify::Format::ALL {
        if *format != vneid_verify::Format::Unknown {
            let name = format.as_str();
            assert!(
                usage.contains(&format!("{name},")) || usage.contains(&format!("{name})")),
                "--format {name}"
            );
        }
    }
    let out = run(&["--version"], None);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("vneid-verify "));
}

#[test]
fn keygen_never_overwrites_a_key() {
    let issuer = issuer("overwrite");
    let out = run(&["keygen", "--out", &issuer.file("key.key")], None);
    assert_eq!(out.status.code(), Some(2));
}
