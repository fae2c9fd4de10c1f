//! The VNeID document QR profile (docs/profiles/vneid-document.md): a signed document in one QR
//! code, on the chain the EU Digital COVID Certificate proved at scale.
//!
//! ```text
//! "VN1:" base45( zlib( COSE_Sign1 #6.18 [ protected {1: -7, 4: kid}, {}, payload, r‖s ] ) )
//! payload = CWT claims { 1 iss, 6 iat, 4 exp, ?5 nbf, 7 cti, -65537 {"type": …, "fields": {…}} }
//! ```
//!
//! The flow, top to bottom (each step has its own error code):
//! 1. prefix `VN1:` → base45 → zlib, bounded (`prefix_invalid`, `payload_too_large`,
//!    `base45_invalid`, `inflate_failed`, `decompressed_too_large`);
//! 2. COSE_Sign1: tag 18 required, `alg` ES256 in the protected header, `kid` in the protected
//!    header, unprotected header empty, definite-length CBOR only (`cbor_invalid`,
//!    `cose_invalid`, `alg_not_allowed`, `crit_unsupported`, `signature_malformed`);
//! 3. CWT claims, structure only: `iss`, `iat`, `exp`, `cti` present and typed, no claims other
//!    than those of the profile (`claim_missing`, `claim_invalid`);
//! 4. the issuer chooses the key: the trust store's key of that issuer with that `kid`
//!    (`unknown_issuer`, `unknown_key`), which verifies the signature (`unsupported_key`,
//!    `signature_invalid`) and is valid at `now` (`key_not_yet_valid`, `key_expired`). Nothing
//!    below this line is read from an unverified payload;
//! 5. the document: its type must be one the key may sign (`key_not_authorized`), its fields
//!    must match the type's schema (`schema_invalid`, `personal_id_invalid`), and its own
//!    validity dates become bounds of the validity window.
//!
//! The policy stage then applies the issuer, the window with the clock tolerance (the QR's `exp`,
//! `nbf`, `iat`, then the document's own dates, with a detail naming the field), the age,
//! revocation by the document id (`cti`) and, when the QR carries a status claim (65535,
//! draft-ietf-oauth-status-list), its entry in its issuer's status list (`status_list_missing`,
//! `status_list_stale`, `status_index_invalid`, `revoked`, `suspended`, `status_unknown`); a
//! document names no audience and asserts no level.

pub(crate) mod schema;

use serde_json::Value as Json;

use super::claims::SHORT_VALUE_CHARS;
use super::cose::{self, CoseRules};
use super::cose_qr;
use super::cwt::{self, Claims};
use super::{Context, Verified};
use crate::encoding::cbor::{self, Value};
use crate::error::{Error, ErrorCode};
use crate::trust::status_list::{StatusReference, CWT_CLAIM_STATUS};
use crate::trust::{display_kid, KeyLookup, RevocationId, TrustStore};
use crate::verdict::{Document, Format, Holder};

pub use schema::DocumentType;

/// The QR text prefix of version 1 of the profile.
pub const PREFIX: &str = "VN1:";

/// The private-use CWT claim key holding the document (RFC 8392 §9.1: keys below −65536 are
/// private use).
pub const CLAIM_DOCUMENT: i128 = -65_537;

/// Longest document id (`cti`), in bytes.
pub const MAX_ID_LEN: usize = 64;

/// The COSE rules of the profile.
pub const COSE_RULES: CoseRules = CoseRules::VNEID_DOCUMENT;

/// The claims the profile allows: `iss`, `exp`, `nbf`, `iat`, `cti`, `status` and the document.
const ALLOWED_CLAIMS: [i128; 7] = [
    cwt::ISS,
    cwt::EXP,
    cwt::NBF,
    cwt::IAT,
    cwt::CTI,
    CWT_CLAIM_STATUS,
    CLAIM_DOCUMENT,
];

/// A document id: the `cti` bytes as text (1 to 64 bytes of UTF-8, no control characters).
fn document_id(cti: Option<&[u8]>) -> Result<String, Error> {
    let cti = cti.ok_or_else(|| Error::claim_missing("cti"))?;
    match core::str::from_utf8(cti) {
        Ok(id) if !id.is_empty() && id.len() <= MAX_ID_LEN && !id.chars().any(char::is_control) => {
            Ok(id.to_owned())
        }
        _ => Err(Error::claim_invalid(
            "cti",
            "the document id must be 1 to 64 bytes of printable UTF-8",
        )),
    }
}

