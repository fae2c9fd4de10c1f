//! What the fuzz targets share: one trust store that lets payloads of every format reach the
//! signature and claim stages, a known-good payload of each format with the time it is valid
//! at, the test signing keys (public knowledge, derived from labels as the test vectors' are),
//! payload builders that sign what the fuzzer writes inside valid wrappers, and the invariants
//! checked after every input (see FUZZING.md).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use vneid_verify::issuer::IssuerKey;
use vneid_verify::{fuzzing, Policy, TrustStore, Verdict, Verifier};

// ---- Memory: a counting allocator ---------------------------------------------------------

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let grow = new_size - layout.size();
            let now = CURRENT.fetch_add(grow, Ordering::Relaxed) + grow;
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most memory one input may hold at once above what was held before it: a payload is at
/// most 76 KiB and inflates to at most 64 KiB, so this is hundreds of times what it needs.
pub const MAX_MEMORY: usize = 32 << 20;

/// Runs `f`, asserting that it never held more than [`MAX_MEMORY`] at once.
pub fn bounded_memory<T>(f: impl FnOnce() -> T) -> T {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let result = f();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    assert!(peak <= MAX_MEMORY, "one input held {peak} bytes at once");
    result
}

// ---- Keys, trust and known-good payloads --------------------------------------------------

/// A test key whose secret scalar is SHA-256 of a public label.
fn key(kid: &str, label: &str) -> IssuerKey {
    IssuerKey::from_secret_bytes(kid, &Sha256::digest(label.as_bytes())).expect("a P-256 scalar")
}

/// The trusted key of the VNeID token vectors.
pub fn token_key() -> IssuerKey {
    key(
        "test-token-key-1",
        "vneid-verify TEST-ONLY token issuer key 1",
    )
}

/// The first trusted key of the VNeID document vectors.
pub fn document_key() -> IssuerKey {
    key(
        "test-doc-key-1",
        "vneid-verify TEST-ONLY document issuer key 1",
    )
}

/// A key the fuzz trust store binds to [`SHC_FUZZ_ISSUER`].
pub fn shc_key() -> IssuerKey {
    key(
        "fuzz-shc-key",
        "vneid-verify TEST-ONLY fuzz SMART Health Card key",
    )
}

/// A key the fuzz trust store trusts for EU DCCs under its `kid`.
pub fn dcc_key() -> IssuerKey {
    key("fuzz-dcc-key", "vneid-verify TEST-ONLY fuzz EU DCC key")
}

pub const SHC_ISSUER: &str = "https://spec.smarthealth.cards/examples/issuer";
/// The issuer of the RFC 9901 examples.
pub const SD_JWT_ISSUER: &str = "https://issuer.example.com";
/// The RFC 9901 example to verify: no key binding, so the default policy takes it.
const SD_JWT_EXAMPLE: &str =
    include_str!("../../../shared/vectors/sd-jwt/address_only_flat/sd_jwt_presentation.txt");
/// Inside the RFC 9901 examples' validity (their key-binding JWTs' `iat`, 2026-12-04).
const SD_JWT_AT: i64 = 1_796_412_083;

/// The public `issuer_key` of the RFC 9901 examples' settings.yml.
fn sd_jwt_issuer_key() -> Value {
    let text = include_str!("../../../shared/vectors/sd-jwt/settings.yml");
    let block = &text[text.find("issuer_key:").expect("issuer_key")..];
    let field = |name: &str| {
        block
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .expect("a coordinate")
            .to_owned()
    };
    json!({"kty": "EC", "crv": "P-256", "x": field("x"), "y": field("y")})
}
pub const SHC_FUZZ_ISSUER: &str = "https://fuzz.shc.example";

/// The EU DCC test file whose certificate the store trusts.
const DCC_FILE: &str = include_str!("../../../shared/vectors/eu-dcc/AT/2DCode/raw/1.json");

fn dcc_file() -> Value {
    serde_json::from_str(DCC_FILE).expect("the EU DCC vector is JSON")
}

