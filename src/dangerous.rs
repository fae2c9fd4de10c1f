//! Decoding without verification. **Nothing returned here is authentic.**
//!
//! For debugging tools and for showing a person what a rejected payload claims to be. Never
//! make a decision from these values: use [`Verifier::verify`](crate::Verifier::verify).

use serde_json::{Map, Value};

use crate::encoding::json;
use crate::error::Error;
use crate::formats::cose::{self, CoseRules, CoseSign1};
use crate::formats::jws::{self, JwsRules};
use crate::policy::Limits;

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
/// under `rules` (e.g. [`crate::formats::eu_dcc::COSE_RULES`]). For tools and benchmarks that
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
