//! VNeID document QRs (`VN1:`, docs/profiles/vneid-document.md), the issuer's side: the CWT
//! claims of a document, the COSE_Sign1 around them, and the QR text.

use serde_json::Value as Json;

use super::IssuerKey;
use crate::encoding::cbor::{self, Value};
use crate::error::{Error, ErrorCode};
use crate::formats::vneid_document::{schema, PREFIX};
use crate::formats::{cose, cose_qr, cwt};

pub use crate::formats::vneid_document::{DocumentType, CLAIM_DOCUMENT};

/// What to sign.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentClaims<'a> {
    /// `iss`: the issuer the trust store binds the key to.
    pub issuer: &'a str,
    /// `cti`: the document id (revocation key).
    pub id: &'a str,
    /// `iat`.
    pub issued_at: i64,
    /// `exp`.
    pub expires_at: i64,
    /// `nbf`, if any.
    pub not_before: Option<i64>,
    /// The document type.
    pub doc_type: DocumentType,
    /// The document fields (a JSON object; see the profile's schemas).
    pub fields: &'a Json,
    /// The document's entry in its issuer's status list (claim 65535), if it has one.
    pub status: Option<crate::StatusReference>,
}

/// Checks document fields (JSON) against the type's schema, as a verifier will, and returns
/// the warnings a verifier would give (e.g. a birth date disagreeing with the ID number).
///
/// # Errors
/// `schema_invalid` or `personal_id_invalid`, naming the field; `invalid_option` for a
/// number JSON cannot carry as CBOR.
pub fn validate_fields(
    doc_type: DocumentType,
    fields: &Json,
) -> Result<Vec<crate::verdict::Warning>, Error> {
    let mut warnings = Vec::new();
    schema::validate(doc_type, &json_to_cbor(fields)?, &mut warnings)?;
    Ok(warnings)
}

/// Converts JSON to CBOR: objects become maps with text keys, whole numbers integers.
///
/// # Errors
/// `invalid_option` for a number that is neither an integer nor a finite float.
pub fn json_to_cbor(value: &Json) -> Result<Value, Error> {
    Ok(match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Value::Integer(i128::from(i)),
            (_, Some(u), _) => Value::Integer(i128::from(u)),
            (_, _, Some(f)) => Value::Float(f),
            _ => return Err(Error::with_detail(ErrorCode::InvalidOption, "bad number")),
        },
        Json::String(s) => Value::Text(s.clone()),
        Json::Array(items) => {
            Value::Array(items.iter().map(json_to_cbor).collect::<Result<_, _>>()?)
        }
        Json::Object(map) => Value::Map(
            map.iter()
                .map(|(k, v)| Ok((Value::Text(k.clone()), json_to_cbor(v)?)))
                .collect::<Result<_, Error>>()?,
        ),
    })
}

/// The CWT claims map of a document, in the profile's order.
///
/// # Errors
/// As [`json_to_cbor`].
pub fn claims_map(claims: &DocumentClaims<'_>) -> Result<Value, Error> {
    let mut map = vec![
        (
            Value::Integer(cwt::ISS),
            Value::Text(claims.issuer.to_owned()),
        ),
        (
            Value::Integer(cwt::IAT),
            Value::Integer(claims.issued_at.into()),
        ),
        (
            Value::Integer(cwt::EXP),
            Value::Integer(claims.expires_at.into()),
        ),
    ];
    if let Some(nbf) = claims.not_before {
        map.push((Value::Integer(cwt::NBF), Value::Integer(nbf.into())));
    }
    map.push((
        Value::Integer(cwt::CTI),
        Value::Bytes(claims.id.as_bytes().to_vec()),
    ));
    if let Some(status) = &claims.status {
        map.push((
            Value::Integer(crate::trust::status_list::CWT_CLAIM_STATUS),
            Value::Map(vec![(
                Value::Text("status_list".into()),
                Value::Map(vec![
                    (Value::Text("idx".into()), Value::Integer(status.idx.into())),
                    (Value::Text("uri".into()), Value::Text(status.uri.clone())),
                ]),
            )]),
        ));
    }
    map.push((
        Value::Integer(CLAIM_DOCUMENT),
        Value::Map(vec![
            (
                Value::Text("type".into()),
                Value::Text(claims.doc_type.as_str().into()),
            ),
            (Value::Text("fields".into()), json_to_cbor(claims.fields)?),
        ]),
    ));
    Ok(Value::Map(map))
}

/// The protected header `{1: -7, 4: kid}`.
#[must_use]
pub fn protected_header(kid: &[u8]) -> Vec<u8> {
    cbor::encode(&Value::Map(vec![
        (Value::Integer(cose::HEADER_ALG), Value::Integer(-7)),
        (Value::Integer(cose::HEADER_KID), Value::Bytes(kid.to_vec())),
    ]))
}

/// Signs a payload as a tagged COSE_Sign1 with the given protected header bytes and an
/// empty unprotected header. Does not check what it signs (tests use it for bad headers).
#[must_use]
pub fn sign1(key: &IssuerKey, protected: &[u8], payload: &[u8]) -> Vec<u8> {
    let signature = key.sign(&cose::sig_structure(protected, payload));
    cbor::encode(&Value::Tag(
        cose::TAG_COSE_SIGN1,
        Box::new(Value::Array(vec![
            Value::Bytes(protected.to_vec()),
            Value::Map(vec![]),
            Value::Bytes(payload.to_vec()),
            Value::Bytes(signature.to_vec()),
        ])),
    ))
}

/// The QR text for COSE bytes: `VN1:` + base45(zlib(cose)).
#[must_use]
pub fn qr_text(cose_bytes: &[u8]) -> String {
    format!("{PREFIX}{}", cose_qr::encode_body(cose_bytes))
}

/// Signs a document as a `VN1:` QR text with the key's `kid` in the protected header.
/// The caller should validate the fields first ([`schema::validate`]); this does not.
///
/// # Errors
/// As [`json_to_cbor`].
pub fn sign(key: &IssuerKey, claims: &DocumentClaims<'_>) -> Result<String, Error> {
    let payload = cbor::encode(&claims_map(claims)?);
    let cose = sign1(key, &protected_header(key.kid().as_bytes()), &payload);
    Ok(qr_text(&cose))
}