/// One trust store for every format: the token and document test issuers, the SMART Health Card
/// examples' published key set and a fuzz key, an EU DCC signing certificate and a fuzz key, the
/// Australian country signing CA for VDS-NC seals.
fn trust() -> TrustStore {
    let mut store = TrustStore::new();
    let add = |store: &mut TrustStore, bytes: &[u8], source: &str, issuer: Option<&str>| {
        store
            .add_file(bytes, source, issuer)
            .unwrap_or_else(|e| panic!("{source}: {e}"));
    };
    add(
        &mut store,
        include_bytes!("../../tests/vectors/vneid-token/test-issuer.trust.json"),
        "token trust",
        None,
    );
    add(
        &mut store,
        include_bytes!("../../tests/vectors/vneid-document/test-issuer.trust.json"),
        "document trust",
        None,
    );
    add(
        &mut store,
        include_bytes!("../../../shared/vectors/shc/examples/issuer/.well-known/jwks.json"),
        "shc jwks",
        Some(SHC_ISSUER),
    );
    let jwks = |key: IssuerKey| json!({"keys": [key.public_jwk()]}).to_string();
    add(
        &mut store,
        jwks(shc_key()).as_bytes(),
        "fuzz shc",
        Some(SHC_FUZZ_ISSUER),
    );
    add(
        &mut store,
        jwks(dcc_key()).as_bytes(),
        "fuzz dcc",
        Some("XX"),
    );
    let certificate = dcc_file()["TESTCTX"]["CERTIFICATE"]
        .as_str()
        .expect("CERTIFICATE")
        .to_owned();
    add(&mut store, certificate.as_bytes(), "dcc certificate", None);
    store
        .add_jwk(SD_JWT_ISSUER, &sd_jwt_issuer_key(), "sd-jwt settings.yml")
        .expect("the RFC 9901 examples' issuer key loads");
    let anchor = include_str!("../../../shared/vectors/vds-nc/au-root/csca_au_rs4096.cer");
    store
        .add_anchor(anchor.as_bytes(), "au csca")
        .expect("the AU CSCA loads");
    store
}

/// The verifier every target uses, built once.
pub fn verifier() -> &'static Verifier {
    static VERIFIER: OnceLock<Verifier> = OnceLock::new();
    VERIFIER.get_or_init(|| Verifier::new(trust(), Policy::default()))
}

/// A payload that must verify at `at`.
pub struct Good {
    pub format: &'static str,
    pub payload: String,
    pub at: i64,
}

fn rfc3339(text: &str) -> i64 {
    vneid_verify::time::parse_rfc3339(text).expect("an RFC 3339 time")
}

fn first_valid(vectors: &str, field: &str) -> (String, i64) {
    let file: Value = serde_json::from_str(vectors).expect("vectors are JSON");
    let vector = file["vectors"]
        .as_array()
        .expect("vectors")
        .iter()
        .find(|v| v["expected"]["valid"] == true && v.get("audience").is_none_or(|a| a.is_string()))
        .expect("a valid vector");
    (
        vector[field].as_str().expect("payload").to_owned(),
        rfc3339(vector["at"].as_str().expect("at")),
    )
}

/// A known-good payload of every format (the ID card QR is never valid, so it is not here).
pub fn goods() -> &'static [Good] {
    static GOODS: OnceLock<Vec<Good>> = OnceLock::new();
    GOODS.get_or_init(|| {
        let (token, token_at) = first_valid(
            include_str!("../../tests/vectors/vneid-token/vectors.json"),
            "token",
        );
        let (document, document_at) = first_valid(
            include_str!("../../tests/vectors/vneid-document/vectors.json"),
            "qr",
        );
        let dcc = dcc_file();
        let seals: Value = serde_json::from_str(include_str!(
            "../../../shared/vectors/vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json"
        ))
        .expect("seals are JSON");
        vec![
            Good {
                format: "vneid_token",
                payload: token,
                at: token_at,
            },
            Good {
                format: "vneid_document",
                payload: document,
                at: document_at,
            },
            Good {
                format: "eu_dcc",
                payload: dcc["PREFIX"].as_str().expect("PREFIX").to_owned(),
                at: rfc3339(dcc["TESTCTX"]["VALIDATIONCLOCK"].as_str().expect("clock")),
            },
            Good {
                format: "shc",
                payload: include_str!("../../../shared/vectors/shc/examples/example-00-d-jws.txt")
                    .trim()
                    .to_owned(),
                at: 1_700_000_000,
            },
            Good {
                format: "vds_nc",
                payload: seals[1].to_string(),
                at: 1_700_000_000,
            },
            Good {
                format: "sd_jwt_vc",
                payload: SD_JWT_EXAMPLE.trim().to_owned(),
                at: SD_JWT_AT,
            },
        ]
    })
}

/// The times the targets verify at: each known-good payload's.
pub fn times() -> Vec<i64> {
    goods().iter().map(|g| g.at).collect()
}

