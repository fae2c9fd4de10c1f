//! Entry points for the fuzz targets in `fuzz/` (`cargo fuzz`), behind the `fuzzing` feature.
//!
//! Each function runs one internal reader on arbitrary input and asserts what its callers rely
//! on, so that a fuzz target is one call and an invariant broken is a panic the fuzzer reports.
//! The readers themselves are crate-private; this module is the one door to them, agreed so that
//! fuzzing survives any reshaping of the internals. Not public API: nothing here is stable, and
//! a build without the feature has none of it.

// A broken invariant must panic here: that is how the fuzzer reports it.
#![allow(clippy::expect_used, clippy::panic)]

use serde_json::Value as Json;

use crate::encoding::{base45 as b45, base64url as b64, cbor as c, inflate as inf, jcs, json as j};
use crate::error::ErrorCode;
use crate::formats::shc::numeric;
use crate::policy::Limits;
use crate::trust::{Certificate, TrustStore};
use crate::verdict::Verdict;

/// The largest JSON of a rejection, whatever the payload: a code, two messages whose details are
/// at most [`Error::MAX_DETAIL_CHARS`](crate::Error::MAX_DETAIL_CHARS) characters (each escaped
/// in at most 6 bytes), and empty fields.
pub const MAX_REJECTION_JSON: usize = 8 * 1024;

/// Checks what every verdict promises: a rejection has a code and carries nothing from the
/// payload (except the unsigned ID card QR's fields), a verified verdict has no code, and the
/// JSON is one line whose size is bounded by the input (`payload_len` bytes, inflating to at
/// most `limits.max_decompressed_len`).
///
/// # Panics
/// When an invariant is broken: that is the finding.
pub fn check_verdict(verdict: &Verdict, payload_len: usize, limits: &Limits) {
    let json = verdict.to_json();
    assert!(
        !json.contains(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}']),
        "a verdict spans lines: {json}"
    );
    if verdict.valid {
        assert!(
            verdict.code.is_none(),
            "a valid verdict with a code: {json}"
        );
    } else {
        let code = verdict.code.expect("an invalid verdict has a code");
        assert!(
            verdict.issuer.is_none()
                && verdict.subject.is_none()
                && verdict.level.is_none()
                && verdict.claims.is_none(),
            "an invalid verdict presents payload fields: {json}"
        );
        if code != ErrorCode::Unsigned {
            assert!(
                verdict.document.is_none(),
                "a rejection with a document: {json}"
            );
            assert!(
                json.len() <= MAX_REJECTION_JSON,
                "a rejection of {} bytes: {}",
                json.len(),
                json.get(..512).unwrap_or(&json)
            );
            return;
        }
    }
    // Verified claims and the unsigned card's fields come from the payload: at most a constant
    // times what it holds (escaping, base64url of byte strings, labels).
    let held = payload_len.max(limits.max_decompressed_len);
    assert!(
        json.len() <= 16 * held + 16 * 1024,
        "a verdict of {} bytes from {payload_len} bytes",
        json.len()
    );
}

/// The CBOR reader, with and without indefinite lengths. On a decoded item: the diagnostic
/// notation respects its bound, the JSON rendering is at most a constant times the input, and
/// encoding the item and decoding it again gives the same item.
///
/// # Panics
/// When an invariant is broken.
pub fn cbor(bytes: &[u8]) {
    let limits = Limits::default();
    for allow_indefinite in [false, true] {
        let Ok(value) = c::decode(bytes, &limits, c::Rules { allow_indefinite }) else {
            continue;
        };
        assert!(value.diagnostic(64).chars().count() <= 65);
        let json = value.to_json().to_string();
        assert!(
            json.len() <= 16 * bytes.len() + 64,
            "{} bytes of JSON from {} bytes of CBOR",
            json.len(),
            bytes.len()
        );
        let again = c::decode(&c::encode(&value), &limits, c::Rules::default())
            .expect("an item the reader returned encodes to CBOR it reads back");
        assert_eq!(
            again.diagnostic(usize::MAX),
            value.diagnostic(usize::MAX),
            "re-encoding changed the item"
        );
    }
}

/// The strict JSON reader and RFC 8785 canonicalisation: canonical text reads back to a value
/// with the same canonical text, and is at most a constant times the input.
///
/// # Panics
/// When an invariant is broken.
pub fn json(bytes: &[u8]) {
    let limits = Limits::default();
    let Ok(value) = j::parse_value(bytes, &limits) else {
        return;
    };
    let canonical = jcs::canonicalize(&value);
    assert!(
        canonical.len() <= 8 * bytes.len() + 64,
        "{} bytes of canonical JSON from {}",
        canonical.len(),
        bytes.len()
    );
    let again = j::parse_value(canonical.as_bytes(), &limits)
        .expect("canonical JSON of a strict value is strict JSON");
    assert_eq!(
        jcs::canonicalize(&again),
        canonical,
        "canonicalisation is not idempotent"
    );
}

