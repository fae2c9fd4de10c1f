//! Signed trust bundles on the command line: `trust sign`, `trust inspect`, and `verify`/`scan`
//! with `--trust SIGNED --trust-root ROOTS [--trust-state FILE]`; each threat as its own case
//! with its exit status and code, the state file, and the scanner's reload and expiry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use std::io::Write as _;
use std::process::Output;
use std::time::{Duration, Instant};

use common::cli::{run, spawn, TestDir, ISS};
use serde_json::{json, Value};

const AT: i64 = 1_795_000_000;
const DAY: i64 = 86_400;

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A folder with an issuer key (`issuer.key`, its plain trust file `issuer.trust`), root keys
/// `root-a`, `root-b`, `root-c` (`NAME.key` private, `NAME.pub` public JWK) and a token.
struct Fleet {
    dir: TestDir,
    token: String,
}

impl Fleet {
    fn new(name: &str) -> Fleet {
        let dir = TestDir::new(name);
        dir.keygen("issuer", "issuer-1");
        for root in ["root-a", "root-b", "root-c"] {
            let key = dir.file(&format!("{root}.key"));
            let out = run(&["keygen", "--kid", root, "--out", &key], b"");
            assert!(out.status.success(), "{}", stderr(&out));
            let mut jwk: Value =
                serde_json::from_str(&std::fs::read_to_string(&key).unwrap()).unwrap();
            jwk.as_object_mut().unwrap().remove("d");
            std::fs::write(dir.file(&format!("{root}.pub")), jwk.to_string()).unwrap();
        }
        let claims = json!({"iss": ISS, "sub": "user-1"}).to_string();
        let token = dir.token(
            "issuer",
            &claims,
            &["--at", &AT.to_string(), "--ttl", &(365 * DAY).to_string()],
        );
        Fleet { dir, token }
    }

    fn file(&self, name: &str) -> String {
        self.dir.file(name)
    }

    /// A root set file of the named roots.
    fn roots(&self, name: &str, roots: &[&str], threshold: usize) -> String {
        let keys: Vec<Value> = roots
            .iter()
            .map(|r| {
                serde_json::from_str(
                    &std::fs::read_to_string(self.file(&format!("{r}.pub"))).unwrap(),
                )
                .unwrap()
            })
            .collect();
        let path = self.file(name);
        std::fs::write(
            &path,
            json!({"keys": keys, "threshold": threshold}).to_string(),
        )
        .unwrap();
        path
    }

    /// The unsigned bundle: the issuer's trust file plus `extra` members.
    fn bundle(&self, name: &str, extra: &Value) -> String {
        let mut bundle: Value =
            serde_json::from_str(&std::fs::read_to_string(self.file("issuer.trust")).unwrap())
                .unwrap();
        for (k, v) in extra.as_object().unwrap() {
            bundle[k] = v.clone();
        }
        let path = self.file(name);
        std::fs::write(&path, bundle.to_string()).unwrap();
        path
    }

    /// `trust sign` of `bundle` by `roots` (`trust sign`'s own output).
    fn sign(
        &self,
        bundle: &str,
        out: &str,
        roots: &[&str],
        version: u64,
        at: i64,
        expires: &str,
    ) -> Output {
        let out_path = self.file(out);
        let version = version.to_string();
        let at = at.to_string();
        let mut args = vec![
            "trust",
            "sign",
            "--version",
            &version,
            "--at",
            &at,
            "--expires",
            expires,
            "--out",
            &out_path,
        ];
        let keys: Vec<String> = roots
            .iter()
            .map(|r| self.file(&format!("{r}.key")))
            .collect();
        for key in &keys {
            args.extend_from_slice(&["--key", key]);
        }
        args.push(bundle);
        run(&args, b"")
    }

    fn signed(&self, out: &str, roots: &[&str], version: u64, extra: &Value) -> String {
        let bundle = self.bundle(&format!("{out}.unsigned"), extra);
        let result = self.sign(&bundle, out, roots, version, AT - DAY, "+30d");
        assert!(result.status.success(), "{}", stderr(&result));
        self.file(out)
    }