// ---- Invariants -----------------------------------------------------------------------------

/// Verifies `payload` at `at` and checks every invariant: no panic, bounded memory, a
/// well-formed and bounded verdict, and (every 4096 inputs) that every known-good payload still
/// verifies, so that no input leaves anything behind.
pub fn verify_checked(payload: &str, at: i64) -> Verdict {
    let verifier = verifier();
    let verdict = bounded_memory(|| verifier.verify(payload, at));
    fuzzing::check_verdict(&verdict, payload.len(), &verifier.policy().limits);
    static INPUTS: AtomicUsize = AtomicUsize::new(0);
    if INPUTS.fetch_add(1, Ordering::Relaxed) % 4096 == 0 {
        goods_still_verify();
    }
    verdict
}

/// Asserts that every known-good payload verifies.
pub fn goods_still_verify() {
    for good in goods() {
        let verdict = verifier().verify(&good.payload, good.at);
        assert!(
            verdict.valid,
            "the good {} payload no longer verifies: {}",
            good.format, verdict.message
        );
    }
}

// ---- Payloads built around what the fuzzer writes ------------------------------------------

/// The CBOR head of a byte string of `len` bytes.
fn bstr_head(len: usize, out: &mut Vec<u8>) {
    match len {
        0..=23 => out.push(0x40 | len as u8),
        24..=0xff => out.extend([0x58, len as u8]),
        0x100..=0xffff => {
            out.push(0x59);
            out.extend((len as u16).to_be_bytes());
        }
        _ => {
            out.push(0x5a);
            out.extend((len as u32).to_be_bytes());
        }
    }
}

fn bstr(bytes: &[u8], out: &mut Vec<u8>) {
    bstr_head(bytes.len(), out);
    out.extend_from_slice(bytes);
}

/// A tagged COSE_Sign1 over `payload` (any bytes: the fuzzer's CWT), signed with `key`, `kid` in
/// the protected header: written by hand so that it depends on no internal encoder.
pub fn cose_sign1(key: &IssuerKey, payload: &[u8]) -> Vec<u8> {
    // {1: -7, 4: h'kid'}
    let mut protected = vec![0xa2, 0x01, 0x26, 0x04];
    bstr(key.kid().as_bytes(), &mut protected);
    // ["Signature1", protected, h'', payload]
    let mut to_sign = vec![0x84, 0x6a];
    to_sign.extend_from_slice(b"Signature1");
    bstr(&protected, &mut to_sign);
    to_sign.push(0x40);
    bstr(payload, &mut to_sign);
    let signature = key.sign(&to_sign);
    let mut cose = vec![0xd2, 0x84];
    bstr(&protected, &mut cose);
    cose.push(0xa0);
    bstr(payload, &mut cose);
    bstr(&signature, &mut cose);
    cose
}

/// Raw DEFLATE, as SMART Health Cards compress their payload.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 6)
}

/// The ways [`signed`] wraps the fuzzer's bytes.
pub const SIGNED_KINDS: u8 = 8;

/// An SD-JWT presentation from `body`: the issuer-signed claims (JSON) up to the first 0x00, then
/// disclosures (each a JSON array, base64url-encoded here) separated by 0x01. When the claims are
/// an object, the digests of the disclosures are added to its `_sd`, so that the fuzzer's
/// disclosures are matched and processed rather than refused as unreferenced.
pub fn sd_jwt(body: &[u8]) -> String {
    let (claims, disclosures) = match body.iter().position(|&b| b == 0) {
        Some(at) => (&body[..at], &body[at + 1..]),
        None => (body, &[][..]),
    };
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let encoded: Vec<String> = if disclosures.is_empty() {
        Vec::new()
    } else {
        disclosures.split(|&b| b == 1).map(b64).collect()
    };
    let claims = match serde_json::from_slice::<Value>(claims) {
        Ok(Value::Object(mut object)) if !encoded.is_empty() => {
            let digests = encoded
                .iter()
                .map(|d| Value::from(b64(&Sha256::digest(d.as_bytes()))));
            match object.get_mut("_sd") {
                Some(Value::Array(list)) => list.extend(digests),
                _ => {
                    object.insert("_sd".into(), Value::Array(digests.collect()));
                }
            }
            Value::Object(object).to_string().into_bytes()
        }
        _ => claims.to_vec(),
    };
    let mut out = token_key().sign_jws(
        r#"{"alg":"ES256","kid":"test-token-key-1","typ":"dc+sd-jwt"}"#,
        &claims,
    );
    for d in &encoded {
        out.push('~');
        out.push_str(d);
    }
    out.push('~');
    out
}

