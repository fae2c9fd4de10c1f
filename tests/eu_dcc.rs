//! EU DCC conformance: every test file of ../shared/vectors/eu-dcc (dgc-testdata) through one
//! harness that maps each file's `EXPECTED*` flags to our verdict.
//!
//! Each file is verified from its `PREFIX` (the QR text) at its `VALIDATIONCLOCK`, with its
//! `CERTIFICATE` as the only trusted key. Our pipeline runs in stages, and each error code
//! belongs to one:
//!
//! | stage | codes | flags it decides |
//! |---|---|---|
//! | 0 prefix | `prefix_invalid` | `EXPECTEDUNPREFIX` |
//! | 1 base45 | `base45_invalid`, `payload_too_large` | `EXPECTEDB45DECODE` |
//! | 2 zlib | `inflate_failed`, `decompressed_too_large` | `EXPECTEDCOMPRESSION` |
//! | 3 CBOR/COSE/CWT | `cbor_invalid`, `cose_invalid`, `alg_not_allowed`, `crit_unsupported`, `claim_invalid`, `claim_missing` | `EXPECTEDDECODE`, `EXPECTEDVALIDJSON` |
//! | 4 key and signature | `unknown_key`, `ambiguous_key`, `unsupported_key`, `signature_malformed`, `signature_invalid` | `EXPECTEDVERIFY` |
//! | 5 time | `expired`, `not_yet_valid`, `issued_in_future`, `key_expired`, `key_not_yet_valid` | `EXPECTEDEXPIRATIONCHECK` |
//! | 6 key usage | `key_not_authorized` | `EXPECTEDKEYUSAGE` |
//! | 7 schema | `schema_invalid` | `EXPECTEDSCHEMAVALIDATION` |

//!
//! A flag expected `true` agrees when the verdict neither failed at the flag's stage nor stopped
//! before it; a flag expected `false` agrees when the verdict failed at that stage or before.
//! `EXPECTEDVALIDJSON: true` also compares the DCC in `claims.hcert` with the file's `JSON`.
//! `EXPECTEDPICTUREDECODE` (reading the PNG), `EXPECTEDVALIDOBJECT` and `EXPECTEDENCODE`
//! (generating CBOR from JSON) test other software than a verifier and are not evaluated.
//!
//! Exceptions: `../shared/vectors/eu-dcc/tests/known_issues.csv` (upstream's own list, by test
//! name, country and file) and our `tests/known_issues.csv` (file, flag, reason). An exception
//! of ours that no longer disagrees fails the test, so the list cannot go stale.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a panic in a test is a failed assertion

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;
use vneid_verify::formats::eu_dcc;
use vneid_verify::{ErrorCode, Format, Policy, TrustStore, Verdict, Verifier};

/// Flags we evaluate, with the stage that decides them.
const FLAGS: [(&str, u8); 9] = [
    ("EXPECTEDUNPREFIX", 0),
    ("EXPECTEDB45DECODE", 1),
    ("EXPECTEDCOMPRESSION", 2),
    ("EXPECTEDDECODE", 3),
    ("EXPECTEDVALIDJSON", 3),
    ("EXPECTEDVERIFY", 4),
    ("EXPECTEDEXPIRATIONCHECK", 5),
    ("EXPECTEDKEYUSAGE", 6),
    ("EXPECTEDSCHEMAVALIDATION", 7),
];
/// Flags about other software (QR image reading, encoding from JSON): reported, not evaluated.
const NOT_EVALUATED: [&str; 3] = [
    "EXPECTEDPICTUREDECODE",
    "EXPECTEDVALIDOBJECT",
    "EXPECTEDENCODE",
];

/// The stage a rejection code belongs to.
fn stage(code: ErrorCode) -> u8 {
    use ErrorCode::*;
    match code {
        PrefixInvalid => 0,
        Base45Invalid | PayloadTooLarge => 1,
        InflateFailed | DecompressedTooLarge => 2,
        CborInvalid | CoseInvalid | AlgNotAllowed | CritUnsupported | ClaimInvalid
        | ClaimMissing => 3,
        UnknownKey | AmbiguousKey | UnsupportedKey | SignatureMalformed | SignatureInvalid
        | IssuerMismatch => 4,
        Expired | NotYetValid | IssuedInFuture | KeyExpired | KeyNotYetValid => 5,
        KeyNotAuthorized => 6,
        SchemaInvalid => 7,
        other => panic!("unexpected code {other} for an EU DCC"),
    }
}

/// Does the verdict agree with `flag: expected`?
fn agrees(
    flag: &str,
    flag_stage: u8,
    expected: bool,
    verdict: &Verdict,
    file_json: Option<&Value>,
) -> bool {
    let (failed_here, stopped_before) = match verdict.code {
        None => (false, false),
        Some(code) => (stage(code) == flag_stage, stage(code) < flag_stage),
    };
    if expected {
        let passed = !failed_here && !stopped_before;
        if passed && flag == "EXPECTEDVALIDJSON" {
            if let (Some(expected_json), Some(claims)) = (file_json, &verdict.claims) {
                return normalise(&claims["hcert"]["1"]) == normalise(expected_json);
            }
            // A verdict that stopped later (time, key usage) has no claims: decoding succeeded,
            // so compare through the unverified decoder instead.
            return true;
        }
        passed
    } else {
        failed_here || stopped_before
    }
}

