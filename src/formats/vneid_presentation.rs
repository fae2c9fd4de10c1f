//! The compact VNeID presentation QR (docs/profiles/vneid-presentation.md): the same
//! presentation as an SD-JWT VC with a key-binding JWT, in CBOR and COSE so that it fits a QR code
//! of version 20 or less at error correction M.
//!
//! ```text
//! "VNP1:" base45( [ credential: bstr .cbor COSE_Sign1,
//!                   disclosures: [* bstr .cbor [salt: bstr, value, name: tstr]],
//!                   ? proof: bstr .cbor COSE_Sign1 ] )
//! credential claims = { 1 iss, 6 iat, 4 exp, ?5 nbf, ?7 cti, ?8 cnf: {1: COSE_Key},
//!                       "vct": tstr, ?"_sd": [* bstr(32)], * tstr => any }
//! proof claims      = { 3 aud: tstr, 6 iat, 10 nonce: tstr }, signed with
//!                     external_aad = [credential bstr, [disclosure bstrs]]
//! ```
//!
//! Unlike `VN1:` there is no zlib layer: digests, salts, keys and signatures do not compress,
//! and its header and checksum cost 11 bytes (16 QR characters) of a tight budget.
//!
//! It verifies to the same verdict as the SD-JWT form (its `format` aside): the same issuer key
//! by `iss` + `kid`, the CWT claims under their JWT names (`cnf` as `{"jwk": …}`, `cti` as
//! `jti`), each disclosure's SHA-256 found exactly once in `_sd`, the same claims that must stay
//! plain, the same claim checks ([`super::sd_jwt::credential`]); the holder proof, verified
//! with the `cnf` key only and bound to exactly the credential and disclosures shown, then goes
//! through the same policy stage, holder binding and replay cache. Only
//! top-level claims are selectively disclosable in this form.

use std::collections::BTreeSet;

use serde_json::{Map, Value as Json};

use super::claims::shorten;
use super::cose::{self, Alg, CoseRules};
use super::cose_qr;
use super::cwt::{self, Claims};
use super::sd_jwt::{self, kb};
use super::vneid_document::COSE_RULES;
use super::{Context, Verified};
use crate::crypto::{es256, sha256, PublicKey};
use crate::encoding::cbor::{self, Value};
use crate::encoding::{base45, base64url};
use crate::error::{Error, ErrorCode};
use crate::holder::HolderProof;
use crate::policy::Limits;
use crate::trust::{KeyLookup, TrustStore};
use crate::verdict::Format;

/// The QR text prefix of a presentation.
pub const PREFIX: &str = "VNP1:";
/// CWT claim key `cnf` (RFC 8747).
pub const CNF: i128 = 8;
/// CWT claim key `nonce` (RFC 9711 `eat_nonce`).
pub const NONCE: i128 = 10;
/// `cnf` member holding a COSE_Key (RFC 8747 §3.1).
pub const CNF_COSE_KEY: i128 = 1;
/// The claim holding the digests of the selectively disclosable claims.
pub const SD: &str = "_sd";

/// The holder proof's COSE rules: tagged, ES256 in the protected header, nothing unprotected.
const PROOF_RULES: CoseRules = CoseRules {
    require_tag: true,
    allow_cwt_tag: false,
    allow_unprotected_kid: false,
    require_empty_unprotected: true,
    algorithms: &[Alg::Es256],
};

/// JWT names that the CWT form writes as registered integer keys only.
const REGISTERED_NAMES: [&str; 7] = ["iss", "exp", "nbf", "iat", "jti", "cnf", "_sd_alg"];

/// The three parts of a presentation, as received.
struct Parts {
    credential: Vec<u8>,
    disclosures: Vec<Vec<u8>>,
    proof: Option<Vec<u8>>,
}

fn structure(detail: impl Into<String>) -> Error {
    Error::with_detail(ErrorCode::CborInvalid, detail)
}

