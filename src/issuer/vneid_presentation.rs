//! The compact VNeID presentation (`VNP1:`, docs/profiles/vneid-presentation.md), the reference
//! issuer's and wallet's side: a credential (`VNC1:`, every disclosure, kept by the wallet) from
//! the same claims as an SD-JWT VC, and presentations of chosen claims with a holder proof.
use serde_json::{Map, Value as Json};

use super::document::{json_to_cbor, protected_header, sign1};
use super::sd_jwt::{Binding, Random};
use super::IssuerKey;
use crate::crypto::sha256;
use crate::encoding::cbor::{self, Value};
use crate::encoding::{base45, base64url};
use crate::error::{Error, ErrorCode};
pub use crate::formats::vneid_presentation::PREFIX;
use crate::formats::vneid_presentation::{decode_text, proof_aad, CNF, CNF_COSE_KEY, NONCE, SD};

/// The text prefix of a wallet's stored credential (every disclosure; never shown to verifiers).
pub const CREDENTIAL_PREFIX: &str = "VNC1:";
use crate::formats::{cose, cwt};
use crate::policy::Limits;

fn bad(why: impl Into<String>) -> Error {
    Error::with_detail(ErrorCode::InvalidOption, why.into())
}

/// A bare public JWK `{kty: EC, crv: P-256, x, y}` as a COSE_Key with a compressed point.
fn cose_key(jwk: &Json) -> Result<Value, Error> {
    let coordinate = |name: &str| {
        jwk.get(name)
            .and_then(Json::as_str)
            .and_then(|c| base64url::decode(c).ok())
            .filter(|c| c.len() == 32)
            .ok_or_else(|| {
                bad(format!(
                    "holder JWK: \"{name}\" must be 32 bytes of base64url"
                ))
            })
    };
    let (x, y) = (coordinate("x")?, coordinate("y")?);
    let odd = y.last().is_some_and(|b| b & 1 == 1);
    Ok(Value::Map(vec![
        (Value::Integer(1), Value::Integer(2)),
        (Value::Integer(-1), Value::Integer(1)),
        (Value::Integer(-2), Value::Bytes(x)),
        (Value::Integer(-3), Value::Bool(odd)),
    ]))
}

fn date(claims: &Map<String, Json>, name: &str) -> Result<Option<Value>, Error> {
    match claims.get(name) {
        None => Ok(None),
        Some(Json::Number(n)) => Ok(Some(match n.as_i64() {
            Some(i) => Value::Integer(i.into()),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        })),
        Some(_) => Err(bad(format!("claim \"{name}\" must be a number"))),
    }
}

/// Issues the compact credential: `VNC1:` + base45([credential, [disclosures]]).
/// `claims` are those of the SD-JWT VC (`iss`, `iat`, `exp`, `vct`…); `disclosable` names
/// top-level claims; `holder` is the bare public JWK written as `cnf`. No decoy digests: the
/// profile fixes the claim set, so the number of digests says nothing, and each costs 34 bytes
/// of every presentation QR.
///
/// # Errors
/// `invalid_option` for a claim that must stay plain, an absent disclosable claim, a bad
/// holder JWK, or `iss` missing.
pub fn issue(
    key: &IssuerKey,
    claims: &Map<String, Json>,
    disclosable: &[&str],
    holder: Option<&Json>,
    random: Random<'_>,
) -> Result<String, Error> {
    let mut claims = claims.clone();
    let iss = claims
        .remove("iss")
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| bad("claims need \"iss\" as a string"))?;
    let mut map = vec![(Value::Integer(cwt::ISS), Value::Text(iss))];
    for (name, label) in [("iat", cwt::IAT), ("exp", cwt::EXP), ("nbf", cwt::NBF)] {
        if let Some(v) = date(&claims, name)? {
            map.push((Value::Integer(label), v));
        }
        claims.remove(name);
    }
    if let Some(jti) = claims.remove("jti") {
        let jti = jti
            .as_str()
            .ok_or_else(|| bad("\"jti\" must be a string"))?;
        map.push((
            Value::Integer(cwt::CTI),
            Value::Bytes(jti.as_bytes().to_vec()),
        ));
    }
    if let Some(holder) = holder {
        map.push((
            Value::Integer(CNF),
            Value::Map(vec![(Value::Integer(CNF_COSE_KEY), cose_key(holder)?)]),
        ));
    }
    let mut disclosures = Vec::new();
    let mut digests = Vec::new();
    for name in disclosable {
        if ["iss", "iat", "exp", "nbf", "jti", "cnf", "vct", "status"].contains(name) {
            return Err(bad(format!("claim \"{name}\" must stay plain")));
        }
        let value = claims
            .remove(*name)
            .ok_or_else(|| bad(format!("no claim \"{name}\" to make disclosable")))?;
        let mut salt = [0u8; 16];
        random(&mut salt)?;
        let bytes = cbor::encode(&Value::Array(vec![
            Value::Bytes(salt.to_vec()),
            json_to_cbor(&value)?,
            Value::Text((*name).to_owned()),
        ]));
        digests.push(sha256(&bytes).to_vec());
        disclosures.push(Value::Bytes(bytes));
    }
    for (name, value) in &claims {
        map.push((Value::Text(name.clone()), json_to_cbor(value)?));
    }
    if !digests.is_empty() {
        digests.sort();
        map.push((
            Value::Text(SD.into()),
            Value::Array(digests.into_iter().map(Value::Bytes).collect()),
        ));
    }
    let payload = cbor::encode(&Value::Map(map));
    let credential = sign1(key, &protected_header(key.kid().as_bytes()), &payload);
    let stored = cbor::encode(&Value::Array(vec![
        Value::Bytes(credential),
        Value::Array(disclosures),
    ]));
    Ok(format!("{CREDENTIAL_PREFIX}{}", base45::encode(&stored)))
}