/// A payload signed by a trusted test key around `body`, the fuzzer's bytes, so that the claims
/// stages see them: `kind` chooses the format and wrapping. Returns the payload and the time.
pub fn signed(kind: u8, body: &[u8]) -> (String, i64) {
    let times = times();
    match kind % SIGNED_KINDS {
        // A VNeID document QR: the CWT claims are the fuzzer's CBOR.
        0 => (
            format!(
                "VN1:{}",
                fuzzing::qr_body(&cose_sign1(&document_key(), body))
            ),
            times[1],
        ),
        // An EU DCC: the CWT is the fuzzer's CBOR.
        1 => (
            format!("HC1:{}", fuzzing::qr_body(&cose_sign1(&dcc_key(), body))),
            times[2],
        ),
        // A VNeID token: the claims are the fuzzer's JSON.
        2 => (
            token_key().sign_jws(
                r#"{"alg":"ES256","kid":"test-token-key-1","typ":"JWT"}"#,
                body,
            ),
            times[0],
        ),
        // An SD-JWT VC presentation: the issuer-signed claims and the disclosures are the fuzzer's.
        7 => (sd_jwt(body), times[0]),
        // A SMART Health Card: the claims are the fuzzer's JSON, compressed; as a JWS, as one QR,
        // in chunks, or in a file.
        kind => {
            let jws = shc_key().sign_jws(
                r#"{"zip":"DEF","alg":"ES256","kid":"fuzz-shc-key"}"#,
                &deflate(body),
            );
            let payload = match kind {
                3 => jws,
                4 => format!("shc:/{}", fuzzing::shc_digits(&jws).unwrap_or_default()),
                5 => {
                    let n = 2 + body.len() % 5;
                    let size = jws.len().div_ceil(n).max(1);
                    let parts: Vec<String> = jws
                        .as_bytes()
                        .chunks(size)
                        .enumerate()
                        .map(|(i, part)| {
                            let part = std::str::from_utf8(part).unwrap_or_default();
                            format!(
                                "shc:/{}/{n}/{}",
                                i + 1,
                                fuzzing::shc_digits(part).unwrap_or_default()
                            )
                        })
                        .collect();
                    parts.join("\n")
                }
                _ => json!({"verifiableCredential": [jws]}).to_string(),
            };
            (payload, times[3])
        }
    }
}

/// Base64 of a known-good SMART Health Card's claims (for seeds).
pub fn shc_claims(jws: &str) -> Option<Vec<u8>> {
    let payload = jws.split('.').nth(1)?;
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    miniz_oxide::inflate::decompress_to_vec(&compressed).ok()
}

// ---- Signed trust bundles -------------------------------------------------------------------

/// The root key the signed-bundle mode of the `trust` target pins.
pub fn root_key() -> IssuerKey {
    key("fuzz-root", "vneid-verify TEST-ONLY fuzz trust root key")
}

/// Loads a signed trust bundle against a pinned root set of [`root_key`]: `bytes` as the
/// envelope itself, or (`sign`) as the payload the root key signs, so that the payload's checks
/// are reached. A refusal has a `trust_*` code and a bounded message; an accepted bundle binds
/// every key to an issuer.
pub fn signed_bundle(bytes: &[u8], sign: bool) {
    static ROOTS: OnceLock<vneid_verify::RootSet> = OnceLock::new();
    let roots = ROOTS.get_or_init(|| {
        let text = json!({"keys": [root_key().public_jwk()], "threshold": 1}).to_string();
        vneid_verify::RootSet::from_json(&text, "fuzz roots").expect("the fuzz root set loads")
    });
    let envelope = if sign {
        vneid_verify::issuer::sign_trust_bundle(bytes, &[&root_key()]).into_bytes()
    } else {
        bytes.to_vec()
    };
    match TrustStore::from_signed_bundle(&envelope, roots, None, 1_800_000_000, 60) {
        Ok(accepted) => assert!(accepted.store.keys().iter().all(|k| !k.issuer.is_empty())),
        Err(e) => {
            assert!(
                e.code().as_str().starts_with("trust_"),
                "a signed bundle refused with {}",
                e.code()
            );
            assert!(e.message_en().chars().count() <= 400);
        }
    }
}