    /// `verify` with the signed bundle at `at`.
    fn verify(&self, signed: &str, roots: &str, state: Option<&str>, at: i64) -> Output {
        let at = at.to_string();
        let mut args = vec![
            "verify",
            "--trust",
            signed,
            "--trust-root",
            roots,
            "--at",
            &at,
        ];
        if let Some(state) = state {
            args.extend_from_slice(&["--trust-state", state]);
        }
        args.push(&self.token);
        run(&args, b"")
    }
}

/// A refusal at start: exit 2, the code on standard error, nothing on standard output.
fn assert_refused(out: &Output, code: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(
        stderr(out).contains(code),
        "expected {code}: {}",
        stderr(out)
    );
    assert!(out.stdout.is_empty(), "{}", stdout(out));
}

fn verdict(out: &Output) -> Value {
    serde_json::from_str(stdout(out).lines().next().unwrap_or("{}")).unwrap()
}

#[test]
fn sign_then_verify_then_inspect() {
    let fleet = Fleet::new("tb-sign");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let signed = fleet.signed("signed.json", &["root-a"], 3, &json!({}));
    let out = fleet.verify(&signed, &roots, None, AT);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(verdict(&out)["valid"], true);

    let inspect = run(
        &[
            "trust",
            "inspect",
            &signed,
            "--trust-root",
            &roots,
            "--at",
            &AT.to_string(),
        ],
        b"",
    );
    assert_eq!(inspect.status.code(), Some(0), "{}", stderr(&inspect));
    let text = stdout(&inspect);
    for needle in [
        "version         3",
        "signatures      root-a",
        ISS,
        "issuer-1",
        "verifies        yes",
    ] {
        assert!(text.contains(needle), "{needle}:\n{text}");
    }
    // Without roots it shows the contents and says nothing was checked.
    let plain = run(&["trust", "inspect", &signed], b"");
    assert_eq!(plain.status.code(), Some(0));
    assert!(stdout(&plain).contains("not checked"), "{}", stdout(&plain));
}