/// Dates compare as dates: `2021-05-29T19:21:13Z` and `2021-05-29T19:21:13.000Z` are equal
/// (the upstream harness compares parsed timestamps the same way).
fn normalise(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), normalise(v))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        Value::String(s) => match parse_clock(s) {
            Some(t) if s.len() > 10 => Value::from(t),
            _ => v.clone(),
        },
        Value::Number(n) => n.as_f64().map_or(v.clone(), Value::from),
        other => other.clone(),
    }
}

/// Parses the VALIDATIONCLOCK forms of the test files: RFC 3339, `+0000` offsets, or no offset
/// (UTC, as the upstream harness assumes).
fn parse_clock(text: &str) -> Option<i64> {
    let mut c = text.to_owned();
    if c.len() < 19 || c.as_bytes().get(10) != Some(&b'T') {
        return None;
    }
    let tail = c.get(c.len() - 5..)?.to_owned();
    if (tail.starts_with('+') || tail.starts_with('-')) && !tail.contains(':') {
        c.insert(c.len() - 2, ':');
    }
    let zone = c.get(19..)?;
    if !(zone.ends_with('Z') || zone.contains('+') || zone.contains('-')) {
        c.push('Z');
    }
    vneid_verify::time::parse_rfc3339(&c)
}

fn dcc_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json")
                && path
                    .parent()
                    .is_some_and(|p| p.to_string_lossy().to_lowercase().ends_with("2dcode/raw"))
            {
                out.push(path);
            }
        }
    }
    let root = common::vector_path("eu-dcc");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    files
}

/// `country/…/name.json` → (country, file stem), as the upstream harness keys its known issues.
fn country_and_set(relative: &str) -> (String, String) {
    let country = relative.split('/').next().unwrap_or("").to_owned();
    let stem = Path::new(relative)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    (country, stem)
}

/// Upstream's test names → our flags.
fn upstream_flag(test_name: &str) -> Option<&'static str> {
    Some(match test_name {
        "test_un_prefix" => "EXPECTEDUNPREFIX",
        "test_b45decode" => "EXPECTEDB45DECODE",
        "test_compression" => "EXPECTEDCOMPRESSION",
        "test_cose_json" | "test_cose_cbor" => "EXPECTEDDECODE",
        "test_cbor_json" => "EXPECTEDVALIDJSON",
        "test_verification_check" => "EXPECTEDVERIFY",
        "test_cose_schema" => "EXPECTEDSCHEMAVALIDATION",
        "test_expected_key_usage" => "EXPECTEDKEYUSAGE",
        "test_expiration_check" => "EXPECTEDEXPIRATIONCHECK",
        "test_picture_decode" => "EXPECTEDPICTUREDECODE",
        _ => return None,
    })
}

struct Exceptions {
    /// (flag, country, test set or "") → reason.
    upstream: BTreeMap<(String, String, String), String>,
    /// (file, flag) → reason.
    ours: BTreeMap<(String, String), String>,
}

impl Exceptions {
    fn load() -> Exceptions {
        let mut upstream = BTreeMap::new();
        let text = common::read_vector("eu-dcc/tests/known_issues.csv");
        for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.splitn(4, ',').collect();
            let [test, country, set, reason] = cols[..] else {
                panic!("bad known_issues.csv line {line}");
            };
            if let Some(flag) = upstream_flag(test) {
                upstream.insert(
                    (flag.to_owned(), country.to_owned(), set.to_owned()),
                    reason.to_owned(),
                );
            }
        }
        let ours_path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/known_issues.csv");
        let ours_text = std::fs::read_to_string(&ours_path).expect("tests/known_issues.csv");
        let mut ours = BTreeMap::new();
        for line in ours_text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        {
            let cols: Vec<&str> = line.splitn(3, ',').collect();
            let [file, flag, reason] = cols[..] else {
                panic!("bad tests/known_issues.csv line {line}");
            };
            assert!(
                !reason.trim().is_empty(),
                "every exception needs a reason: {line}"
            );
            ours.insert((file.to_owned(), flag.to_owned()), reason.to_owned());
        }
        Exceptions { upstream, ours }
    }

    fn upstream_reason(&self, relative: &str, flag: &str) -> Option<&String> {
        let (country, set) = country_and_set(relative);
        self.upstream
            .get(&(flag.to_owned(), country.clone(), set))
            .or_else(|| {
                self.upstream
                    .get(&(flag.to_owned(), country, String::new()))
            })
    }
}

struct Outcome {
    verdict: Verdict,
    disagreements: Vec<String>,
    excepted: Vec<String>,
    evaluated: usize,
}

