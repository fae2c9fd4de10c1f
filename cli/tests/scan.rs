//! `vneid-verify scan`: the scanner mode a kiosk runs unattended.
//!
//! Batch tests feed a whole stream and read every verdict; live tests keep the scanner running,
//! write a line, wait for its verdict, and change things in between (the trust file, a FIFO's
//! writer, a signal). Timing logic is tested in the session's unit tests with an injected clock;
//! the one real-time test here (the chunk timeout) waits a fraction of a second.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion
#![cfg(all(feature = "issuer", unix))]

mod common;

use common::cli::{run, TestDir, ISS};

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Output};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const AT: &str = "1795000000";
const CLAIMS: &str = r#"{"iss":"https://id.vneid.test","sub":"079305004321","acr":"urn:vneid:level:2","name":"Nguyễn Văn An"}"#;

fn lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .expect("utf8")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn json(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON: {line}: {e}"))
}

fn codes(out: &Output) -> Vec<Value> {
    lines(out).iter().map(|l| json(l)["code"].clone()).collect()
}

/// One key `a` (kid `test-k1`) and its trust file.
fn issuer(name: &str) -> TestDir {
    let dir = TestDir::new(&format!("scan-{name}"));
    dir.keygen("a", "test-k1");
    dir
}

#[test]
fn a_mixed_stream_gets_one_verdict_per_payload_and_the_scanner_exits_0() {
    let dir = issuer("mixed");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let expired = dir.token("a", CLAIMS, &["--ttl", "600", "--at", "1794000000"]);
    // Another first character of the signature (the last one carries padding bits).
    let (signed, signature) = good.rsplit_once('.').expect("a JWS");
    let first = if signature.starts_with('A') { 'B' } else { 'A' };
    let tampered = format!("{signed}.{first}{}", &signature[1..]);
    let mut input = Vec::new();
    for part in [
        format!("{good}\r\n"),      // CRLF
        format!("  {expired}  \r"), // CR, stray whitespace
        format!("{tampered}\n"),    // LF
        "\n\r\n   \n".to_owned(),   // blank lines: nothing
        "not a token\n".to_owned(),
    ] {
        input.extend(part.as_bytes());
    }
    input.extend(b"\xff\xfe\x00garbage\n");
    input.extend(vec![b'e'; 1 << 20]);
    input.extend(b"\n");
    input.extend(format!("{expired}\n").as_bytes()); // a repeat within 3 s: suppressed
    input.extend(b"shc:/1/2/5656"); // half a card, unterminated, reported at end of input
    let out = run(
        &["scan", "--trust", &dir.file("a.trust"), "--at", AT],
        &input,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        codes(&out),
        vec![
            Value::Null,
            "expired".into(),
            "signature_invalid".into(),
            "unknown_format".into(),
            "unknown_format".into(),
            "payload_too_large".into(),
            "chunks_incomplete".into(),
        ]
    );
    let v: Vec<Value> = lines(&out).iter().map(|l| json(l)).collect();
    assert_eq!(v[0]["subject"], "079305004321");
    assert_eq!(
        v[4]["message"],
        "The payload is not in a supported format (not UTF-8 text (byte 0 is invalid))"
    );
    assert_eq!(
        v[5]["message"],
        "The payload is larger than the allowed size (1048576 bytes; limit 16384)"
    );
    assert_eq!(v[6]["format"], "shc");
    assert_eq!(
        v[6]["message"],
        "Some parts of a multi-part QR code are missing (1 of 2 chunks; missing 2)"
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn repeats_pass_when_the_window_is_off_and_prefix_and_suffix_are_removed() {
    let dir = issuer("prefix");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let input = format!("\x02]Q1{good}\x03\r\n\x02]Q1{good}\x03\r\n{good}\r\n");
    let args = [
        "scan",
        "--trust",
        &dir.file("a.trust"),
        "--at",
        AT,
        "--prefix",
        "\\x02]Q1",
        "--suffix",
        "\\x03",
        "--repeat-window",
        "0",
    ];
    let out = run(&args, input.as_bytes());
    assert_eq!(codes(&out), vec![Value::Null, Value::Null, Value::Null]);
    // The same lines without the prefix option: not a token.
    let out = run(&args[..5], input.as_bytes());
    assert_eq!(
        codes(&out),
        vec!["unknown_format".into(), Value::Null],
        "the second framed copy is a repeat"
    );
}

#[test]
fn format_allowlist_applies_to_each_scan() {
    let dir = issuer("formats");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let card_qr = "079305004321|123456789|Nguyễn Văn An|01022005|Nữ|Hà Nội|01062021";
    let input = format!("{good}\n{card_qr}\n");
    let only_tokens = [
        "scan",
        "--trust",
        &dir.file("a.trust"),
        "--at",
        AT,
        "--format",
        "vneid_token",
    ];
    let out = run(&only_tokens, input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(codes(&out), vec![Value::Null, "format_not_allowed".into()]);

    let only_documents = [
        "scan",
        "--trust",
        &dir.file("a.trust"),
        "--at",
        AT,
        "--format",
        "vneid_document",
    ];
    let out = run(&only_documents, input.as_bytes());
    assert_eq!(
        codes(&out),
        vec![
            Value::from("format_not_allowed"),
            Value::from("format_not_allowed")
        ]
    );
}

#[test]
fn human_output_is_one_line_per_verdict_with_a_stable_first_word() {
    let dir = issuer("human");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let expired = dir.token("a", CLAIMS, &["--ttl", "600", "--at", "1794000000"]);
    let input = format!("{good}\n{expired}\nhello\nshc:/2/3/5656\n");
    let out = run(
        &[
            "scan",
            "--trust",
            &dir.file("a.trust"),
            "--at",
            AT,
            "--output",
            "human",
        ],
        input.as_bytes(),
    );
    assert_eq!(
        lines(&out),
        vec![
            "VERIFIED  Nguyễn Văn An  vneid_token level 2  (kid test-k1)".to_owned(),
            "NOT VERIFIED  vneid_token  expired: It has expired (exp 1794000600; now 1795000000; tolerance 60s)".to_owned(),
            "NOT VERIFIED  unknown_format: The payload is not in a supported format".to_owned(),
            "PARTIAL  shc  1 of 3 chunks read; missing 1, 3".to_owned(),
            "NOT VERIFIED  shc  chunks_incomplete: Some parts of a multi-part QR code are missing (1 of 3 chunks; missing 1, 3)".to_owned(),
        ]
    );
}

#[test]
fn usage_errors_exit_2_before_reading() {
    let dir = issuer("usage");
    let trust = dir.file("a.trust");
    for args in [
        vec!["scan"],
        vec!["scan", "--trust", &trust, "payload"],
        vec!["scan", "--trust", &trust, "--output", "xml"],
        vec!["scan", "--trust", &trust, "--repeat-window", "-1"],
        vec!["scan", "--trust", &trust, "--chunk-timeout", "soon"],
        vec!["scan", "--trust", &trust, "--prefix", "\\x0a"],
        vec!["scan", "--trust", &trust, "--input", "/nonexistent/scanner"],
        vec!["scan", "--trust", &trust, "--on-valid", " "],
        vec!["scan", "--trust", "/nonexistent.json"],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// A scanner kept running: write lines, read verdicts as they come.
struct Live {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
}

impl Live {
    fn start(args: &[&str]) -> Live {
        let mut child = common::cli::spawn(args);
        let stdin = child.stdin.take();
        let stdout = lines_of(child.stdout.take().expect("stdout"));
        let stderr = lines_of(child.stderr.take().expect("stderr"));
        Live {
            child,
            stdin,
            stdout,
            stderr,
        }
    }

    fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(line.as_bytes()).expect("write");
        stdin.flush().expect("flush");
    }

    fn line(&self) -> String {
        self.stdout
            .recv_timeout(Duration::from_secs(10))
            .expect("a line within 10 s")
    }

    fn verdict(&self) -> Value {
        json(&self.line())
    }

    fn stderr_line(&self) -> String {
        self.stderr
            .recv_timeout(Duration::from_secs(10))
            .expect("a stderr line within 10 s")
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    fn exit_code(mut self) -> Option<i32> {
        drop(self.stdin.take());
        self.child.wait().expect("wait").code()
    }
}

/// Waits until `path` exists: a marker a hook leaves when it starts (bounded, not a fixed sleep).
fn wait_for_file(path: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !Path::new(path).exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "{path} did not appear within 10 s"
        );
        // Poll, not spin: the machine's cores are shared with the scanner under test.
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn lines_of(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

#[test]
fn a_card_missing_chunks_is_reported_when_the_chunk_timeout_passes() {
    let dir = issuer("timeout");
    let mut scan = Live::start(&[
        "scan",
        "--trust",
        &dir.file("a.trust"),
        "--at",
        AT,
        "--chunk-timeout",
        "0.3",
    ]);
    let started = std::time::Instant::now();
    scan.send("shc:/3/3/5656\r\n");
    let v = scan.verdict();
    let waited = started.elapsed();
    assert_eq!(v["code"], "chunks_incomplete");
    assert_eq!(
        v["message"],
        "Some parts of a multi-part QR code are missing (1 of 3 chunks; missing 1, 2)"
    );
    assert!(waited >= Duration::from_millis(300), "{waited:?}");
    // Not a speed check: well under the 20 s default shows the configured timeout was used.
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    // The scanner is still running and answers the next payload.
    scan.send("next\n");
    assert_eq!(scan.verdict()["code"], "unknown_format");
    assert_eq!(scan.exit_code(), Some(0));
}

#[test]
fn sigterm_and_sigint_end_the_scanner_with_status_0() {
    let dir = issuer("sigterm");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    for signal in ["TERM", "INT"] {
        let mut scan = Live::start(&[
            "scan",
            "--trust",
            &dir.file("a.trust"),
            "--at",
            AT,
            "--output",
            "human",
        ]);
        scan.send(&format!("{good}\n"));
        assert!(scan.line().starts_with("VERIFIED  "), "flushed at once");
        scan.send("shc:/1/2/5656\n");
        assert!(scan.line().starts_with("PARTIAL  "));
        scan.signal(signal);
        // The card that can no longer complete is reported before the scanner exits.
        assert!(scan
            .line()
            .starts_with("NOT VERIFIED  shc  chunks_incomplete: "));
        let mut child = scan.child;
        assert_eq!(child.wait().expect("wait").code(), Some(0), "SIG{signal}");
    }
}

#[test]
fn a_second_sigterm_ends_a_scanner_that_is_still_waiting_for_a_hook() {
    use std::os::unix::process::ExitStatusExt;
    let dir = issuer("sigterm-twice");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    // A hook that says it started, then hangs: no shell, a script named as the command.
    let started = dir.file("hook-started");
    let hook = dir.file("hang.sh");
    std::fs::write(
        &hook,
        format!("#!/bin/sh\n: > '{started}'\nexec sleep 20\n"),
    )
    .expect("hook");
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let mut scan = Live::start(&[
        "scan",
        "--trust",
        &dir.file("a.trust"),
        "--at",
        AT,
        "--on-valid",
        &hook,
    ]);
    scan.send(&format!("{good}\n"));
    assert_eq!(scan.verdict()["valid"], true);
    wait_for_file(&started); // the hook is running
    scan.signal("TERM"); // the scanner stops reading and waits for the hook (up to its timeout)
    assert!(
        scan.stderr_line().contains("stopping"),
        "the first signal was taken"
    );
    scan.signal("TERM"); // an operator who means it
    let mut child = scan.child;
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), None, "ended by the signal, not by finishing");
    assert_eq!(status.signal(), Some(15));
}

#[test]
fn a_replaced_trust_file_is_reloaded_and_a_broken_one_refused() {
    let dir = issuer("reload");
    dir.keygen("b", "test-key-number-two"); // a longer kid: the trust file's size changes
    let trust = dir.file("trust.json");
    std::fs::copy(dir.file("a.trust"), &trust).expect("copy");
    let token_a = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let token_b = dir.token("b", CLAIMS, &["--ttl", "600", "--at", AT]);
    let mut scan = Live::start(&[
        "scan",
        "--trust",
        &trust,
        "--at",
        AT,
        "--trust-check",
        "0",
        "--repeat-window",
        "0",
    ]);
    scan.send(&format!("{token_a}\n"));
    assert_eq!(scan.verdict()["valid"], true);
    scan.send(&format!("{token_b}\n"));
    assert_eq!(scan.verdict()["code"], "unknown_key");

    // The operator installs the new trust file (write a copy, then rename over the old one).
    let staged = dir.file("trust.json.new");
    std::fs::copy(dir.file("b.trust"), &staged).expect("copy");
    std::fs::rename(&staged, &trust).expect("rename");
    scan.send(&format!("{token_b}\n"));
    assert_eq!(scan.verdict()["valid"], true);
    assert_eq!(
        scan.stderr_line(),
        format!("vneid-verify: trust reloaded from {trust} (1 key)")
    );
    scan.send(&format!("{token_a}\n"));
    assert_eq!(scan.verdict()["code"], "unknown_key");

    // A broken replacement: refused, and the trust in force stays.
    std::fs::write(&staged, "{\"issuers\": [").expect("write");
    std::fs::rename(&staged, &trust).expect("rename");
    scan.send(&format!("{token_b}\n"));
    assert_eq!(scan.verdict()["valid"], true);
    let refused = scan.stderr_line();
    assert!(
        refused.starts_with(
            "vneid-verify: trust NOT reloaded, the previous trust stays in force: trust_invalid: "
        ),
        "{refused}"
    );
    // Said once, not at every check.
    scan.send(&format!("{token_b}\n"));
    assert_eq!(scan.verdict()["valid"], true);
    assert!(scan
        .stderr
        .recv_timeout(Duration::from_millis(200))
        .is_err());
    assert_eq!(scan.exit_code(), Some(0));
}

#[test]
fn a_fifo_is_reopened_when_its_writer_goes_away() {
    let dir = issuer("fifo");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let fifo = dir.file("scanner.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let scan = Live::start(&[
        "scan",
        "--trust",
        &dir.file("a.trust"),
        "--at",
        AT,
        "--input",
        &fifo,
        "--repeat-window",
        "0",
    ]);
    for _ in 0..3 {
        // Each writer sends one payload without a line ending and goes away.
        let mut writer = std::fs::OpenOptions::new()
            .write(true)
            .open(&fifo)
            .expect("open fifo");
        writer.write_all(good.as_bytes()).expect("write");
        drop(writer);
        assert_eq!(scan.verdict()["valid"], true);
    }
    scan.signal("TERM");
    let mut child = scan.child;
    assert_eq!(child.wait().expect("wait").code(), Some(0));
}

#[test]
fn hooks_get_the_verdict_on_stdin_and_in_the_environment_never_through_a_shell() {
    let dir = issuer("hooks");
    let good = dir.token("a", CLAIMS, &["--ttl", "600", "--at", AT]);
    let script = dir.file("hook.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\ncat >> \"$2.json\"\necho \"$1 $VNEID_VALID $VNEID_FORMAT $VNEID_CODE\" >> \"$2\"\n",
    )
    .expect("write");
    let made_executable = Command::new("chmod")
        .args(["+x", &script])
        .status()
        .expect("chmod");
    assert!(made_executable.success());
    let log = dir.file("hook.log");
    let marker = dir.file("pwned");
    let input = format!("{good}\n$(touch {marker})\n`touch {marker}`; touch {marker}\n");
    let out = run(
        &[
            "scan",
            "--trust",
            &dir.file("a.trust"),
            "--at",
            AT,
            "--on-valid",
            &format!("{script} open {log}"),
            "--on-invalid",
            // Shell syntax in the command itself: split on spaces, `;touch` is just an argument.
            &format!("{script} red {log} ;touch {marker}"),
        ],
        input.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts = lines(&out);
    assert_eq!(
        verdicts.len(),
        3,
        "hook output never reaches the verdict stream"
    );
    let logged = std::fs::read_to_string(&log).expect("the hooks ran before exit");
    let expected: Vec<String> = verdicts
        .iter()
        .map(|l| {
            let v = json(l);
            let (word, valid) = if v["valid"] == true {
                ("open", "true")
            } else {
                ("red", "false")
            };
            format!(
                "{word} {valid} {} {}",
                v["format"].as_str().unwrap_or_default(),
                v["code"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(logged.lines().collect::<Vec<_>>(), expected);
    let stdin_seen = std::fs::read_to_string(format!("{log}.json")).expect("hook stdin");
    assert_eq!(stdin_seen, format!("{}\n", verdicts.join("\n")));
    assert!(!Path::new(&marker).exists(), "a payload was run by a shell");
}

#[test]
fn a_failing_hook_is_reported_and_the_scanner_goes_on() {
    let dir = issuer("hookfail");
    let out = run(
        &[
            "scan",
            "--trust",
            &dir.file("a.trust"),
            "--at",
            AT,
            "--on-invalid",
            "/nonexistent/gate-light",
        ],
        b"one\ntwo\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        codes(&out),
        vec![Value::from("unknown_format"), "unknown_format".into()]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("vneid-verify: hook /nonexistent/gate-light: ")
            .count(),
        2,
        "{stderr}"
    );
}

/// Trust for the SMART Health Card examples (their issuer's keys and revocation list), the
/// VDS-NC example's Australian CSCA and the EU DCC example's signing certificate, in `dir`.
fn document_trust(dir: &TestDir) -> [String; 3] {
    let jwks = common::json_vector("shc/examples/issuer/.well-known/jwks.json");
    let crl = common::json_vector(
        "shc/examples/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json",
    );
    let shc = json!({"iss": "https://spec.smarthealth.cards/examples/issuer", "keys": jwks["keys"], "crls": [crl]});
    let csca = common::read_vector("vds-nc/au-root/csca_au_rs4096.cer");
    std::fs::write(dir.file("shc.json"), shc.to_string()).expect("write");
    std::fs::write(
        dir.file("anchors.json"),
        json!({"anchors": [csca]}).to_string(),
    )
    .expect("write");
    let dcc = common::json_vector("eu-dcc/HR/2DCode/raw/1.json");
    let issuers =
        json!({"issuers": [{"iss": "HR", "certificates": [dcc["TESTCTX"]["CERTIFICATE"]]}]});
    std::fs::write(dir.file("dcc.json"), issuers.to_string()).expect("write");
    [
        dir.file("shc.json"),
        dir.file("anchors.json"),
        dir.file("dcc.json"),
    ]
}

fn shc_chunk(k: usize) -> String {
    common::read_vector(&format!(
        "shc/examples/example-02-f-qr-code-numeric-value-{k}.txt"
    ))
    .trim()
    .to_owned()
}

#[test]
fn document_qrs_one_scan_per_line_including_a_card_in_three_qrs() {
    let dir = TestDir::new("scan-documents");
    let [shc, anchors, dcc] = document_trust(&dir);
    dir.keygen("doc", "test-doc-key");
    let fields = r#"{"personalId":"079305004321","fullName":"Trần Thị Bình","dateOfBirth":"2005-02-01","sex":"female","placeOfResidence":"12 Đường A, Quận 1, TP. Hồ Chí Minh","issueDate":"2021-05-10"}"#;
    let issued = run(
        &[
            "issue",
            "document",
            "--type",
            "cccd",
            "--key",
            &dir.file("doc.key"),
            "--issuer",
            ISS,
            "--id",
            "CCCD-0001",
            "--at",
            "1700000000",
            "--fields",
            fields,
        ],
        b"",
    );
    assert!(
        issued.status.success(),
        "{}",
        String::from_utf8_lossy(&issued.stderr)
    );
    let vn1 = String::from_utf8(issued.stdout)
        .expect("utf8")
        .trim()
        .to_owned();
    let single = common::read_vector("shc/examples/example-03-f-qr-code-numeric-value-0.txt");
    let seals = common::json_vector("vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json");
    let input = [
        shc_chunk(2),
        shc_chunk(0),
        shc_chunk(1),
        single.trim().to_owned(),
        "001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021".to_owned(),
        seals[1].to_string(),
        seals[0].to_string(),
        common::json_vector("eu-dcc/HR/2DCode/raw/1.json")["PREFIX"]
            .as_str()
            .expect("PREFIX")
            .to_owned(),
        vn1,
        shc_chunk(1), // a re-read of a chunk already used: suppressed
    ]
    .join("\r\n");
    let out = run(
        &[
            "scan",
            "--trust",
            &shc,
            "--trust",
            &anchors,
            "--trust",
            &dcc,
            "--trust",
            &dir.file("doc.trust"),
            "--at",
            "1700000000",
            "--output",
            "human",
        ],
        input.as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let au = if cfg!(feature = "rsa") {
        "VERIFIED  CITIZEN  JANE SUE  vds_nc  (kid 18AD)"
    } else {
        "NOT VERIFIED  vds_nc  unsupported_key: The signing key is of a type that cannot verify this signature"
    };
    assert_eq!(
        lines(&out),
        vec![
            "PARTIAL  shc  1 of 3 chunks read; missing 1, 2",
            "PARTIAL  shc  2 of 3 chunks read; missing 2",
            "VERIFIED  (no name)  shc  (kid 3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s)",
            "NOT VERIFIED  shc  revoked: It has been revoked (rid \"vwAjHdarZuc\", kid \"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s\")",
            "UNSIGNED  Nguyễn Văn An  cccd  This QR code has no signature; compare the fields with the card",
            au,
            "NOT VERIFIED  vds_nc  chain_invalid: The signer certificate is not issued by a trusted authority (no trusted country signing CA named \"CN=National CSCA of Friesland, C=FR\")",
            "VERIFIED  FERNÁNDEZ RAMÓN  eu_dcc  (kid y3g27v8r51I)",
            "VERIFIED  Trần Thị Bình  vneid_document cccd  (kid test-doc-key)",
        ]
    );
    // The same card as JSON: one verdict for the three scans, as `verify` gives for the whole card.
    let out = run(
        &["scan", "--trust", &shc, "--at", "1700000000"],
        format!("{}\n{}\n{}\n", shc_chunk(0), shc_chunk(2), shc_chunk(1)).as_bytes(),
    );
    let whole = run(
        &[
            "verify",
            "--trust",
            &shc,
            "--at",
            "1700000000",
            &format!("{} {} {}", shc_chunk(0), shc_chunk(1), shc_chunk(2)),
        ],
        b"",
    );
    assert_eq!(lines(&out), lines(&whole));
    assert_eq!(json(&lines(&out)[0])["document"]["type"], "shc");
}