/// `[credential bstr, [* bstr], ? proof bstr]`.
fn parts(bytes: &[u8], limits: &Limits) -> Result<Parts, Error> {
    let Value::Array(items) = cbor::decode(bytes, limits, cbor::Rules::default())? else {
        return Err(structure("a presentation is an array"));
    };
    let mut items = items.into_iter();
    let (Some(Value::Bytes(credential)), Some(Value::Array(disclosures))) =
        (items.next(), items.next())
    else {
        return Err(structure(
            "a presentation is [credential bytes, [disclosure bytes], ? proof bytes]",
        ));
    };
    let proof = match items.next() {
        None => None,
        Some(Value::Bytes(proof)) => Some(proof),
        Some(_) => return Err(structure("the holder proof must be a byte string")),
    };
    if items.next().is_some() {
        return Err(structure("a presentation has at most 3 elements"));
    }
    if disclosures.len() > limits.max_disclosures {
        return Err(Error::with_detail(
            ErrorCode::PayloadTooLarge,
            format!(
                "{} disclosures; limit {}",
                disclosures.len(),
                limits.max_disclosures
            ),
        ));
    }
    let disclosures = disclosures
        .into_iter()
        .map(|d| match d {
            Value::Bytes(b) => Ok(b),
            _ => Err(structure("each disclosure must be a byte string")),
        })
        .collect::<Result<_, _>>()?;
    Ok(Parts {
        credential,
        disclosures,
        proof,
    })
}

/// The bytes of a `VNP1:` (or `VNC1:`) text: the prefix, then base45, bounded by what one QR
/// code holds.
///
/// # Errors
/// `prefix_invalid`, `payload_too_large`, `base45_invalid`.
pub(crate) fn decode_text(text: &str, prefix: &str, limits: &Limits) -> Result<Vec<u8>, Error> {
    let body = cose_qr::strip_prefix(text, prefix)?;
    let max = cose_qr::MAX_QR_TEXT.min(limits.max_payload_len);
    if body.len() > max {
        return Err(Error::with_detail(
            ErrorCode::PayloadTooLarge,
            format!("{} characters; a QR code holds at most {max}", body.len()),
        ));
    }
    base45::decode(body)
}

/// The bytes the holder proof signs besides its own claims: exactly the credential and the
/// disclosures shown, `[credential bstr, [disclosure bstrs]]` in shortest-form CBOR.
#[must_use]
pub fn proof_aad(credential: &[u8], disclosures: &[Vec<u8>]) -> Vec<u8> {
    let total: usize = disclosures.iter().map(|d| d.len() + 9).sum();
    let mut out = Vec::with_capacity(credential.len() + total + 20);
    cbor::head(4, 2, &mut out);
    cbor::head(2, credential.len() as u64, &mut out);
    out.extend_from_slice(credential);
    cbor::head(4, disclosures.len() as u64, &mut out);
    for d in disclosures {
        cbor::head(2, d.len() as u64, &mut out);
        out.extend_from_slice(d);
    }
    out
}