/// The name of a stored disclosure `[salt, value, name]`.
fn name_of(disclosure: &[u8]) -> Option<String> {
    match cbor::decode(disclosure, &Limits::default(), cbor::Rules::default()).ok()? {
        Value::Array(items) => items.get(2).and_then(Value::as_text).map(str::to_owned),
        _ => None,
    }
}

/// Presents a compact credential: the disclosures of the claims named in `disclose`, and a
/// holder proof signed by `holder` when `binding` is given: `VNP1:` + base45(zlib(…)).
///
/// # Errors
/// `invalid_option` for a name no disclosure has, or a binding without a holder key; the
/// decoding codes when `credential` is not a `VNC1:` credential.
pub fn present(
    credential: &str,
    disclose: &[&str],
    holder: Option<&IssuerKey>,
    binding: Option<&Binding<'_>>,
) -> Result<String, Error> {
    let limits = Limits::default();
    let bytes = decode_text(credential.trim(), CREDENTIAL_PREFIX, &limits)?;
    let stored = cbor::decode(&bytes, &limits, cbor::Rules::default())?;
    let Value::Array(items) = stored else {
        return Err(bad("not a VNC1 credential"));
    };
    let mut items = items.into_iter();
    let (Some(Value::Bytes(credential)), Some(Value::Array(all)), None) =
        (items.next(), items.next(), items.next())
    else {
        return Err(bad("not a VNC1 credential"));
    };
    let all: Vec<Vec<u8>> = all
        .into_iter()
        .filter_map(|d| match d {
            Value::Bytes(b) => Some(b),
            _ => None,
        })
        .collect();
    for wanted in disclose {
        if !all.iter().any(|d| name_of(d).as_deref() == Some(*wanted)) {
            return Err(bad(format!("no disclosure for claim \"{wanted}\"")));
        }
    }
    let chosen: Vec<Vec<u8>> = all
        .into_iter()
        .filter(|d| name_of(d).is_some_and(|n| disclose.contains(&n.as_str())))
        .collect();
    let mut parts = vec![
        Value::Bytes(credential.clone()),
        Value::Array(chosen.iter().cloned().map(Value::Bytes).collect()),
    ];
    if let Some(binding) = binding {
        let holder = holder.ok_or_else(|| bad("a holder proof needs the holder key"))?;
        let protected = cbor::encode(&Value::Map(vec![(
            Value::Integer(cose::HEADER_ALG),
            Value::Integer(-7),
        )]));
        let payload = cbor::encode(&Value::Map(vec![
            (
                Value::Integer(cwt::AUD),
                Value::Text(binding.audience.to_owned()),
            ),
            (
                Value::Integer(cwt::IAT),
                Value::Integer(binding.issued_at.into()),
            ),
            (Value::Integer(NONCE), Value::Text(binding.nonce.to_owned())),
        ]));
        let aad = proof_aad(&credential, &chosen);
        let signature = holder.sign(&cose::sig_structure_with_aad(&protected, &aad, &payload));
        let proof = cbor::encode(&Value::Tag(
            cose::TAG_COSE_SIGN1,
            Box::new(Value::Array(vec![
                Value::Bytes(protected),
                Value::Map(vec![]),
                Value::Bytes(payload),
                Value::Bytes(signature.to_vec()),
            ])),
        ));
        parts.push(Value::Bytes(proof));
    }
    let bytes = cbor::encode(&Value::Array(parts));
    Ok(format!("{PREFIX}{}", base45::encode(&bytes)))
}
