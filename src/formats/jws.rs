//! Compact JWS (RFC 7515 §7.1) with ES256 only: the layer shared by tokens and SMART Health Cards.
//!
//! Every structural check happens before any key lookup, in this order: size, ASCII, segment
//! count, header size, strict base64url, strict JSON, `alg` (ES256 only; `none` and HMAC never
//! reach a key), `crit` (refused: no extension is understood), `b64`, `cty: JWT` (nesting
//! refused), `zip` (only where the format allows it), signature length (exactly 64 bytes r‖s).
//! The signature is then verified over the received ASCII `header.payload`, never a re-encoding.

use serde_json::{Map, Value};

use super::claims::shorten;
use super::Context;
use crate::crypto::{es256, PublicKey};
use crate::encoding::{base64url, json};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;
use crate::trust::{KeyLookup, TrustStore, TrustedKey};

/// A decoded, not yet verified, compact JWS.
#[derive(Clone, Debug, PartialEq)]
pub struct CompactJws<'a> {
    /// The protected header.
    pub header: Map<String, Value>,
    /// The decoded payload bytes (still compressed if `zip` is set).
    pub payload: Vec<u8>,
    /// The JWS signing input as received: `BASE64URL(header) || '.' || BASE64URL(payload)`.
    pub signing_input: &'a str,
    /// The signature, r‖s.
    pub signature: [u8; es256::SIGNATURE_LEN],
}

impl CompactJws<'_> {
    /// The `kid` header, if present (it was type-checked as a string when decoding).
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// The `zip` header, if present.
    #[must_use]
    pub fn zip(&self) -> Option<&str> {
        self.header.get("zip").and_then(Value::as_str)
    }

    /// Verifies the signature with a trusted key.
    ///
    /// # Errors
    /// `unsupported_key` when the key cannot verify ES256; `signature_invalid` when the
    /// signature does not verify.
    pub fn verify_signature(&self, key: &TrustedKey) -> Result<(), Error> {
        self.verify_with(&key.key)
    }

    /// Verifies the signature with a public key that does not come from the trust store: an
    /// SD-JWT holder key, taken from the issuer-signed `cnf` once that signature verified.
    ///
    /// # Errors
    /// As [`CompactJws::verify_signature`].
    pub fn verify_with(&self, key: &PublicKey) -> Result<(), Error> {
        match key {
            PublicKey::P256(k) => {
                if es256::verify(k, self.signing_input.as_bytes(), &self.signature) {
                    Ok(())
                } else {
                    Err(Error::new(ErrorCode::SignatureInvalid))
                }
            }
            other => Err(Error::with_detail(
                ErrorCode::UnsupportedKey,
                format!(
                    "ES256 needs an EC P-256 key; the trusted key is {}",
                    other.description()
                ),
            )),
        }
    }
}

/// An issuer-signed JWS whose signature verified: its claims and the trusted key.
pub(crate) struct IssuerSigned<'t> {
    /// The claims, authentic.
    pub(crate) claims: Map<String, Value>,
    /// The key that verified them; `claims["iss"]` is its issuer.
    pub(crate) key: &'t TrustedKey,
}

/// A failure of [`verify_issuer_signed`], with the claims when they were parsed before it (a
/// format may classify itself from them, as tokens do from `acr`).
pub(crate) type IssuerSignedError = (Error, Option<Map<String, Value>>);

