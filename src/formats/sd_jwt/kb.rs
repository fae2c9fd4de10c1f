//! The key-binding JWT (RFC 9901 §4.3, §7.3 step 5), the format's part: structure, the holder
//! key, the signature, and `sd_hash`. What depends on the verifier's policy (is binding
//! required, the expected `aud` and `nonce`, the proof's age, replay) is checked afterwards, in
//! the policy stage ([`crate::holder`]), from the [`HolderProof`] returned here.
//!
//! The holder key is taken **only** from the issuer-signed `cnf` (`{"jwk": {…}}`, an EC P-256
//! public key), never from a header of the KB-JWT (`jwk`, `kid`, `x5c` there are ignored).

use serde_json::{Map, Value};

use crate::crypto::{sha256, PublicKey};
use crate::encoding::{base64url, json};
use crate::error::{Error, ErrorCode};
use crate::formats::claims::json_numeric_date;
use crate::formats::jws::{self, JwsRules};
use crate::holder::HolderProof;
use crate::policy::Limits;
use crate::trust::jwk;

/// The `typ` a key-binding JWT must carry.
pub const KB_TYP: &str = "kb+jwt";

/// The holder key from the issuer-signed `cnf` claim: `{"jwk": <EC P-256 public JWK>}`.
///
/// # Errors
/// `claim_invalid` naming `cnf` when it is not such an object (other confirmation methods, such
/// as `jkt` or `kid`, cannot be verified offline and are refused).
pub(crate) fn holder_key(cnf: &Value) -> Result<PublicKey, Error> {
    let jwk = cnf
        .as_object()
        .and_then(|c| c.get("jwk"))
        .ok_or_else(|| Error::claim_invalid("cnf", "must be an object with a \"jwk\" member"))?;
    jwk::parse(jwk)
        .map(|parsed| parsed.key)
        .map_err(|reason| Error::claim_invalid("cnf", &format!("jwk: {reason}")))
}

/// The RFC 7638 thumbprint of the holder's P-256 JWK: base64url(SHA-256) of
/// `{"crv":"P-256","kty":"EC","x":…,"y":…}`.
#[must_use]
pub(crate) fn thumbprint(key: &PublicKey) -> Option<String> {
    let PublicKey::P256(key) = key else {
        return None;
    };
    let bytes = key.to_sec1_uncompressed();
    let x = base64url::encode(bytes.get(1..33)?);
    let y = base64url::encode(bytes.get(33..65)?);
    let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
    Some(base64url::encode(&sha256(canonical.as_bytes())))
}

/// Verifies the KB-JWT's structure, `typ`, ES256 signature with `holder`, its claims' types,
/// and `sd_hash` over `presented` (`<issuer JWT>~<D1>~…~<Dn>~` exactly as received).
///
/// # Errors
/// The JWS structure codes; `typ_invalid`; `signature_invalid`; `claim_missing` /
/// `claim_invalid` for `iat`, `aud` (one string), `nonce`, `sd_hash`; `sd_hash_mismatch`.
/// Every detail starts with `key-binding JWT`.
pub(crate) fn verify(
    kb_jwt: &str,
    holder: &PublicKey,
    presented: &str,
    limits: &Limits,
) -> Result<HolderProof, Error> {
    check(kb_jwt, holder, presented, limits).map_err(|e| e.context("key-binding JWT"))
}

fn check(
    kb_jwt: &str,
    holder: &PublicKey,
    presented: &str,
    limits: &Limits,
) -> Result<HolderProof, Error> {
    let jws = jws::decode(kb_jwt, limits, JwsRules::default())?;
    match jws.header.get("typ").and_then(Value::as_str) {
        Some(typ) if typ.eq_ignore_ascii_case(KB_TYP) => {}
        Some(typ) => {
            return Err(Error::with_detail(
                ErrorCode::TypInvalid,
                format!(
                    "typ \"{}\"; expected \"{KB_TYP}\"",
                    crate::formats::claims::shorten(typ)
                ),
            ))
        }
        None => {
            return Err(Error::with_detail(
                ErrorCode::TypInvalid,
                format!("no typ; expected \"{KB_TYP}\""),
            ))
        }
    }
    jws.verify_with(holder)?;
    let claims = json::parse_object(&jws.payload, limits)?;
    let issued_at =
        json_numeric_date(&claims, "iat")?.ok_or_else(|| Error::claim_missing("iat"))?;
    let audience = match claims.get("aud") {
        Some(Value::String(aud)) => aud.clone(),
        Some(_) => return Err(Error::claim_invalid("aud", "must be a single string")),
        None => return Err(Error::claim_missing("aud")),
    };
    let nonce = required_string(&claims, "nonce")?.to_owned();
    let sd_hash = required_string(&claims, "sd_hash")?;
    if sd_hash != base64url::encode(&sha256(presented.as_bytes())) {
        return Err(Error::with_detail(
            ErrorCode::SdHashMismatch,
            "sd_hash is not the hash of the credential and disclosures presented",
        ));
    }
    Ok(HolderProof {
        id: sha256(jws.signing_input.as_bytes()),
        issued_at,
        audience,
        nonce,
        thumbprint: thumbprint(holder),
    })
}

fn required_string<'a>(claims: &'a Map<String, Value>, name: &str) -> Result<&'a str, Error> {
    match claims.get(name) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(Error::claim_invalid(name, "must be a string")),
        None => Err(Error::claim_missing(name)),
    }
}
