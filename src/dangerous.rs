//! Decoding without verification. **Nothing returned here is authentic.**
//!
//! For debugging tools and for showing a person what a rejected payload claims to be. Never
//! make a decision from these values: use [`Verifier::verify`](crate::Verifier::verify).

use serde_json::{Map, Value};

use crate::encoding::json;
use crate::error::Error;
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