/// Verifies an issuer-signed JWS (tokens, an SD-JWT's issuer part): the key comes from ONE trust
/// lookup of the issuer's key with the header `kid`, verifies the signature, and is valid at
/// `now`; `iss` is its issuer. With an expected issuer (the caller's `Policy::issuer`) the key is
/// that issuer's and the signature is verified before the payload is parsed; otherwise the
/// unverified `iss` only narrows the keys to that issuer's, and is authentic once the signature
/// verifies with one of them.
///
/// # Errors
/// `json_invalid` (claims), `claim_missing` / `claim_invalid` (`iss`), `issuer_mismatch`,
/// `unknown_issuer`, `unknown_key`, `ambiguous_key`, `unsupported_key`, `signature_invalid`,
/// `key_not_yet_valid`, `key_expired`.
pub(crate) fn verify_issuer_signed<'t>(
    jws: &CompactJws<'_>,
    trust: &'t TrustStore,
    cx: &Context<'_>,
) -> Result<IssuerSigned<'t>, IssuerSignedError> {
    let kid = jws.kid().map(str::as_bytes);
    let parse_claims = || {
        json::parse_object(&jws.payload, cx.limits).map_err(|e| {
            let detail = format!("claims: {}", e.detail().unwrap_or(""));
            (Error::with_detail(e.code(), detail), None)
        })
    };
    let issuer_of = |claims: &Map<String, Value>| -> Result<String, Error> {
        match claims.get("iss") {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(Error::claim_invalid("iss", "must be a string")),
            None => Err(Error::claim_missing("iss")),
        }
    };
    let (claims, key) = match cx.expected_issuer {
        Some(expected) => {
            let key = trust
                .key(KeyLookup::Issuer {
                    issuer: expected,
                    kid,
                })
                .and_then(|key| jws.verify_signature(key).map(|()| key))
                .map_err(|e| (e, None))?;
            (parse_claims()?, key)
        }
        None => {
            let claims = parse_claims()?;
            let key = issuer_of(&claims).and_then(|issuer| {
                let key = trust.key(KeyLookup::Issuer {
                    issuer: &issuer,
                    kid,
                })?;
                jws.verify_signature(key)?;
                Ok(key)
            });
            match key {
                Ok(key) => (claims, key),
                Err(e) => return Err((e, Some(claims))),
            }
        }
    };
    let checked = issuer_of(&claims).and_then(|issuer| {
        if issuer != key.issuer {
            return Err(Error::with_detail(
                ErrorCode::IssuerMismatch,
                format!("\"{}\"; expected \"{}\"", shorten(&issuer), key.issuer),
            ));
        }
        key.check_validity(cx.now)
    });
    match checked {
        Ok(()) => Ok(IssuerSigned { claims, key }),
        Err(e) => Err((e, Some(claims))),
    }
}

/// Which optional JWS features a format allows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JwsRules {
    /// Allow `zip: "DEF"` (SMART Health Cards). Tokens never compress.
    pub allow_zip: bool,
}

/// A compact JWS split into its segments, with its protected header decoded (size, ASCII,
/// segment count, header size, strict base64url, strict JSON) and not yet checked against a
/// format's rules: detection reads `zip` from it to tell a SMART Health Card from a token, then
/// [`Parts::finish`] goes on without decoding anything twice.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Parts<'a> {
    header: Map<String, Value>,
    payload_b64: &'a str,
    signature_b64: &'a str,
    signing_input: &'a str,
}

impl<'a> Parts<'a> {
    /// Splits and decodes the header (see the module docs for the order of checks).
    ///
    /// # Errors
    /// `payload_too_large`, `token_malformed`, `jwe_unsupported`, `header_too_large`,
    /// `base64_invalid`, `json_invalid`.
    pub(crate) fn split(token: &'a str, limits: &Limits) -> Result<Parts<'a>, Error> {
        if token.len() > limits.max_payload_len {
            return Err(Error::too_large(
                ErrorCode::PayloadTooLarge,
                token.len(),
                limits.max_payload_len,
                "bytes",
            ));
        }
        if !token.is_ascii() {
            return Err(Error::with_detail(
                ErrorCode::TokenMalformed,
                "non-ASCII characters",
            ));
        }
        let dots = token.bytes().filter(|&b| b == b'.').count();
        if dots == 4 {
            return Err(Error::new(ErrorCode::JweUnsupported));
        }
        let (Some((header_b64, rest)), 2) = (token.split_once('.'), dots) else {
            return Err(Error::with_detail(
                ErrorCode::TokenMalformed,
                format!("{} segments; a JWS has 3", dots + 1),
            ));
        };
        let Some((payload_b64, signature_b64)) = rest.split_once('.') else {
            return Err(Error::with_detail(
                ErrorCode::TokenMalformed,
                "3 segments expected",
            ));
        };
        if header_b64.is_empty() {
            return Err(Error::with_detail(
                ErrorCode::TokenMalformed,
                "empty header",
            ));
        }
        if header_b64.len() > limits.max_header_len {
            return Err(Error::too_large(
                ErrorCode::HeaderTooLarge,
                header_b64.len(),
                limits.max_header_len,
                "bytes",
            ));
        }
        let header_bytes = base64url::decode(header_b64).map_err(|e| e.context("header"))?;
        let header = json::parse_object(&header_bytes, limits).map_err(|e| e.context("header"))?;
        // The signing input is the token up to the second dot: header, dot, payload.
        let signing_len = header_b64.len() + 1 + payload_b64.len();
        let (signing_input, _) = token
            .split_at_checked(signing_len)
            .ok_or_else(|| Error::with_detail(ErrorCode::TokenMalformed, "3 segments expected"))?;
        Ok(Parts {
            header,
            payload_b64,
            signature_b64,
            signing_input,
        })
    }

    /// True when the header has `zip`: only SMART Health Cards are compressed.
    pub(crate) fn compressed(&self) -> bool {
        self.header.contains_key("zip")
    }

    /// Checks the header against `rules`, then decodes the signature (exactly 64 bytes r‖s) and
    /// the payload. The payload is not verified here: outside the crate, this is reached only
    /// through [`crate::dangerous::decode_token_unverified`].
    ///
    /// # Errors
    /// `header_invalid`, `alg_not_allowed`, `crit_unsupported`, `nested_jwt_unsupported`,
    /// `base64_invalid`, `signature_malformed`.
    pub(crate) fn finish(self, rules: JwsRules) -> Result<CompactJws<'a>, Error> {
        check_header(&self.header, rules)?;
        let signature =
            base64url::decode(self.signature_b64).map_err(|e| e.context("signature"))?;
        let signature: [u8; es256::SIGNATURE_LEN] =
            signature.as_slice().try_into().map_err(|_| {
                Error::with_detail(
                    ErrorCode::SignatureMalformed,
                    format!("{} bytes; ES256 needs 64", signature.len()),
                )
            })?;
        let payload = base64url::decode(self.payload_b64).map_err(|e| e.context("payload"))?;
        Ok(CompactJws {
            header: self.header,
            payload,
            signing_input: self.signing_input,
            signature,
        })
    }
}