#[test]
fn sign_refuses_a_bundle_that_does_not_load_and_writes_nothing() {
    let fleet = Fleet::new("tb-sign-bad");
    // A private key in the bundle.
    let private: Value =
        serde_json::from_str(&std::fs::read_to_string(fleet.file("issuer.key")).unwrap()).unwrap();
    let bad = fleet.bundle(
        "bad.json",
        &json!({"issuers": [{"iss": ISS, "keys": [private]}]}),
    );
    let out = fleet.sign(&bad, "bad.signed", &["root-a"], 1, AT, "+30d");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("trust_invalid"), "{}", stderr(&out));
    assert!(!std::path::Path::new(&fleet.file("bad.signed")).exists());
    // The envelope members are set by the command, not the file.
    let versioned = fleet.bundle("versioned.json", &json!({"version": 9}));
    let out = fleet.sign(&versioned, "v.signed", &["root-a"], 1, AT, "+30d");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("\"version\" is set by trust sign"),
        "{}",
        stderr(&out)
    );
    // An expiry before the issue time.
    let fine = fleet.bundle("fine.json", &json!({}));
    let out = fleet.sign(&fine, "f.signed", &["root-a"], 1, AT, &(AT - 1).to_string());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_changed_key_in_the_payload_is_trust_signature_invalid() {
    let fleet = Fleet::new("tb-tamper2");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let signed = fleet.signed("signed.json", &["root-a"], 1, &json!({}));
    let mut envelope: Value =
        serde_json::from_str(&std::fs::read_to_string(&signed).unwrap()).unwrap();
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload: Value = serde_json::from_slice(
        &engine
            .decode(envelope["payload"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    payload["issuers"][0]["name"] = "Attacker".into();
    envelope["payload"] = engine.encode(payload.to_string()).into();
    std::fs::write(&signed, envelope.to_string()).unwrap();
    assert_refused(
        &fleet.verify(&signed, &roots, None, AT),
        "trust_signature_invalid",
    );
    let inspect = run(&["trust", "inspect", &signed, "--trust-root", &roots], b"");
    assert_eq!(inspect.status.code(), Some(1));
    assert!(
        stdout(&inspect).contains("NO: trust_signature_invalid"),
        "{}",
        stdout(&inspect)
    );
}

#[test]
fn an_unknown_signer_is_refused_at_start() {
    let fleet = Fleet::new("tb-unknown");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let signed = fleet.signed("signed.json", &["root-b"], 1, &json!({}));
    assert_refused(
        &fleet.verify(&signed, &roots, None, AT),
        "trust_unknown_signer",
    );
}

#[test]
fn fewer_signers_than_the_threshold_are_refused_at_start() {
    let fleet = Fleet::new("tb-threshold");
    let roots = fleet.roots("roots.json", &["root-a", "root-b", "root-c"], 2);
    let one = fleet.signed("one.json", &["root-a"], 1, &json!({}));
    assert_refused(
        &fleet.verify(&one, &roots, None, AT),
        "trust_threshold_not_met",
    );
    let two = fleet.signed("two.json", &["root-a", "root-c"], 1, &json!({}));
    assert_eq!(fleet.verify(&two, &roots, None, AT).status.code(), Some(0));
}

#[test]
fn rollback_is_refused_and_the_state_file_keeps_the_highest_version() {
    let fleet = Fleet::new("tb-rollback");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let state = fleet.file("state.json");
    let five = fleet.signed("five.json", &["root-a"], 5, &json!({}));
    assert_eq!(
        fleet.verify(&five, &roots, Some(&state), AT).status.code(),
        Some(0)
    );
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["version"], 5);
    assert_eq!(saved["roots"]["keys"][0]["kid"], "root-a");
    let four = fleet.signed("four.json", &["root-a"], 4, &json!({}));
    assert_refused(
        &fleet.verify(&four, &roots, Some(&state), AT),
        "trust_rollback",
    );
    assert_eq!(
        serde_json::from_str::<Value>(&std::fs::read_to_string(&state).unwrap()).unwrap()
            ["version"],
        5
    );
    // No temporary file is left beside the state.
    let leftovers: Vec<_> = std::fs::read_dir(std::path::Path::new(&state).parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_corrupt_state_file_is_an_error_never_a_reset() {
    let fleet = Fleet::new("tb-corrupt");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let state = fleet.file("state.json");
    std::fs::write(&state, "{\"version\": 5").unwrap();
    let signed = fleet.signed("signed.json", &["root-a"], 1, &json!({}));
    assert_refused(
        &fleet.verify(&signed, &roots, Some(&state), AT),
        "trust_state_invalid",
    );
    assert_eq!(std::fs::read_to_string(&state).unwrap(), "{\"version\": 5");
}

#[test]
fn past_expires_every_verdict_is_trust_expired() {
    let fleet = Fleet::new("tb-freeze");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let signed = fleet.signed("signed.json", &["root-a"], 1, &json!({}));
    let expires = AT - DAY + 30 * DAY;
    let out = fleet.verify(&signed, &roots, None, expires - 1);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = fleet.verify(&signed, &roots, None, expires);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(verdict(&out)["code"], "trust_expired");
    assert!(stderr(&out).contains("EXPIRED"), "{}", stderr(&out));
}

#[test]
fn a_bundle_issued_in_the_future_is_refused_at_start() {
    let fleet = Fleet::new("tb-future");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let bundle = fleet.bundle("b.json", &json!({}));
    let out = fleet.sign(&bundle, "future.json", &["root-a"], 1, AT + 3600, "+30d");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_refused(
        &fleet.verify(&fleet.file("future.json"), &roots, None, AT),
        "trust_issued_in_future",
    );
}

#[test]
fn root_rotation_through_the_state_file() {
    let fleet = Fleet::new("tb-rotate");
    let pinned = fleet.roots("pinned.json", &["root-a"], 1);
    let next = fleet.roots("next.json", &["root-b", "root-c"], 2);
    let next_set: Value = serde_json::from_str(&std::fs::read_to_string(&next).unwrap()).unwrap();
    let state = fleet.file("state.json");
    let rotation = fleet.signed("two.json", &["root-a"], 2, &json!({"roots": next_set}));
    let out = fleet.verify(&rotation, &pinned, Some(&state), AT);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("rotated"), "{}", stderr(&out));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["roots"]["threshold"], 2);

    let three = fleet.signed("three.json", &["root-b", "root-c"], 3, &json!({}));
    assert_eq!(
        fleet
            .verify(&three, &pinned, Some(&state), AT)
            .status
            .code(),
        Some(0)
    );
    // A device that never saw bundle 2 refuses it.
    assert_refused(
        &fleet.verify(&three, &pinned, None, AT),
        "trust_unknown_signer",
    );
}

#[test]
fn with_roots_pinned_an_unsigned_trust_file_is_refused() {
    let fleet = Fleet::new("tb-unsigned");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    assert_refused(
        &fleet.verify(&fleet.file("issuer.trust"), &roots, None, AT),
        "trust_unsigned",
    );
    // And --trust-state needs --trust-root.
    let out = run(
        &[
            "verify",
            "--trust",
            &fleet.file("issuer.trust"),
            "--trust-state",
            &fleet.file("s.json"),
            &fleet.token,
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
}

/// Reads lines from a running scanner's standard output until `n` are in or `timeout`.
fn read_lines(child: &mut std::process::Child, n: usize, timeout: Duration) -> Vec<String> {
    use std::io::BufRead as _;
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let start = Instant::now();
    let mut lines = Vec::new();
    while lines.len() < n && start.elapsed() < timeout {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            lines.push(line);
        }
    }
    lines
}

#[test]
fn scan_keeps_the_old_trust_when_a_replacement_is_refused() {
    let fleet = Fleet::new("tb-scan-reload");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    let state = fleet.file("state.json");
    let live = fleet.signed("live.json", &["root-a"], 2, &json!({}));
    let at = AT.to_string();
    let mut child = spawn(&[
        "scan",
        "--trust",
        &live,
        "--trust-root",
        &roots,
        "--trust-state",
        &state,
        "--at",
        &at,
        "--trust-check",
        "0",
        "--repeat-window",
        "0",
    ]);
    let mut input = child.stdin.take().unwrap();
    writeln!(input, "{}", fleet.token).unwrap();
    input.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // An older bundle copied over the live one: refused, the old trust stays.
    let old = fleet.signed("old.json", &["root-a"], 1, &json!({}));
    std::fs::copy(&old, &live).unwrap();
    writeln!(input, "{}", fleet.token).unwrap();
    drop(input);
    let lines = read_lines(&mut child, 2, Duration::from_secs(20));
    let out = child.wait_with_output().unwrap();
    assert_eq!(lines.len(), 2, "{lines:?} {}", stderr(&out));
    for line in &lines {
        assert!(line.contains("\"valid\":true"), "{line}");
    }
    assert!(
        stderr(&out).contains("NOT reloaded") && stderr(&out).contains("trust_rollback"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        serde_json::from_str::<Value>(&std::fs::read_to_string(&state).unwrap()).unwrap()
            ["version"],
        2
    );
}

#[test]
fn scan_turns_verdicts_into_trust_expired_when_the_bundle_expires_while_it_runs() {
    let fleet = Fleet::new("tb-scan-expiry");
    let roots = fleet.roots("roots.json", &["root-a"], 1);
    // The system clock: a bundle that expires two seconds from now.
    let now = i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    let bundle = fleet.bundle("b.json", &json!({}));
    let out = fleet.sign(
        &bundle,
        "soon.json",
        &["root-a"],
        1,
        now - 10,
        &(now + 2).to_string(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let claims = json!({"iss": ISS, "sub": "user-1"}).to_string();
    let token = fleet.dir.token("issuer", &claims, &["--ttl", "3600"]);
    let soon = fleet.file("soon.json");
    let mut child = spawn(&[
        "scan",
        "--trust",
        &soon,
        "--trust-root",
        &roots,
        "--repeat-window",
        "0",
    ]);
    let mut input = child.stdin.take().unwrap();
    writeln!(input, "{token}").unwrap();
    input.flush().unwrap();
    std::thread::sleep(Duration::from_secs(3));
    writeln!(input, "{token}").unwrap();
    drop(input);
    let lines = read_lines(&mut child, 2, Duration::from_secs(20));
    let _ = child.wait();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("\"valid\":true"), "{}", lines[0]);
    assert!(
        lines[1].contains("\"code\":\"trust_expired\""),
        "{}",
        lines[1]
    );
}
