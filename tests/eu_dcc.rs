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
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // test arithmetic on small known values (bytes, offsets, NumericDates)
#![allow(clippy::print_stdout)] // the harness prints its summary

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;
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
    let verifier = Verifier::new(trust.clone(), policy);
    let verdict = verifier.verify_as(Format::EuDcc, prefix, now);

    // The public entry point gives the same verdict whenever it routes the payload here.
    let via_verifier = verifier.verify(prefix, now);
    if Format::detect(prefix) == Format::EuDcc {
        assert_eq!(
            via_verifier, verdict,
            "{relative}: Verifier::verify disagrees with Verifier::verify_as(EuDcc)"
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
        let rsa_key = trust
            .keys()
            .iter()
            .any(|k| k.key.description().starts_with("RSA"));
        if !cfg!(feature = "rsa")
            && rsa_key
            && outcome.verdict.code == Some(ErrorCode::UnsupportedKey)
        {
            // A build without the `rsa` feature cannot verify PS256: it must say so clearly.
            outcome
                .excepted
                .push(format!("{line} — built without the rsa feature"));
        } else if let Some(reason) = exceptions.ours.get(&(relative.clone(), flag.to_owned())) {
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
    for (file, flag) in exceptions.ours.keys() {
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

// ---- Mutations of real certificates ---------------------------------------------------------------

#[cfg(feature = "issuer")]
mod mutations {
    use super::*;
    use vneid_verify::dangerous;
    use vneid_verify::issuer::cbor::{self, Value as Cbor};
    use vneid_verify::issuer::encode;

    /// A test file's QR text, trust store (its certificate) and clock.
    fn load(relative: &str) -> (String, TrustStore, i64) {
        let file = common::json_vector(&format!("eu-dcc/{relative}"));
        let certificate = base64::engine::general_purpose::STANDARD
            .decode(file["TESTCTX"]["CERTIFICATE"].as_str().unwrap())
            .unwrap();
        let mut trust = TrustStore::new();
        trust.add_certificate(&certificate, None, relative).unwrap();
        let now = parse_clock(file["TESTCTX"]["VALIDATIONCLOCK"].as_str().unwrap()).unwrap();
        (file["PREFIX"].as_str().unwrap().to_owned(), trust, now)
    }

    /// The COSE_Sign1 array of a QR text: [protected, unprotected, payload, signature].
    fn cose_parts(qr: &str) -> Vec<Cbor> {
        let cose = dangerous::decode_qr_body(qr.strip_prefix("HC1:").unwrap(), &Default::default())
            .unwrap();
        let mut item = dangerous::decode_cbor(&cose, &Default::default()).unwrap();
        while let Cbor::Tag(_, inner) = item {
            item = *inner;
        }
        let Cbor::Array(parts) = item else {
            panic!("COSE_Sign1 array")
        };
        parts
    }

    fn qr_of(parts: Vec<Cbor>) -> String {
        let cose = cbor::encode(&Cbor::Tag(18, Box::new(Cbor::Array(parts))));
        format!("HC1:{}", encode::qr_body(&cose))
    }

    fn code(qr: &str, trust: &TrustStore, now: i64) -> Option<ErrorCode> {
        Verifier::new(trust.clone(), Policy::default())
            .verify(qr, now)
            .code
    }

    fn header(entries: &[(i128, Cbor)]) -> Cbor {
        Cbor::Bytes(cbor::encode(&Cbor::Map(
            entries
                .iter()
                .map(|(k, v)| (Cbor::Integer(*k), v.clone()))
                .collect(),
        )))
    }

    /// n − s for the P-256 group order n: the high-S twin of a signature's s.
    fn negate_mod_n(s: &[u8]) -> Vec<u8> {
        const N: [u8; 32] = [
            0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2,
            0xfc, 0x63, 0x25, 0x51,
        ];
        let mut out = vec![0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let mut d = i16::from(N[i]) - i16::from(s[i]) - borrow;
            borrow = i16::from(d < 0);
            if d < 0 {
                d += 256;
            }
            out[i] = d as u8;
        }
        out
    }

    #[test]
    fn es256_certificate_mutations() {
        let (qr, trust, now) = load("common/2DCode/raw/CO3.json");
        assert_eq!(code(&qr, &trust, now), None);
        // Re-encoding the untouched parts keeps it valid: the signature covers the parts, not the
        // QR text.
        assert_eq!(code(&qr_of(cose_parts(&qr)), &trust, now), None);
        let sig = cose_parts(&qr)[3].as_bytes().unwrap().to_vec();
        for i in 0..64 {
            let mut parts = cose_parts(&qr);
            let mut s = sig.clone();
            s[i] ^= 0x10;
            parts[3] = Cbor::Bytes(s);
            assert_eq!(
                code(&qr_of(parts), &trust, now),
                Some(ErrorCode::SignatureInvalid),
                "byte {i}"
            );
        }
        // The high-S twin verifies.
        let mut parts = cose_parts(&qr);
        parts[3] = Cbor::Bytes([sig[..32].to_vec(), negate_mod_n(&sig[32..])].concat());
        assert_eq!(code(&qr_of(parts), &trust, now), None);
        // A changed letter of the payload.
        let mut parts = cose_parts(&qr);
        let mut payload = parts[2].as_bytes().unwrap().to_vec();
        let at = payload.windows(2).position(|w| w == b"AT").unwrap();
        payload[at] = b'B';
        parts[2] = Cbor::Bytes(payload);
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::SignatureInvalid)
        );
        // A DER signature.
        let mut parts = cose_parts(&qr);
        parts[3] = Cbor::Bytes(
            [
                vec![0x30, 0x44, 0x02, 0x20],
                sig[..32].to_vec(),
                vec![0x02, 0x20],
                sig[32..].to_vec(),
            ]
            .concat(),
        );
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::SignatureMalformed)
        );
        // A kid nobody trusts in the protected header: the right one in the unprotected header
        // cannot rescue it (protected wins, DCC test CO22).
        let kid = trust.keys()[0].kid.clone().unwrap();
        let mut parts = cose_parts(&qr);
        parts[0] = header(&[(1, Cbor::Integer(-7)), (4, Cbor::Bytes(b"foo".to_vec()))]);
        parts[1] = Cbor::Map(vec![(Cbor::Integer(4), Cbor::Bytes(kid.clone()))]);
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::UnknownKey)
        );
        // A wrong unprotected kid is ignored when the protected one is right (DCC test CO21).
        let mut parts = cose_parts(&qr);
        parts[1] = Cbor::Map(vec![(Cbor::Integer(4), Cbor::Bytes(b"foo".to_vec()))]);
        assert_eq!(code(&qr_of(parts), &trust, now), None);
        // ES384, HMAC, EdDSA in the protected header.
        for alg in [-35, 5, -8] {
            let mut parts = cose_parts(&qr);
            parts[0] = header(&[(1, Cbor::Integer(alg)), (4, Cbor::Bytes(kid.clone()))]);
            assert_eq!(
                code(&qr_of(parts), &trust, now),
                Some(ErrorCode::AlgNotAllowed),
                "{alg}"
            );
        }
    }

    #[test]
    fn an_unprotected_kid_is_a_lookup_hint_only() {
        // CZ signs with the kid in the unprotected header.
        let (qr, trust, now) = load("CZ/2DCode/raw/1.json");
        assert_eq!(code(&qr, &trust, now), None);
        let mut parts = cose_parts(&qr);
        parts[1] = Cbor::Map(vec![(
            Cbor::Integer(4),
            Cbor::Bytes(vec![1, 2, 3, 4, 5, 6, 7, 8]),
        )]);
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::UnknownKey)
        );
        // Pointing it at another trusted P-256 certificate: that key does not verify it.
        let (_, other, _) = load("AT/2DCode/raw/1.json");
        let mut both = trust.clone();
        for key in other.keys() {
            both.add_key(key.clone()).unwrap();
        }
        let other_kid = other.keys()[0].kid.clone().unwrap();
        let mut parts = cose_parts(&qr);
        parts[1] = Cbor::Map(vec![(Cbor::Integer(4), Cbor::Bytes(other_kid))]);
        assert_eq!(
            code(&qr_of(parts), &both, now),
            Some(ErrorCode::SignatureInvalid)
        );
        // No kid at all.
        let mut parts = cose_parts(&qr);
        parts[1] = Cbor::Map(vec![]);
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::CoseInvalid)
        );
    }

    #[test]
    fn an_es256_header_with_a_p384_certificate_is_unsupported_key() {
        // Issuers have signed "ES256" with P-384 certificates (dgc-testdata ES 401-403): the verdict
        // says the key cannot verify ES256, not that the signature is bad.
        let pem = std::fs::read(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/vectors/eu-dcc/TEST-ONLY-p384-signing-certificate.pem"),
        )
        .unwrap();
        let mut trust = TrustStore::new();
        trust
            .add_certificate(&pem, Some("XX"), "P-384 test certificate")
            .unwrap();
        assert_eq!(trust.keys()[0].key.description(), "EC P-384");
        let kid = trust.keys()[0].kid.clone().unwrap();
        let (qr, _, now) = load("common/2DCode/raw/CO3.json");
        let mut parts = cose_parts(&qr);
        parts[0] = header(&[(1, Cbor::Integer(-7)), (4, Cbor::Bytes(kid))]);
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::UnsupportedKey)
        );
    }

    #[test]
    fn ps256_certificates() {
        let (qr, trust, now) = load("common/2DCode/raw/CO1.json");
        let verdict = Verifier::new(trust.clone(), Policy::default()).verify(&qr, now);
        if cfg!(feature = "rsa") {
            assert!(verdict.valid, "{}", verdict.message);
            // Bits across the whole 2048-bit PSS signature matter.
            let sig = cose_parts(&qr)[3].as_bytes().unwrap().to_vec();
            assert_eq!(sig.len(), 256);
            for i in (0..256).step_by(17) {
                let mut parts = cose_parts(&qr);
                let mut s = sig.clone();
                s[i] ^= 0x01;
                parts[3] = Cbor::Bytes(s);
                assert_eq!(
                    code(&qr_of(parts), &trust, now),
                    Some(ErrorCode::SignatureInvalid),
                    "byte {i}"
                );
            }
            let mut parts = cose_parts(&qr);
            parts[3] = Cbor::Bytes(sig[..255].to_vec());
            assert_eq!(
                code(&qr_of(parts), &trust, now),
                Some(ErrorCode::SignatureInvalid)
            );
            // RSA-3072 (CO2) too.
            let (qr3072, trust3072, now3072) = load("common/2DCode/raw/CO2.json");
            assert_eq!(code(&qr3072, &trust3072, now3072), None);
        } else {
            assert_eq!(
                verdict.code,
                Some(ErrorCode::UnsupportedKey),
                "{}",
                verdict.message
            );
        }
        // An RSA certificate under an ES256 header: whatever the build, the key cannot verify it.
        let kid = trust.keys()[0].kid.clone().unwrap();
        let mut parts = cose_parts(&qr);
        parts[0] = header(&[(1, Cbor::Integer(-7)), (4, Cbor::Bytes(kid))]);
        parts[3] = Cbor::Bytes(vec![1; 64]);
        assert_eq!(
            code(&qr_of(parts), &trust, now),
            Some(ErrorCode::UnsupportedKey)
        );
    }

    #[test]
    fn the_document_is_readable_and_the_claims_carry_the_dcc() {
        let (qr, trust, now) = load("AT/2DCode/raw/1.json");
        let verdict = Verifier::new(trust, Policy::default()).verify(&qr, now);
        assert!(verdict.valid, "{}", verdict.message);
        assert_eq!(verdict.format, Format::EuDcc);
        assert_eq!(verdict.issuer.as_deref(), Some("AT"));
        let document = verdict.document.unwrap();
        assert_eq!(document.doc_type, "eu_dcc");
        let fields = &document.fields;
        assert_eq!(fields["kind"], "vaccination");
        // The code as issued (SNOMED CT 840539006); "COVID-19" is the demo's label for it.
        assert_eq!(fields["disease"], "840539006");
        assert!(fields["familyName"].is_string() && fields["dateOfBirth"].is_string());
        let file = common::json_vector("eu-dcc/AT/2DCode/raw/1.json");
        let claims = verdict.claims.unwrap();
        assert_eq!(normalise(&claims["hcert"]["1"]), normalise(&file["JSON"]));
        assert_eq!(claims["iss"], "AT");
        assert!(claims["exp"].is_number() && claims["iat"].is_number());
    }

    #[test]
    fn trust_decides_issuer_revocation_and_key_usage() {
        let (qr, trust, now) = load("AT/2DCode/raw/1.json");
        let verify = |trust: &TrustStore, policy: Policy| {
            Verifier::new(trust.clone(), policy).verify(&qr, now).code
        };
        let expecting = |issuer: &str| Policy {
            issuer: Some(issuer.into()),
            ..Policy::default()
        };
        assert_eq!(
            verify(&trust, expecting("VN")),
            Some(ErrorCode::IssuerMismatch)
        );
        assert_eq!(verify(&trust, expecting("AT")), None);
        // Revocation by certificate identifier (ci), for the key's issuer.
        let file = common::json_vector("eu-dcc/AT/2DCode/raw/1.json");
        let ci = file["JSON"]["v"][0]["ci"].as_str().unwrap();
        let mut revoked = trust.clone();
        revoked.revoke("AT", ci);
        assert_eq!(
            verify(&revoked, Policy::default()),
            Some(ErrorCode::Revoked)
        );
        // A trust entry restricted to other document types.
        let mut key = trust.keys()[0].clone();
        key.document_types = Some(vec!["cccd".into()]);
        let mut restricted = TrustStore::new();
        restricted.add_key(key).unwrap();
        assert_eq!(
            verify(&restricted, Policy::default()),
            Some(ErrorCode::KeyNotAuthorized)
        );
        // The kid is found across issuers, so the signing certificate says whose key it is: a
        // certificate whose `iss` is another country than the certificate's is refused.
        assert_eq!(
            verify(&trust, Policy::default()),
            None,
            "iss AT, certificate of AT"
        );
        let mut key = trust.keys()[0].clone();
        if let Some(certificate) = key.certificate.as_mut() {
            certificate.subject.country = Some("DE".into());
        }
        let mut other_country = TrustStore::new();
        other_country.add_key(key).unwrap();
        assert_eq!(
            verify(&other_country, Policy::default()),
            Some(ErrorCode::KeyNotAuthorized)
        );
        // An empty trust store knows no key.
        assert_eq!(
            verify(&TrustStore::new(), Policy::default()),
            Some(ErrorCode::UnknownKey)
        );
    }

    /// First 16 bytes of SHA-256, computed here independently of the crate.
    fn revocation_hash(bytes: &[u8]) -> String {
        use sha2::Digest as _;
        base64::engine::general_purpose::STANDARD.encode(&sha2::Sha256::digest(bytes)[..16])
    }

    #[test]
    fn dcc_revocation_hashes_in_the_trust_file_revoke_by_uci_country_uci_and_signature() {
        let relative = "AT/2DCode/raw/1.json";
        let (qr, _, now) = load(relative);
        let file = common::json_vector(&format!("eu-dcc/{relative}"));
        let certificate_b64 = file["TESTCTX"]["CERTIFICATE"].as_str().unwrap();
        let der = base64::engine::general_purpose::STANDARD
            .decode(certificate_b64)
            .unwrap();
        let kid = {
            use sha2::Digest as _;
            base64::engine::general_purpose::STANDARD.encode(&sha2::Sha256::digest(&der)[..8])
        };
        let ci = file["JSON"]["v"][0]["ci"].as_str().unwrap();
        let parts = cose_parts(&qr);
        let claims =
            dangerous::decode_cbor(parts[2].as_bytes().unwrap(), &Default::default()).unwrap();
        let country = claims.get_int(1).unwrap().as_text().unwrap().to_owned();
        let signature = parts[3].as_bytes().unwrap();
        assert_eq!(signature.len(), 64, "an ES256 file");
        let trust_with = |hash_type: &str, hash: &str, batch_kid: &str| {
            let trust = serde_json::json!({
                "issuers": [{"iss": "AT", "certificates": [certificate_b64]}],
                "dcc_revocations": [{"country": "AT", "expires": "2031-01-01T00:00:00Z",
                    "kid": batch_kid, "hashType": hash_type, "entries": [{"hash": hash}]}],
            });
            TrustStore::from_json(&trust.to_string()).unwrap()
        };
        let uci = revocation_hash(ci.as_bytes());
        let country_uci = revocation_hash(format!("{country}{ci}").as_bytes());
        let r_only = revocation_hash(&signature[..32]);
        for (hash_type, hash) in [
            ("UCI", &uci),
            ("COUNTRYCODEUCI", &country_uci),
            ("SIGNATURE", &r_only),
        ] {
            let trust = trust_with(hash_type, hash, &kid);
            let verdict = Verifier::new(trust, Policy::default()).verify(&qr, now);
            assert_eq!(verdict.code, Some(ErrorCode::Revoked), "{hash_type}");
            assert!(verdict.message.contains(hash_type), "{}", verdict.message);
            // The same hash listed for another signing key does not revoke it.
            let other = trust_with(hash_type, hash, "AAAAAAAAAAA=");
            assert_eq!(code(&qr, &other, now), None, "{hash_type} for another kid");
        }
        // The whole ES256 signature, or a hash type mismatch, revokes nothing.
        assert_eq!(
            code(
                &qr,
                &trust_with("SIGNATURE", &revocation_hash(signature), &kid),
                now
            ),
            None
        );
        assert_eq!(code(&qr, &trust_with("UCI", &country_uci, &kid), now), None);
        // The high-S twin of the signature (another valid signature, same r) is still revoked.
        let mut twin = parts.clone();
        let mut sig = signature.to_vec();
        let high_s = negate_mod_n(&sig[32..]);
        sig[32..].copy_from_slice(&high_s);
        twin[3] = Cbor::Bytes(sig);
        let twin = qr_of(twin);
        let clean = trust_with("UCI", &revocation_hash(b"not this one"), &kid);
        assert_eq!(code(&twin, &clean, now), None, "the twin verifies");
        assert_eq!(
            code(&twin, &trust_with("SIGNATURE", &r_only, &kid), now),
            Some(ErrorCode::Revoked)
        );
    }
}