/// Decodes a compact JWS and checks its structure and header (see the module docs):
/// [`Parts::split`], then [`Parts::finish`].
///
/// # Errors
/// The codes of both.
pub(crate) fn decode<'a>(
    token: &'a str,
    limits: &Limits,
    rules: JwsRules,
) -> Result<CompactJws<'a>, Error> {
    Parts::split(token, limits)?.finish(rules)
}

/// `alg_not_allowed` for a JSON `alg` other than ES256 (JWS headers and VDS-NC seals), naming
/// at most 32 characters of it.
pub(crate) fn not_es256(alg: &str) -> Error {
    let shown: String = alg.chars().take(32).collect();
    Error::with_detail(
        ErrorCode::AlgNotAllowed,
        format!("alg \"{shown}\"; only ES256"),
    )
}

fn check_header(header: &Map<String, Value>, rules: JwsRules) -> Result<(), Error> {
    match header.get("alg") {
        Some(Value::String(alg)) if alg == "ES256" => {}
        Some(Value::String(alg)) => return Err(not_es256(alg)),
        Some(_) => {
            return Err(Error::with_detail(
                ErrorCode::HeaderInvalid,
                "\"alg\" must be a string",
            ))
        }
        None => {
            return Err(Error::with_detail(
                ErrorCode::HeaderInvalid,
                "\"alg\" is missing",
            ))
        }
    }
    if header.contains_key("crit") {
        return Err(Error::with_detail(
            ErrorCode::CritUnsupported,
            "no extension is understood",
        ));
    }
    if header.contains_key("b64") {
        return Err(Error::with_detail(
            ErrorCode::HeaderInvalid,
            "\"b64\": unencoded payloads are not allowed",
        ));
    }
    match header.get("cty") {
        None => {}
        Some(Value::String(cty)) if cty.eq_ignore_ascii_case("JWT") => {
            return Err(Error::new(ErrorCode::NestedJwtUnsupported));
        }
        Some(Value::String(_)) => {}
        Some(_) => {
            return Err(Error::with_detail(
                ErrorCode::HeaderInvalid,
                "\"cty\" must be a string",
            ))
        }
    }
    match header.get("zip") {
        None => {}
        Some(Value::String(zip)) if rules.allow_zip && zip == "DEF" => {}
        Some(_) if rules.allow_zip => {
            return Err(Error::with_detail(
                ErrorCode::HeaderInvalid,
                "\"zip\" must be \"DEF\"",
            ))
        }
        Some(_) => {
            return Err(Error::with_detail(
                ErrorCode::HeaderInvalid,
                "\"zip\": tokens are never compressed",
            ))
        }
    }
    for name in ["kid", "typ"] {
        if header.get(name).is_some_and(|v| !v.is_string()) {
            return Err(Error::with_detail(
                ErrorCode::HeaderInvalid,
                format!("\"{name}\" must be a string"),
            ));
        }
    }
    Ok(())
}