/// Verifies a `VNP1:` presentation (see the module docs): the credential, its disclosures and,
/// when there is one, the holder's proof, handed to the policy stage as
/// [`Verified::holder_proof`].
///
/// # Errors
/// The text and COSE codes of the `VN1:` chain, and every code of [`super::sd_jwt`].
pub(crate) fn verify(
    payload: &str,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let limits = cx.limits;
    let parts = parts(&decode_text(payload, PREFIX, limits)?, limits)?;

    // The credential: COSE as for VN1 documents, the key by iss + kid, the signature.
    let sign1 = cose::decode(&parts.credential, limits, COSE_RULES)?;
    let kid = sign1.kid().ok_or_else(|| {
        Error::with_detail(ErrorCode::CoseInvalid, "the protected header has no kid")
    })?;
    let cwt = Claims::parse(&sign1.payload, limits, cbor::Rules::default())?;
    let issuer = cwt
        .iss
        .as_deref()
        .ok_or_else(|| Error::claim_missing("iss"))?;
    let key = trust.key(KeyLookup::Issuer {
        issuer,
        kid: Some(kid),
    })?;
    sign1.verify_signature(key)?;
    key.check_validity(cx.now)?;

    // The claims under their JWT names, then the disclosures, then what SD-JWT checks.
    let (mut claims, digests) = json_claims(&cwt)?;
    let disclosed = disclose(&mut claims, &digests, &parts.disclosures, limits)?;
    let mut verified =
        sd_jwt::credential(Format::VneidPresentation, claims, &disclosed, true, key, cx)?;

    // The holder proof, with the cnf key only, over exactly what was shown; its audience is the
    // presentation's.
    if let Some(proof) = &parts.proof {
        let holder = sd_jwt::holder_key_of(&verified)?;
        let aad = proof_aad(&parts.credential, &parts.disclosures);
        let proof =
            holder_proof(proof, &holder, &aad, limits).map_err(|e| e.context("holder proof"))?;
        verified.audience = Some(vec![proof.audience.clone()]);
        verified.holder_proof = Some(proof);
    }
    Ok(verified)
}

/// JWT claims and the `_sd` digests of a compact credential.
type JsonClaims = (Map<String, Json>, Vec<Vec<u8>>);

/// The credential's CWT claims as JWT claims, and the `_sd` digests.
fn json_claims(cwt: &Claims) -> Result<JsonClaims, Error> {
    let mut claims = Map::new();
    let mut digests = Vec::new();
    for (key, value) in &cwt.map {
        let (name, rendered) = match key {
            Value::Integer(cwt::ISS) => ("iss", value.to_json()),
            Value::Integer(cwt::EXP) => ("exp", value.to_json()),
            Value::Integer(cwt::NBF) => ("nbf", value.to_json()),
            Value::Integer(cwt::IAT) => ("iat", value.to_json()),
            Value::Integer(cwt::CTI) => {
                let jti = value
                    .as_bytes()
                    .and_then(|b| core::str::from_utf8(b).ok())
                    .ok_or_else(|| Error::claim_invalid("cti", "must be UTF-8 bytes (the jti)"))?;
                ("jti", Json::String(jti.to_owned()))
            }
            Value::Integer(CNF) => ("cnf", cnf_json(value)?),
            Value::Text(name) if name == SD => {
                digests = digest_list(value)?;
                continue;
            }
            Value::Text(name) if REGISTERED_NAMES.contains(&name.as_str()) => {
                return Err(Error::claim_invalid(
                    name,
                    "is written under its registered CWT key, not as text",
                ))
            }
            Value::Text(name) => {
                claims.insert(name.clone(), value.to_json());
                continue;
            }
            other => {
                return Err(Error::with_detail(
                    ErrorCode::ClaimInvalid,
                    format!(
                        "claim {} is not part of the profile",
                        other.diagnostic(super::claims::SHORT_VALUE_CHARS)
                    ),
                ))
            }
        };
        claims.insert(name.to_owned(), rendered);
    }
    Ok((claims, digests))
}

/// `_sd`: an array of 32-byte SHA-256 digests, none twice.
fn digest_list(value: &Value) -> Result<Vec<Vec<u8>>, Error> {
    let items = match value {
        Value::Array(items) => items,
        _ => {
            return Err(Error::claim_invalid(
                SD,
                "must be an array of 32-byte digests",
            ))
        }
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::Bytes(d) if d.len() == 32 => {
                if !seen.insert(d.as_slice()) {
                    return Err(Error::with_detail(
                        ErrorCode::DisclosureDuplicated,
                        format!("digest {} appears more than once", base64url::encode(d)),
                    ));
                }
                out.push(d.clone());
            }
            _ => {
                return Err(Error::claim_invalid(
                    SD,
                    "must be an array of 32-byte digests",
                ))
            }
        }
    }
    Ok(out)
}