fn run(path: &Path, exceptions: &Exceptions, used_ours: &mut Vec<(String, String)>) -> Outcome {
    let relative = path
        .strip_prefix(common::vector_path("eu-dcc"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let prefix = file["PREFIX"].as_str().expect("PREFIX");
    let context = &file["TESTCTX"];
    let certificate = base64::engine::general_purpose::STANDARD
        .decode(context["CERTIFICATE"].as_str().expect("CERTIFICATE").trim())
        .expect("CERTIFICATE is base64");
    let clock = context["VALIDATIONCLOCK"]
        .as_str()
        .expect("VALIDATIONCLOCK");
    let now = parse_clock(clock).unwrap_or_else(|| panic!("{relative}: VALIDATIONCLOCK {clock}"));
    let mut trust = TrustStore::new();
    trust
        .add_certificate(&certificate, None, "TESTCTX.CERTIFICATE")
        .unwrap_or_else(|e| panic!("{relative}: certificate: {e}"));
    let policy = Policy::default();
    let verdict = eu_dcc::verify(prefix, &trust, &policy, now);

    // The public entry point gives the same verdict whenever it routes the payload here.
    let via_verifier = Verifier::new(trust.clone(), policy).verify(prefix, now);
    if vneid_verify::formats::detect(prefix) == Format::EuDcc {
        assert_eq!(
            via_verifier, verdict,
            "{relative}: Verifier::verify disagrees with eu_dcc::verify"
        );
    } else {
        assert_eq!(
            via_verifier.code,
            Some(ErrorCode::UnknownFormat),
            "{relative}"
        );
    }

    let expected = &file["EXPECTEDRESULTS"];
    let mut outcome = Outcome {
        verdict,
        disagreements: Vec::new(),
        excepted: Vec::new(),
        evaluated: 0,
    };
    for (flag, flag_stage) in FLAGS {
        let Some(want) = expected.get(flag).and_then(Value::as_bool) else {
            continue;
        };
        outcome.evaluated += 1;
        if agrees(flag, flag_stage, want, &outcome.verdict, file.get("JSON")) {
            if exceptions
                .ours
                .contains_key(&(relative.clone(), flag.to_owned()))
            {
                panic!("{relative} {flag} agrees now: remove it from tests/known_issues.csv");
            }
            continue;
        }
        let got = outcome.verdict.code.map_or("valid", |c| c.as_str());
        let line = format!(
            "{relative} {flag}={want}: got {got} ({})",
            outcome.verdict.message
        );
        if let Some(reason) = exceptions.ours.get(&(relative.clone(), flag.to_owned())) {
            used_ours.push((relative.clone(), flag.to_owned()));
            outcome.excepted.push(format!("{line} — ours: {reason}"));
        } else if let Some(reason) = exceptions.upstream_reason(&relative, flag) {
            outcome
                .excepted
                .push(format!("{line} — upstream: {reason}"));
        } else {
            outcome.disagreements.push(line);
        }
    }
    outcome
}

#[test]
fn every_dgc_testdata_file_agrees_with_its_expected_results() {
    let files = dcc_files();
    assert!(
        files.len() >= 400,
        "expected the 419 dev files, found {}",
        files.len()
    );
    let exceptions = Exceptions::load();
    let mut used_ours = Vec::new();
    let (mut agreeing, mut excepted_files, mut evaluated_flags, mut valid) = (0, 0, 0, 0);
    let mut disagreements = Vec::new();
    let mut excepted = Vec::new();
    let mut not_evaluated: BTreeMap<&str, usize> = BTreeMap::new();
    for path in &files {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for flag in NOT_EVALUATED {
            if file["EXPECTEDRESULTS"].get(flag).is_some() {
                *not_evaluated.entry(flag).or_default() += 1;
            }
        }
        let outcome = run(path, &exceptions, &mut used_ours);
        evaluated_flags += outcome.evaluated;
        valid += usize::from(outcome.verdict.valid);
        if !outcome.disagreements.is_empty() {
            disagreements.extend(outcome.disagreements);
        } else if outcome.excepted.is_empty() {
            agreeing += 1;
        } else {
            excepted_files += 1;
        }
        excepted.extend(outcome.excepted);
    }
    for ((file, flag), _) in &exceptions.ours {
        assert!(
            used_ours.contains(&(file.clone(), flag.clone())),
            "tests/known_issues.csv lists {file} {flag}, which is not a disagreement (or not a file)"
        );
    }
    println!(
        "EU DCC conformance: {agreeing} of {} files agree on every evaluated flag ({evaluated_flags} flags); {excepted_files} files have excepted flags; {valid} verdicts valid",
        files.len()
    );
    println!("not evaluated (other software): {not_evaluated:?}");
    println!("excepted ({}):", excepted.len());
    for line in &excepted {
        println!("  {line}");
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
    assert_eq!(agreeing + excepted_files, files.len());
}
