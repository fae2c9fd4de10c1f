//! Decoding without verification. **Nothing returned here is authentic.**
//!
//! For debugging tools and for showing a person what a rejected payload claims to be. Never
//! make a decision from these values: use [`Verifier::verify`](crate::Verifier::verify).

use serde_json::{Map, Value};

use crate::encoding::{cbor, json};
use crate::error::Error;
use crate::formats::cose;
use crate::formats::jws::{self, JwsRules};
use crate::formats::{cose_qr, shc};
use crate::policy::Limits;

pub use crate::encoding::cbor::Value as CborValue;
pub use crate::formats::cose::{Alg as CoseAlg, CoseRules, CoseSign1, KidSource};

/// The unverified protected header and claims of a compact JWS token.
#[derive(Clone, Debug, PartialEq)]
pub struct UnverifiedToken {
    /// The protected header, unverified.
    pub header: Map<String, Value>,
    /// The claims, unverified.
    pub claims: Map<String, Value>,
}

/// Decodes a token's header and claims **without checking the signature**, with the same
/// strict structural checks as verification.
///
/// # Errors
/// The structural error codes of verification (`token_malformed`, `base64_invalid`,
/// `json_invalid`, `alg_not_allowed`...).
pub fn decode_token_unverified(token: &str, limits: &Limits) -> Result<UnverifiedToken, Error> {
    let jws = jws::decode(token.trim(), limits, JwsRules::default())?;
    let claims = json::parse_object(&jws.payload, limits)?;
    Ok(UnverifiedToken {
        header: jws.header,
        claims,
    })
}

/// Decodes a COSE_Sign1 (the structure inside `VN1:` and `HC1:` QR codes, after base45 and
/// zlib) **without checking the signature**, with the same structural checks as verification
/// under `rules` ([`CoseRules::EU_DCC`] or [`CoseRules::VNEID_DOCUMENT`]). For tools and benchmarks that
/// need the signed bytes or the header; the payload is not authentic.
///
/// # Errors
/// `cbor_invalid`, `cose_invalid`, `alg_not_allowed`, `crit_unsupported`, `signature_malformed`.
pub fn decode_cose_sign1_unverified(
    bytes: &[u8],
    limits: &Limits,
    rules: CoseRules,
) -> Result<CoseSign1, Error> {
    cose::decode(bytes, limits, rules)
}

/// A signed trust bundle's contents, decoded **without checking a signature, the version or the
/// dates**: for an operator's `trust inspect`, never for trust decisions (use
/// [`crate::trust::signed::verify`]).
#[derive(Clone, Debug)]
pub struct UnverifiedTrustBundle {
    /// `version`, unverified.
    pub version: u64,
    /// `issued`, unverified.
    pub issued: i64,
    /// `expires`, unverified.
    pub expires: i64,
    /// The `kid` of each signature, in envelope order (none is verified here).
    pub signature_kids: Vec<String>,
    /// The next root set the bundle names, if any.
    pub roots: Option<crate::trust::signed::RootSet>,
    /// The trust members, loaded as a trust file (status lists verified by the bundle's own
    /// issuer keys, as when it is loaded for real).
    pub store: crate::TrustStore,
}

/// Decodes a signed trust bundle **without verifying it** (see [`UnverifiedTrustBundle`]).
///
/// # Errors
/// `trust_unsigned` or `trust_invalid`, as [`crate::trust::signed::verify`] for the same
/// structure.
pub fn decode_trust_bundle_unverified(bytes: &[u8]) -> Result<UnverifiedTrustBundle, Error> {
    let envelope = crate::trust::signed::decode(bytes)?;
    let contents = crate::trust::signed::Contents::parse(&envelope.payload()?)?;
    Ok(UnverifiedTrustBundle {
        version: contents.version,
        issued: contents.issued,
        expires: contents.expires,
        signature_kids: envelope.signatures.iter().map(|s| s.kid.clone()).collect(),
        roots: contents.roots,
        store: contents.store,
    })
}

/// Decodes the body of a `VN1:` or `HC1:` QR (the text after the prefix): base45, then zlib,
/// bounded by `limits.max_decompressed_len`, to the COSE bytes. **Not verified.**
///
/// # Errors
/// `payload_too_large`, `base45_invalid`, `inflate_failed`, `decompressed_too_large`.
pub fn decode_qr_body(body: &str, limits: &Limits) -> Result<Vec<u8>, Error> {
    cose_qr::decode_body(body, limits)
}

/// Decodes one CBOR item (indefinite lengths accepted, as some EU DCC issuers write them) under
/// `limits`. **Not verified.**
///
/// # Errors
/// `cbor_invalid`: malformed, trailing bytes, too deep or too many items.
pub fn decode_cbor(bytes: &[u8], limits: &Limits) -> Result<CborValue, Error> {
    cbor::decode(
        bytes,
        limits,
        cbor::Rules {
            allow_indefinite: true,
        },
    )
}

/// The compact JWS inside the text of a `shc:/` QR: one unchunked QR, or every chunk of one
/// card in any order, separated by whitespace. **Not verified.**
///
/// # Errors
/// `prefix_invalid`, `numeric_invalid`, `chunk_invalid`, `chunks_incomplete`.
pub fn decode_shc_qr(text: &str) -> Result<String, Error> {
    shc::numeric::assemble(text)
}