/// `cnf` `{1: COSE_Key}` as the JWT form's `{"jwk": {kty, crv, x, y}}`. The COSE_Key is EC2
/// P-256 (`{1: 2, -1: 1, -2: x, -3: y}`), `y` as 32 bytes or as its sign bit (a compressed
/// point, RFC 9053 §7.1.1), and nothing else.
fn cnf_json(value: &Value) -> Result<Json, Error> {
    let bad = |why: &str| Error::claim_invalid("cnf", why);
    let entries = value
        .as_map()
        .ok_or_else(|| bad("must be a map {1: COSE_Key}"))?;
    let [(Value::Integer(CNF_COSE_KEY), key)] = entries else {
        return Err(bad("must be exactly {1: COSE_Key}"));
    };
    let members = key
        .as_map()
        .ok_or_else(|| bad("the COSE_Key must be a map"))?;
    if members.len() != 4 {
        return Err(bad("the COSE_Key has exactly kty, crv, x and y"));
    }
    if key.get_int(1) != Some(&Value::Integer(2)) || key.get_int(-1) != Some(&Value::Integer(1)) {
        return Err(bad("the COSE_Key must be EC2 (kty 2) on P-256 (crv 1)"));
    }
    let x = key
        .get_int(-2)
        .and_then(Value::as_bytes)
        .filter(|x| x.len() == 32)
        .ok_or_else(|| bad("x must be 32 bytes"))?;
    let point = match key.get_int(-3) {
        Some(Value::Bytes(y)) if y.len() == 32 => es256::key_from_coordinates(x, y),
        Some(Value::Bool(odd)) => {
            let mut sec1 = vec![if *odd { 3 } else { 2 }];
            sec1.extend_from_slice(x);
            es256::key_from_sec1(&sec1)
        }
        _ => return Err(bad("y must be 32 bytes or a sign bit")),
    }
    .ok_or_else(|| bad("the point is not on the P-256 curve"))?;
    let uncompressed = point.to_sec1_uncompressed();
    let bytes = uncompressed.as_slice();
    let coordinate = |range: core::ops::Range<usize>| {
        Json::String(base64url::encode(bytes.get(range).unwrap_or_default()))
    };
    let mut jwk = Map::new();
    jwk.insert("kty".into(), Json::String("EC".into()));
    jwk.insert("crv".into(), Json::String("P-256".into()));
    jwk.insert("x".into(), coordinate(1..33));
    jwk.insert("y".into(), coordinate(33..65));
    let mut cnf = Map::new();
    cnf.insert("jwk".into(), Json::Object(jwk));
    Ok(Json::Object(cnf))
}

/// Inserts the disclosed claims: each disclosure `[salt, value, name]` found exactly once among
/// the digests, never named `_sd` or `...`, never over an existing claim. Returns their names.
fn disclose(
    claims: &mut Map<String, Json>,
    digests: &[Vec<u8>],
    disclosures: &[Vec<u8>],
    limits: &Limits,
) -> Result<Vec<String>, Error> {
    let mut seen: BTreeSet<[u8; 32]> = BTreeSet::new();
    let mut names = Vec::with_capacity(disclosures.len());
    for (i, bytes) in disclosures.iter().enumerate() {
        let n = i + 1;
        let bad = |why: &str| {
            Error::with_detail(
                ErrorCode::DisclosureInvalid,
                format!("disclosure {n}: {why}"),
            )
        };
        let digest = sha256(bytes);
        if !seen.insert(digest) {
            return Err(Error::with_detail(
                ErrorCode::DisclosureDuplicated,
                format!("disclosure {n} repeats an earlier one"),
            ));
        }
        let value = cbor::decode(bytes, limits, cbor::Rules::default())
            .map_err(|e| bad(&format!("not CBOR: {}", e.detail().unwrap_or(""))))?;
        let (value, name) = match value {
            Value::Array(items) => match <[Value; 3]>::try_from(items) {
                Ok([Value::Bytes(_), value, Value::Text(name)]) => (value, name),
                Ok(_) => return Err(bad("must be [salt: bytes, value, name: text]")),
                Err(items) => {
                    return Err(bad(&format!(
                        "{} elements; a disclosure here is [salt, value, name]",
                        items.len()
                    )))
                }
            },
            _ => return Err(bad("not an array")),
        };
        if !digests.iter().any(|d| d.as_slice() == digest) {
            return Err(Error::with_detail(
                ErrorCode::DisclosureUnreferenced,
                format!(
                    "disclosure {n} (claim \"{}\") matches no digest of the credential",
                    shorten(&name)
                ),
            ));
        }
        if name == SD || name == "..." {
            return Err(bad(&format!("the claim name \"{name}\" is reserved")));
        }
        if claims.contains_key(&name) {
            return Err(bad(&format!("claim \"{}\" already exists", shorten(&name))));
        }
        claims.insert(name.clone(), value.to_json());
        names.push(name);
    }
    Ok(names)
}

