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
