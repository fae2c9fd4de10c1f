//! The reference issuer: key generation and signing, for tests, samples and integrators trying
//! the profiles. Compiled only with the `issuer` feature (on in the native CLI, never in the
//! WASM package, which is verify-only).
//!
//! Keys made here are test keys. Nothing in this crate trusts them unless a trust file says so.
//!
//! [`IssuerKey`] signs; [`document`] builds and signs VNeID document QRs; [`sd_jwt`] issues
//! SD-JWT VCs and presents them as the reference wallet does; [`cbor`] and
//! [`encode`] are the encoders behind them (the issuer's side of the strict decoders), for tests
//! and tools that build payloads, including deliberately damaged ones.

pub mod document;
pub mod encode;
pub mod sd_jwt;
pub mod vneid_presentation;

/// CBOR values and their encoding (definite lengths, integers in their shortest form).
pub mod cbor {
    pub use crate::encoding::cbor::{encode, Value};
}

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Map, Value};

use crate::encoding::base64url;
use crate::error::{Error, ErrorCode};

/// A P-256 signing key with its key id.
#[derive(Clone, Debug)]
pub struct IssuerKey {
    kid: String,
    key: SigningKey,
}

impl IssuerKey {
    /// A fresh random key from the operating system's generator.
    ///
    /// # Errors
    /// `invalid_option` if the system generator fails.
    pub fn generate(kid: &str) -> Result<IssuerKey, Error> {
        let mut seed = [0u8; 32];
        loop {
            getrandom::fill(&mut seed).map_err(|_| {
                Error::with_detail(ErrorCode::InvalidOption, "no system randomness")
            })?;
            if let Ok(key) = IssuerKey::from_secret_bytes(kid, &seed) {
                return Ok(key);
            }
        }
    }

    /// A key from its 32-byte secret scalar (deterministic test keys).
    ///
    /// # Errors
    /// `invalid_option` when the bytes are zero or not below the group order.
    pub fn from_secret_bytes(kid: &str, secret: &[u8]) -> Result<IssuerKey, Error> {
        let key = SigningKey::from_slice(secret).map_err(|_| {
            Error::with_detail(ErrorCode::InvalidOption, "not a valid P-256 secret scalar")
        })?;
        Ok(IssuerKey {
            kid: kid.to_owned(),
            key,
        })
    }

    /// Reads a private JWK (`kty` EC, `crv` P-256, `d`, and `kid`).
    ///
    /// # Errors
    /// `invalid_option` when the JSON is not such a key.
    pub fn from_jwk(text: &str) -> Result<IssuerKey, Error> {
        let bad =
            |why: &str| Error::with_detail(ErrorCode::InvalidOption, format!("private JWK: {why}"));
        let v: Value = serde_json::from_str(text).map_err(|_| bad("not JSON"))?;
        if v.get("kty").and_then(Value::as_str) != Some("EC")
            || v.get("crv").and_then(Value::as_str) != Some("P-256")
        {
            return Err(bad("must be kty EC, crv P-256"));
        }
        let d = v
            .get("d")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("\"d\" is missing"))?;
        let d = base64url::decode(d).map_err(|_| bad("\"d\" is not base64url"))?;
        let kid = v.get("kid").and_then(Value::as_str).unwrap_or("");
        let key = IssuerKey::from_secret_bytes(kid, &d)?;
        if v.get("x") != key.public_jwk().get("x") || v.get("y") != key.public_jwk().get("y") {
            return Err(bad("\"x\"/\"y\" do not match \"d\""));
        }
        Ok(key)
    }

    /// The key id.
    #[must_use]
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The public JWK (with `kid` unless it is empty, `use: sig`, `alg: ES256`).
    #[must_use]
    pub fn public_jwk(&self) -> Value {
        let mut jwk = self.confirmation_jwk();
        if let Some(members) = jwk.as_object_mut() {
            if !self.kid.is_empty() {
                members.insert("kid".into(), self.kid.clone().into());
            }
            members.insert("use".into(), "sig".into());
            members.insert("alg".into(), "ES256".into());
        }
        jwk
    }

    /// The bare public JWK, `{kty, crv, x, y}`: what an issuer writes into a credential's `cnf`
    /// for this key as a holder key (RFC 7800), and what its RFC 7638 thumbprint covers.
    #[must_use]
    pub fn confirmation_jwk(&self) -> Value {
        let point = self.key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let x = bytes.get(1..33).map(base64url::encode).unwrap_or_default();
        let y = bytes.get(33..65).map(base64url::encode).unwrap_or_default();
        json!({"kty": "EC", "crv": "P-256", "x": x, "y": y})
    }

    /// The private JWK: the public JWK plus `d`. Keep it secret.
    #[must_use]
    pub fn private_jwk(&self) -> Value {
        let mut jwk = self.public_jwk();
        if let Some(members) = jwk.as_object_mut() {
            members.insert(
                "d".into(),
                Value::String(base64url::encode(&self.key.to_bytes())),
            );
        }
        jwk
    }

    /// Signs `message` with ES256, returning r‖s. Deterministic (RFC 6979).
    #[must_use]
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let sig: Signature = self.key.sign(message);
        sig.to_bytes().into()
    }

    /// Signs claims as a compact JWS with header `{"alg":"ES256","typ":"JWT","kid":…}`.
    #[must_use]
    pub fn sign_token(&self, claims: &Map<String, Value>) -> String {
        let mut header = Map::new();
        header.insert("alg".into(), "ES256".into());
        header.insert("typ".into(), "JWT".into());
        header.insert("kid".into(), self.kid.clone().into());
        self.sign_jws(
            &Value::Object(header).to_string(),
            Value::Object(claims.clone()).to_string().as_bytes(),
        )
    }

    /// Signs an arbitrary header text and payload bytes as a compact JWS (for tests that need
    /// unusual headers: this does not check what it signs).
    #[must_use]
    pub fn sign_jws(&self, header_json: &str, payload: &[u8]) -> String {
        let input = format!(
            "{}.{}",
            base64url::encode(header_json.as_bytes()),
            base64url::encode(payload)
        );
        let signature = self.sign(input.as_bytes());
        format!("{input}.{}", base64url::encode(&signature))
    }
}