/// Verifies a `VN1:` payload (see the module docs).
///
/// # Errors
/// The codes of the steps above.
pub(crate) fn verify(
    payload: &str,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let limits = cx.limits;
    // 1–2. Text layers and COSE structure.
    let body = cose_qr::strip_prefix(payload, PREFIX)?;
    let cose_bytes = cose_qr::decode_body(body, limits)?;
    let sign1 = cose::decode(&cose_bytes, limits, COSE_RULES)?;
    let kid = sign1.kid().ok_or_else(|| {
        Error::with_detail(ErrorCode::CoseInvalid, "the protected header has no kid")
    })?;

    // 3. Claims, structurally.
    let claims = Claims::parse(&sign1.payload, limits, cbor::Rules::default())?;
    if let Some((key, _)) = claims
        .map
        .iter()
        .find(|(k, _)| !matches!(k, Value::Integer(n) if ALLOWED_CLAIMS.contains(n)))
    {
        return Err(Error::with_detail(
            ErrorCode::ClaimInvalid,
            format!(
                "claim {} is not part of the profile",
                key.diagnostic(SHORT_VALUE_CHARS)
            ),
        ));
    }
    let issuer = claims
        .iss
        .as_deref()
        .ok_or_else(|| Error::claim_missing("iss"))?;
    if claims.exp.is_none() {
        return Err(Error::claim_missing("exp"));
    }
    if claims.iat.is_none() {
        return Err(Error::claim_missing("iat"));
    }
    let id = document_id(claims.cti.as_deref())?;
    let status = StatusReference::from_cwt_claim(claims.get(CWT_CLAIM_STATUS))?;

    // 4. The key, chosen by the issuer; the signature; the key's validity.
    let key = trust.key(KeyLookup::Issuer {
        issuer,
        kid: Some(kid),
    })?;
    sign1.verify_signature(key)?;
    key.check_validity(cx.now)?;

    // 5. The document, now authentic: may this key sign it, does it match its schema, when is
    // the document itself in date?
    let container = claims
        .get(CLAIM_DOCUMENT)
        .ok_or_else(|| Error::claim_missing("document (-65537)"))?;
    let (doc_type, fields) = read_container(container)?;
    key.check_document_type(doc_type.as_str())?;
    let mut verified = Verified::new(Format::VneidDocument, issuer);
    let fields = schema::validate(doc_type, fields, &mut verified.warnings)?;
    verified.bounds = schema::validity_bounds(doc_type, &fields);
    verified
        .revocation
        .push(RevocationId::listed("document id", id));
    verified.status = status;
    verified.kid = Some(display_kid(kid));
    verified.subject = fields
        .get("personalId")
        .and_then(Json::as_str)
        .map(str::to_owned);
    verified.issued_at = claims.iat;
    verified.not_before = claims.nbf;
    verified.expires_at = claims.exp;
    let field = |name: &str| fields.get(name).and_then(Json::as_str);
    verified.holder = Holder::of(
        field("fullName").or_else(|| field("ownerName")),
        field("dateOfBirth"),
    );
    verified.claims = Some(claims.to_json(&[(CWT_CLAIM_STATUS, "status")], &[CLAIM_DOCUMENT]));
    verified.document = Some(Document {
        doc_type: doc_type.as_str().to_owned(),
        fields: Json::Object(fields),
    });
    Ok(verified)
}

/// The document container: a map of exactly `"type"` (a known type name) and `"fields"`.
fn read_container(container: &Value) -> Result<(DocumentType, &Value), Error> {
    let bad = |why: &str| Error::with_detail(ErrorCode::SchemaInvalid, format!("document: {why}"));
    let entries = container
        .as_map()
        .ok_or_else(|| bad("must be a map of \"type\" and \"fields\""))?;
    if let Some((k, _)) = entries
        .iter()
        .find(|(k, _)| !matches!(k.as_text(), Some("type" | "fields")))
    {
        return Err(bad(&format!(
            "unknown member {}",
            k.diagnostic(SHORT_VALUE_CHARS)
        )));
    }
    let name = container
        .get_text("type")
        .ok_or_else(|| bad("\"type\" is missing"))?
        .as_text()
        .ok_or_else(|| bad("\"type\" must be text"))?;
    let doc_type = DocumentType::from_name(name).ok_or_else(|| {
        bad(&format!(
            "unknown type \"{}\"",
            name.chars().take(40).collect::<String>()
        ))
    })?;
    let fields = container
        .get_text("fields")
        .ok_or_else(|| bad("\"fields\" is missing"))?;
    Ok((doc_type, fields))
}
