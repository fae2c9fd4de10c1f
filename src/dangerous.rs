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