/// Signs a trust bundle payload (the bundle JSON, with `version`, `issued` and `expires`) as the
/// envelope of `docs/trust.md`: a JWS in JSON serialization with one signature per key, each
/// with the protected header `{"alg":"ES256","kid":…,"typ":"vneid-trust+json"}`. Does not check
/// what it signs: the CLI's `trust sign` verifies the result before writing it.
#[must_use]
pub fn sign_trust_bundle(payload: &[u8], keys: &[&IssuerKey]) -> String {
    let payload_b64 = base64url::encode(payload);
    let signatures: Vec<Value> = keys
        .iter()
        .map(|key| {
            let header = json!({"alg": "ES256", "kid": key.kid, "typ": crate::trust::signed::TYP});
            let protected = base64url::encode(header.to_string().as_bytes());
            let signature = key.sign(format!("{protected}.{payload_b64}").as_bytes());
            json!({"protected": protected, "signature": base64url::encode(&signature)})
        })
        .collect();
    json!({"payload": payload_b64, "signatures": signatures}).to_string()
}

/// Signs a status list (draft-ietf-oauth-status-list-21) as a `statuslist+jwt`: `statuses` one
/// value per entry (each below 2^`bits`), packed from the least significant bit and compressed
/// with zlib at the highest level. `claims` adds to `sub`, `iat` and `status_list` (e.g. `exp`,
/// `ttl`, `iss`).
///
/// # Errors
/// `invalid_option` when `bits` is not 1, 2, 4 or 8 or a status does not fit in it.
pub fn sign_status_list(
    key: &IssuerKey,
    uri: &str,
    bits: u8,
    statuses: &[u8],
    issued_at: i64,
    claims: &Map<String, Value>,
) -> Result<String, Error> {
    if !matches!(bits, 1 | 2 | 4 | 8) {
        return Err(Error::with_detail(
            ErrorCode::InvalidOption,
            "bits must be 1, 2, 4 or 8",
        ));
    }
    let per_byte = 8 / usize::from(bits);
    let mut bytes = vec![0u8; statuses.len().div_ceil(per_byte)];
    for (i, &status) in statuses.iter().enumerate() {
        if bits < 8 && status >> bits != 0 {
            return Err(Error::with_detail(
                ErrorCode::InvalidOption,
                format!("status {status} at index {i} does not fit in {bits} bits"),
            ));
        }
        if let Some(byte) = bytes.get_mut(i / per_byte) {
            *byte |= status << ((i % per_byte) * usize::from(bits));
        }
    }
    let lst = base64url::encode(&miniz_oxide::deflate::compress_to_vec_zlib(&bytes, 10));
    let mut all = claims.clone();
    all.insert("sub".into(), uri.into());
    all.insert("iat".into(), issued_at.into());
    all.insert("status_list".into(), json!({"bits": bits, "lst": lst}));
    let header =
        json!({"alg": "ES256", "kid": key.kid, "typ": crate::trust::status_list::JWT_TYPE});
    Ok(key.sign_jws(
        &header.to_string(),
        Value::Object(all).to_string().as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwk_round_trip_and_signatures_verify() {
        let key = IssuerKey::generate("k1").ok();
        let text = key
            .as_ref()
            .map(|k| k.private_jwk().to_string())
            .unwrap_or_default();
        let back = IssuerKey::from_jwk(&text).ok();
        assert_eq!(
            back.as_ref().map(|k| k.public_jwk()),
            key.as_ref().map(|k| k.public_jwk())
        );
        let jwk = key.as_ref().map(|k| k.public_jwk()).unwrap_or_default();
        let parsed = crate::trust::jwk::parse(&jwk).ok();
        let Some(crate::crypto::PublicKey::P256(vk)) = parsed.map(|p| p.key) else {
            panic!("public JWK must parse");
        };
        let sig = key.map(|k| k.sign(b"hello")).unwrap_or([0; 64]);
        assert!(crate::crypto::es256::verify(&vk, b"hello", &sig));
        assert!(!crate::crypto::es256::verify(&vk, b"hellO", &sig));
    }
}