/// Bounded zlib and raw DEFLATE: the output never exceeds the limit.
///
/// # Panics
/// When an invariant is broken.
pub fn inflate(bytes: &[u8]) {
    for limit in [0, 1, 1024, Limits::default().max_decompressed_len] {
        for result in [inf::zlib(bytes, limit), inf::raw(bytes, limit)] {
            match result {
                Ok(out) => assert!(
                    out.len() <= limit,
                    "{} bytes past a limit of {limit}",
                    out.len()
                ),
                Err(e) => assert!(matches!(
                    e.code(),
                    ErrorCode::InflateFailed | ErrorCode::DecompressedTooLarge
                )),
            }
        }
    }
}

/// The X.509 reader on DER, and on the same bytes as PEM text when they are UTF-8.
///
/// # Panics
/// When an invariant is broken.
pub fn der(bytes: &[u8]) {
    if let Ok(certificate) = Certificate::from_der(bytes) {
        assert_eq!(certificate.der, bytes, "a certificate keeps its exact DER");
        let _ = certificate.subject.display();
        let _ = certificate.dcc_kid();
    }
    if let Ok(text) = core::str::from_utf8(bytes) {
        let _ = Certificate::all_from_pem(text);
    }
}

/// Strict base45 and base64url: what decodes re-encodes to the same text (one encoding per
/// value), and any bytes survive encoding and decoding.
///
/// # Panics
/// When an invariant is broken.
pub fn base_encodings(bytes: &[u8]) {
    assert_eq!(
        b45::decode(&b45::encode(bytes)).ok().as_deref(),
        Some(bytes)
    );
    assert_eq!(
        b64::decode(&b64::encode(bytes)).ok().as_deref(),
        Some(bytes)
    );
    let Ok(text) = core::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(decoded) = b45::decode(text) {
        assert_eq!(
            b45::encode(&decoded),
            text,
            "two base45 texts for one value"
        );
    }
    if let Ok(decoded) = b64::decode(text) {
        assert_eq!(
            b64::encode(&decoded),
            text,
            "two base64url texts for one value"
        );
    }
}

/// SMART Health Card QR text: chunk parsing, assembly of a whole payload, and the incremental
/// collector. An assembled card is at most 32 chunks' worth; the collector accepts a chunk only
/// when it parses, and its payload assembles.
///
/// # Panics
/// When an invariant is broken.
pub fn shc_chunks(bytes: &[u8]) {
    let Ok(text) = core::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(jws) = numeric::assemble(text) {
        assert!(jws.len() <= numeric::MAX_ASSEMBLED_JWS_LEN.max(numeric::MAX_SINGLE_JWS_LEN));
        assert!(jws.bytes().all(|b| (b'-'..=b'z').contains(&b)));
    }
    let mut collector = numeric::ShcChunks::new();
    for line in text.split_ascii_whitespace() {
        // The collector, like every payload, ignores surrounding Unicode whitespace.
        let parsed = numeric::parse_chunk(line.trim());
        let added = collector.add(line);
        if parsed.is_err() {
            assert!(
                added.is_err(),
                "the collector took a chunk that does not parse"
            );
        }
        if let Ok(progress) = added {
            assert!(progress.received <= progress.total && progress.total <= numeric::MAX_CHUNKS);
        }
    }
    if let Some(payload) = collector.payload() {
        assert!(
            numeric::assemble(&payload).is_ok(),
            "a complete collection does not assemble"
        );
    }
}

/// Trust loading of any file as users have it: a failure names `trust_invalid` and leaves the
/// store unchanged; a success binds every key to a non-empty issuer.
///
/// # Panics
/// When an invariant is broken.
pub fn trust(bytes: &[u8], issuer: Option<&str>) {
    let mut store = TrustStore::new();
    store
        .add_json(r#"{"iss":"https://already.example","keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"k"}]}"#, "base")
        .expect("the base trust file loads");
    let before = store.clone();
    match store.add_file(bytes, "fuzz", issuer) {
        Ok(()) => assert!(store.keys().iter().all(|k| !k.issuer.is_empty())),
        Err(e) => {
            assert_eq!(e.code(), ErrorCode::TrustInvalid);
            assert!(e.message_en().chars().count() <= 400);
            assert_eq!(store, before, "a failed load changed the store");
        }
    }
}

/// The QR body of COSE bytes, `base45(zlib(cose))`, for targets that build payloads inside valid
/// wrappers.
#[must_use]
pub fn qr_body(cose: &[u8]) -> String {
    crate::formats::cose_qr::encode_body(cose)
}

/// The numeric `shc:/` digits of JWS characters, `None` for characters outside `-`…`z`.
#[must_use]
pub fn shc_digits(jws: &str) -> Option<String> {
    numeric::encode_digits(jws)
}

/// A JSON value's canonical text (for targets that sign what they build).
#[must_use]
pub fn canonical_json(value: &Json) -> String {
    jcs::canonicalize(value)
}

/// The signed payload of a `HC1:`/`VN1:` QR text (after the prefix), unverified: for seeding the
/// targets that re-sign what they fuzz.
#[must_use]
pub fn cose_payload(qr_body: &str) -> Option<Vec<u8>> {
    let limits = Limits::default();
    let cose = crate::formats::cose_qr::decode_body(qr_body, &limits).ok()?;
    crate::formats::cose::decode(&cose, &limits, crate::formats::eu_dcc::COSE_RULES)
        .ok()
        .map(|sign1| sign1.payload)
}
