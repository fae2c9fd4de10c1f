//! The command line with SMART Health Cards, VDS-NC seals and the ID card QR: trust files with
//! revocation lists and anchors, and a multi-QR card read one chunk per line from stdin.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // tests fail by panicking

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::{json, Value};

const SHC_ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";
const AT: &str = "1700000000";

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vneid-verify"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn verdicts(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn codes(out: &Output) -> Vec<Value> {
    verdicts(out)
        .into_iter()
        .map(|v| v["code"].clone())
        .collect()
}

/// A trust file in a fresh temporary folder.
fn trust_file(name: &str, content: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vneid-cli-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content.to_string()).unwrap();
    path
}

fn shc_trust() -> PathBuf {
    let jwks = common::json_vector("shc/examples/issuer/.well-known/jwks.json");
    let crl = common::json_vector(
        "shc/examples/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
    );
    trust_file(
        "shc.json",
        &json!({"iss": SHC_ISSUER, "keys": jwks["keys"], "crls": [crl]}),
    )
}

fn chunk(k: usize) -> String {
    common::read_vector(&format!(
        "shc/examples/example-02-f-qr-code-numeric-value-{k}.txt"
    ))
    .trim()
    .to_owned()
}

#[test]
fn stdin_collects_a_card_across_other_payloads_and_counts_a_chunk_read_twice_once() {
    let trust = shc_trust();
    let stdin = format!(
        "{}\n001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021\n{}\n{}\n{}\n",
        chunk(1),
        chunk(1), // the reader saw the same code again
        chunk(0),
        chunk(2),
    );
    let out = run(
        &["verify", "--trust", trust.to_str().unwrap(), "--at", AT],
        &stdin,
    );
    // The ID card QR between the chunks gets its verdict at once; the card, when complete.
    assert_eq!(codes(&out), [json!("unsigned"), json!(null)]);
    assert_eq!(verdicts(&out)[1]["document"]["type"], json!("shc"));
}

#[test]
fn stdin_groups_the_chunks_of_a_multi_qr_card() {
    let trust = shc_trust();
    let single_03 = common::read_vector("shc/examples/example-03-f-qr-code-numeric-value-0.txt");
    let stdin = format!(
        "{}\n{}\n{}\n{}\n001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021\n{}\n{}\n",
        chunk(2),
        chunk(0),
        chunk(1),
        single_03.trim(),
        chunk(0),
        chunk(2),
    );
    let out = run(
        &["verify", "--trust", trust.to_str().unwrap(), "--at", AT],
        &stdin,
    );
    // The three chunks → one valid card; 03 → revoked by the CRL in the trust file; the card
    // QR → unsigned; the trailing two chunks → one incomplete card.
    assert_eq!(
        codes(&out),
        [
            json!(null),
            json!("revoked"),
            json!("unsigned"),
            json!("chunks_incomplete")
        ]
    );
    let v = verdicts(&out);
    assert_eq!(v[0]["document"]["type"], json!("shc"));
    assert_eq!(v[2]["format"], json!("cccd_qr"));
    assert!(v[3]["message"].as_str().unwrap().contains("missing 2"));
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_health_card_file_is_one_positional_payload() {
    let trust = shc_trust();
    let file = common::read_vector("shc/examples/example-02-e-file.smart-health-card");
    let all_chunks = format!("{} {} {}", chunk(0), chunk(1), chunk(2));
    let out = run(
        &[
            "verify",
            "--trust",
            trust.to_str().unwrap(),
            "--at",
            AT,
            &file,
            &all_chunks,
        ],
        "",
    );
    assert_eq!(codes(&out), [json!(null), json!(null)]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_seal_verifies_against_an_anchor_from_the_trust_file() {
    let seals = common::json_vector("vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json");
    let csca = common::read_vector("vds-nc/au-root/csca_au_rs4096.cer");
    let trust = trust_file("anchors.json", &json!({"anchors": [csca]}));
    let out = run(
        &[
            "verify",
            "--trust",
            trust.to_str().unwrap(),
            "--at",
            AT,
            &seals[1].to_string(),
            &seals[0].to_string(),
        ],
        "",
    );
    let expected_au = if cfg!(feature = "rsa") {
        json!(null)
    } else {
        json!("unsupported_key")
    };
    assert_eq!(codes(&out), [expected_au, json!("chain_invalid")]);
    assert_eq!(verdicts(&out)[0]["format"], json!("vds_nc"));
}