/// Verifies the holder proof: COSE_Sign1, ES256, signed by `holder` over its claims and `aad`.
fn holder_proof(
    bytes: &[u8],
    holder: &PublicKey,
    aad: &[u8],
    limits: &Limits,
) -> Result<HolderProof, Error> {
    let sign1 = cose::decode(bytes, limits, PROOF_RULES)?;
    sign1.verify_with_aad(holder, aad)?;
    let claims = Claims::parse(&sign1.payload, limits, cbor::Rules::default())?;
    if let Some((key, _)) = claims
        .map
        .iter()
        .find(|(k, _)| !matches!(k, Value::Integer(n) if [cwt::AUD, cwt::IAT, NONCE].contains(n)))
    {
        return Err(Error::with_detail(
            ErrorCode::ClaimInvalid,
            format!(
                "claim {} is not part of a holder proof",
                key.diagnostic(super::claims::SHORT_VALUE_CHARS)
            ),
        ));
    }
    let text = |key: i128, name: &str| match claims.get(key) {
        Some(Value::Text(s)) => Ok(s.clone()),
        Some(_) => Err(Error::claim_invalid(name, "must be text")),
        None => Err(Error::claim_missing(name)),
    };
    Ok(HolderProof {
        id: sha256(&sign1.signed_bytes_with_aad(aad)),
        issued_at: claims.iat.ok_or_else(|| Error::claim_missing("iat"))?,
        audience: text(cwt::AUD, "aud")?,
        nonce: text(NONCE, "nonce")?,
        thumbprint: kb::thumbprint(holder),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_map(entries: Vec<(i128, Value)>) -> Value {
        Value::Map(vec![(
            Value::Integer(CNF_COSE_KEY),
            Value::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| (Value::Integer(k), v))
                    .collect(),
            ),
        )])
    }

    #[test]
    fn the_proof_covers_the_shortest_encoding_of_what_was_shown() {
        let disclosures = vec![vec![1u8; 30], vec![2u8; 300]];
        assert_eq!(
            proof_aad(&[9u8; 500], &disclosures),
            cbor::encode(&Value::Array(vec![
                Value::Bytes(vec![9; 500]),
                Value::Array(disclosures.into_iter().map(Value::Bytes).collect()),
            ]))
        );
    }

    #[test]
    fn a_cose_key_becomes_the_same_jwk_compressed_or_not() {
        // The P-256 generator: x and y of G.
        let x =
            base64url::decode("axfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY").unwrap_or_default();
        let y =
            base64url::decode("T-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU").unwrap_or_default();
        let full = key_map(vec![
            (1, Value::Integer(2)),
            (-1, Value::Integer(1)),
            (-2, Value::Bytes(x.clone())),
            (-3, Value::Bytes(y.clone())),
        ]);
        let odd = y.last().is_some_and(|b| b & 1 == 1);
        let compressed = key_map(vec![
            (1, Value::Integer(2)),
            (-1, Value::Integer(1)),
            (-2, Value::Bytes(x.clone())),
            (-3, Value::Bool(odd)),
        ]);
        let a = cnf_json(&full).ok();
        assert!(a.is_some());
        assert_eq!(a, cnf_json(&compressed).ok());
        let code = |v: &Value| cnf_json(v).map_err(|e| e.code()).err();
        for bad in [
            key_map(vec![
                (1, Value::Integer(2)),
                (-1, Value::Integer(2)),
                (-2, Value::Bytes(x.clone())),
                (-3, Value::Bool(odd)),
            ]),
            key_map(vec![
                (1, Value::Integer(1)),
                (-1, Value::Integer(1)),
                (-2, Value::Bytes(x.clone())),
                (-3, Value::Bool(odd)),
            ]),
            key_map(vec![
                (1, Value::Integer(2)),
                (-1, Value::Integer(1)),
                (-2, Value::Bytes(vec![0xff; 32])),
                (-3, Value::Bool(odd)),
            ]),
            key_map(vec![
                (1, Value::Integer(2)),
                (-1, Value::Integer(1)),
                (-2, Value::Bytes(x.clone())),
            ]),
            key_map(vec![
                (1, Value::Integer(2)),
                (-1, Value::Integer(1)),
                (-2, Value::Bytes(x.clone())),
                (-3, Value::Bool(odd)),
                (2, Value::Bytes(vec![1])),
            ]),
            Value::Map(vec![]),
            Value::Integer(1),
        ] {
            assert_eq!(code(&bad), Some(ErrorCode::ClaimInvalid));
        }
    }

    #[test]
    fn registered_claims_have_one_spelling_and_disclosures_one_shape() {
        let claims = |entries: Vec<(Value, Value)>| {
            Claims::parse(
                &cbor::encode(&Value::Map(entries)),
                &Limits::default(),
                cbor::Rules::default(),
            )
            .and_then(|c| json_claims(&c))
            .map(|(claims, _)| claims)
            .map_err(|e| e.code())
        };
        assert_eq!(
            claims(vec![(Value::Text("iss".into()), Value::Text("x".into()))]).err(),
            Some(ErrorCode::ClaimInvalid)
        );
        assert_eq!(
            claims(vec![(Value::Integer(99), Value::Integer(1))]).err(),
            Some(ErrorCode::ClaimInvalid)
        );
        assert_eq!(
            claims(vec![(
                Value::Text(SD.into()),
                Value::Array(vec![Value::Bytes(vec![0; 31])])
            )])
            .err(),
            Some(ErrorCode::ClaimInvalid)
        );
        let d = vec![7u8; 32];
        assert_eq!(
            claims(vec![(
                Value::Text(SD.into()),
                Value::Array(vec![Value::Bytes(d.clone()), Value::Bytes(d)])
            )])
            .err(),
            Some(ErrorCode::DisclosureDuplicated)
        );
        // A 2-element (array element) disclosure is not part of the compact form.
        let element = cbor::encode(&Value::Array(vec![
            Value::Bytes(vec![1; 16]),
            Value::Integer(1),
        ]));
        let digests = vec![sha256(&element).to_vec()];
        let mut map = Map::new();
        assert_eq!(
            disclose(&mut map, &digests, &[element], &Limits::default()).map_err(|e| e.code()),
            Err(ErrorCode::DisclosureInvalid)
        );
        let reserved = cbor::encode(&Value::Array(vec![
            Value::Bytes(vec![1; 16]),
            Value::Integer(1),
            Value::Text("...".into()),
        ]));
        let digests = vec![sha256(&reserved).to_vec()];
        assert_eq!(
            disclose(&mut map, &digests, &[reserved], &Limits::default()).map_err(|e| e.code()),
            Err(ErrorCode::DisclosureInvalid)
        );
    }
}
