//! SMART Health Cards (<https://spec.smarthealth.cards>): a compact JWS, ES256, whose payload is
//! a raw-DEFLATE-compressed verifiable credential holding a FHIR bundle.
//!
//! Three input forms, all giving one verdict:
//!
//! * the QR text, `shc:/<digits>`, or the chunks of a multi-QR card `shc:/i/n/<digits>` in any
//!   order separated by whitespace (see [`numeric`] for the exact rules, and [`ShcChunks`] to
//!   collect chunks one scan at a time);
//! * the compact JWS itself (`eyJ…`, recognised as a card by its `zip` header);
//! * a `.smart-health-card` file, `{"verifiableCredential": [jws, …]}` (at most
//!   [`MAX_FILE_CREDENTIALS`]). Every credential in the file is verified and the file is valid only
//!   when all are; the first failure is the verdict, its detail naming `verifiableCredential[i]`.
//!   A file must come from one issuer (a mixed file is `issuer_mismatch`). For one credential the
//!   verdict describes it exactly as for a QR; for several, `claims` is
//!   `{"verifiableCredential": [claims…]}`, `document.fields` is `{"credentials": [fields…]}`,
//!   `notBefore`/`issuedAt` are the latest `nbf` and `expiresAt` the earliest `exp`.
//!
//! The flow for one card: decode the JWS structure and header (ES256 only, `zip: "DEF"` and `kid`
//! required) → inflate the payload, bounded by `max_decompressed_len` → strict JSON → the
//! unverified `iss` and the header `kid` choose the key from the trust store (never from the
//! payload: `x5c` chains in a JWKS are not used, the operator's key set is the trust decision) →
//! signature → key validity at `now` and its authorisation → then, on authentic claims: `nbf`
//! (required) and `exp` (optional) are NumericDates, the `vc` structure (`type` includes
//! `https://smarthealth.cards#health-card`, `credentialSubject.fhirVersion`,
//! `credentialSubject.fhirBundle` a FHIR `Bundle`), `vc.rid` well formed. The policy stage then
//! applies the window and revocation of `vc.rid`, both by the trust bundle's `revoked` list and by
//! the issuer's per-key revocation lists ([`TrustStore::add_shc_crl`]), whose `.timestamp`
//! suffixes are honoured.
//!
//! The verdict's `document` (`type: "shc"`) summarises the bundle readably: patient name and
//! birth date, immunizations and observations with dates and codes (see [`fhir`]).

pub(crate) mod fhir;
pub(crate) mod numeric;

pub use numeric::{ChunkNext, ChunkProgress, ChunkScan, ShcChunks};

/// The document type a key's `document_types` must list for it to sign SMART Health Cards.
pub const DOCUMENT_TYPE: &str = "shc";

use serde_json::{Map, Value};

use super::claims::{json_numeric_date, shorten};
use super::jws::{self, CompactJws, JwsRules};
use super::{Context, Verified};
use crate::encoding::{inflate, json};
use crate::error::{Error, ErrorCode};
use crate::policy::Limits;
use crate::trust::{shc_crl, KeyLookup, RevocationId, TrustStore};
use crate::verdict::{Document, Format, Holder};

/// The credential type every SMART Health Card carries in `vc.type`.
pub const HEALTH_CARD_TYPE: &str = "https://smarthealth.cards#health-card";
/// Most credentials accepted in one `.smart-health-card` file.
pub const MAX_FILE_CREDENTIALS: usize = 16;

/// Cards are compressed: `zip` is allowed (and then required to be `DEF`).
pub(crate) const JWS_RULES: JwsRules = JwsRules { allow_zip: true };

/// A card in one of its three forms, as detection found it.
#[derive(Debug)]
pub(crate) enum Input<'a> {
    /// `shc:/` QR text: one QR, or the chunks of one card.
    Qr(&'a str),
    /// A compact JWS, decoded by detection.
    Jws(Result<CompactJws<'a>, Error>),
    /// A `.smart-health-card` file, parsed by detection.
    File(Result<Map<String, Value>, Error>),
}

impl<'a> Input<'a> {
    /// The form of a payload taken as a card whatever its shape (`Verifier::verify_as`).
    pub(crate) fn of(payload: &'a str, limits: &Limits) -> Input<'a> {
        if payload.starts_with('{') {
            Input::File(json::parse_object(payload.as_bytes(), limits))
        } else if looks_like_qr(payload) {
            Input::Qr(payload)
        } else {
            Input::Jws(jws::decode(payload, limits, JWS_RULES))
        }
    }
}

/// True when the text starts like a `shc:/` QR, in any letter case (so that `SHC:/` is reported
/// as a wrong prefix rather than an unknown format).
#[must_use]
pub fn looks_like_qr(payload: &str) -> bool {
    payload
        .get(..numeric::PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(numeric::PREFIX))
}

/// Verifies a SMART Health Card in any of its forms (see the module docs).
///
/// # Errors
/// The codes of the steps above; for a file of several cards, the first failure, its detail
/// naming `verifiableCredential[i]`.
pub(crate) fn verify(
    input: Input<'_>,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let cards = match input {
        Input::Jws(jws) => vec![verify_card(&jws?, trust, cx)?],
        Input::Qr(text) => {
            // The chunks of a multi-QR card assemble to a JWS longer than one QR can hold.
            let text = numeric::assemble(text)?;
            let limits = Limits {
                max_payload_len: cx
                    .limits
                    .max_payload_len
                    .max(numeric::MAX_ASSEMBLED_JWS_LEN),
                ..cx.limits.clone()
            };
            vec![verify_card(
                &jws::decode(&text, &limits, JWS_RULES)?,
                trust,
                cx,
            )?]
        }
        Input::File(file) => {
            let file = file?;
            let texts = credentials_of_file(&file)?;
            let several = texts.len() > 1;
            let mut cards = Vec::with_capacity(texts.len());
            for (i, text) in texts.iter().enumerate() {
                let card = jws::decode(text, cx.limits, JWS_RULES)
                    .and_then(|jws| verify_card(&jws, trust, cx))
                    .map_err(|e| {
                        if several {
                            let part = format!("verifiableCredential[{i}]");
                            e.context(&part).path(&part)
                        } else {
                            e
                        }
                    })?;
                cards.push(card);
            }
            cards
        }
    };
    verified_for(cards)
}

/// The JWS strings of a `.smart-health-card` file.
fn credentials_of_file(file: &Map<String, Value>) -> Result<Vec<&str>, Error> {
    let list = file
        .get("verifiableCredential")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::with_detail(
                ErrorCode::SchemaInvalid,
                "a .smart-health-card file is {\"verifiableCredential\": [JWS, …]}",
            )
        })?;
    if list.is_empty() || list.len() > MAX_FILE_CREDENTIALS {
        return Err(Error::with_detail(
            ErrorCode::SchemaInvalid,
            format!(
                "{} credentials; a file holds 1 to {MAX_FILE_CREDENTIALS}",
                list.len()
            ),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_str().ok_or_else(|| {
                Error::with_detail(
                    ErrorCode::SchemaInvalid,
                    format!("verifiableCredential[{i}] must be a JWS string"),
                )
            })
        })
        .collect()
}

/// One verified card.
struct Card {
    issuer: String,
    kid: Option<String>,
    nbf: f64,
    exp: Option<f64>,
    /// `vc.rid`, with the `kid` the issuer's revocation lists are keyed by.
    rid: Option<(String, String)>,
    claims: Map<String, Value>,
    fields: Map<String, Value>,
}

fn verify_card(jws: &CompactJws<'_>, trust: &TrustStore, cx: &Context<'_>) -> Result<Card, Error> {
    if jws.zip() != Some("DEF") {
        return Err(Error::with_detail(
            ErrorCode::HeaderInvalid,
            "a SMART Health Card is compressed: \"zip\" must be \"DEF\"",
        ));
    }
    let kid = jws.kid().ok_or_else(|| {
        Error::with_detail(
            ErrorCode::HeaderInvalid,
            "\"kid\" is missing: a SMART Health Card names its key",
        )
    })?;
    let inflated = inflate::raw(&jws.payload, cx.limits.max_decompressed_len).map_err(|e| {
        // Say precisely what is wrong when the header claims compression over plain JSON (a
        // token with a stray `zip` header lands here too, since only cards compress).
        if e.code() == ErrorCode::InflateFailed
            && json::parse_object(&jws.payload, cx.limits).is_ok()
        {
            Error::with_detail(
                ErrorCode::HeaderInvalid,
                "\"zip\" is \"DEF\" but the payload is uncompressed JSON",
            )
        } else {
            e
        }
    })?;
    let claims = json::parse_object(&inflated, cx.limits).map_err(|e| {
        Error::with_detail(
            e.code(),
            format!("payload: {}", e.detail().unwrap_or_default()),
        )
    })?;

    // The unverified issuer only chooses which keys may verify.
    let issuer = match claims.get("iss") {
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(Error::claim_invalid("iss", "must be a string")),
        None => return Err(Error::claim_missing("iss")),
    };
    let key = trust.key(KeyLookup::Issuer {
        issuer,
        kid: Some(kid.as_bytes()),
    })?;
    jws.verify_signature(key)?;
    key.check_validity(cx.now)?;
    key.check_document_type(DOCUMENT_TYPE)?;

    // From here on the claims are authentic. `nbf` is required (it is the issuance date), `exp`
    // optional.
    let nbf = json_numeric_date(&claims, "nbf")?.ok_or_else(|| Error::claim_missing("nbf"))?;
    let exp = json_numeric_date(&claims, "exp")?;
    let vc = claims
        .get("vc")
        .ok_or_else(|| Error::claim_missing("vc"))?
        .as_object()
        .ok_or_else(|| Error::claim_invalid("vc", "must be an object"))?;
    let types = check_types(vc)?;
    let (fhir_version, bundle) = check_subject(vc)?;
    let rid = match vc.get("rid") {
        None => None,
        Some(Value::String(rid)) if shc_crl::is_rid(rid) => Some(rid.as_str()),
        Some(_) => {
            return Err(Error::claim_invalid(
                "vc.rid",
                "must be 1 to 24 characters of the base64url alphabet",
            ))
        }
    };
    let mut fields = fhir::summarize(bundle);
    fields.insert("issuer".into(), Value::String(issuer.to_owned()));
    if let Some(name) = trust.issuer_name(issuer) {
        fields.insert("issuerName".into(), Value::String(name.to_owned()));
    }
    fields.insert(
        "types".into(),
        Value::Array(types.into_iter().map(Value::String).collect()),
    );
    fields.insert("fhirVersion".into(), Value::String(fhir_version.to_owned()));
    fields.insert(
        "rid".into(),
        rid.map_or(Value::Null, |r| Value::String(r.to_owned())),
    );
    Ok(Card {
        issuer: issuer.to_owned(),
        kid: key.kid_display(),
        nbf,
        exp,
        rid: rid.map(|r| (r.to_owned(), kid.to_owned())),
        claims,
        fields,
    })
}

/// `vc.type`: an array of strings that includes the health-card type; other types are kept.
fn check_types(vc: &Map<String, Value>) -> Result<Vec<String>, Error> {
    let types = vc
        .get("type")
        .ok_or_else(|| Error::claim_missing("vc.type"))?
        .as_array()
        .ok_or_else(|| Error::claim_invalid("vc.type", "must be an array of strings"))?
        .iter()
        .map(|t| t.as_str().map(str::to_owned))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| Error::claim_invalid("vc.type", "must be an array of strings"))?;
    if !types.iter().any(|t| t == HEALTH_CARD_TYPE) {
        return Err(Error::claim_invalid(
            "vc.type",
            &format!("must include {HEALTH_CARD_TYPE}"),
        ));
    }
    Ok(types)
}

/// `vc.credentialSubject`: `fhirVersion` (a string) and `fhirBundle` (a FHIR `Bundle`).
fn check_subject(vc: &Map<String, Value>) -> Result<(&str, &Map<String, Value>), Error> {
    let subject = vc
        .get("credentialSubject")
        .ok_or_else(|| Error::claim_missing("vc.credentialSubject"))?
        .as_object()
        .ok_or_else(|| Error::claim_invalid("vc.credentialSubject", "must be an object"))?;
    let schema = |why: &str| Error::with_detail(ErrorCode::SchemaInvalid, why.to_owned());
    let version = subject
        .get("fhirVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| schema("credentialSubject.fhirVersion must be a string"))?;
    let bundle = subject
        .get("fhirBundle")
        .and_then(Value::as_object)
        .filter(|b| b.get("resourceType").and_then(Value::as_str) == Some("Bundle"))
        .ok_or_else(|| schema("credentialSubject.fhirBundle must be a FHIR Bundle"))?;
    if bundle.get("entry").is_some_and(|e| !e.is_array()) {
        return Err(schema("fhirBundle.entry must be an array"));
    }
    Ok((version, bundle))
}

/// What the verified cards of one payload amount to (see the module docs).
fn verified_for(cards: Vec<Card>) -> Result<Verified, Error> {
    let Some(first) = cards.first() else {
        return Err(Error::with_detail(
            ErrorCode::SchemaInvalid,
            "no credential",
        ));
    };
    if let Some((i, other)) = cards
        .iter()
        .enumerate()
        .find(|(_, c)| c.issuer != first.issuer)
    {
        return Err(Error::with_detail(
            ErrorCode::IssuerMismatch,
            format!(
                "verifiableCredential[{i}] is from \"{}\", verifiableCredential[0] from \"{}\": one file, one issuer",
                shorten(&other.issuer),
                shorten(&first.issuer)
            ),
        ));
    }
    let mut verified = Verified::new(Format::Shc, first.issuer.as_str());
    verified.kid = if cards.iter().all(|c| c.kid == first.kid) {
        first.kid.clone()
    } else {
        None
    };
    let latest_nbf = cards.iter().map(|c| c.nbf).fold(first.nbf, f64::max);
    verified.issued_at = Some(latest_nbf);
    verified.not_before = Some(latest_nbf);
    verified.expires_at = cards
        .iter()
        .filter_map(|c| c.exp)
        .fold(None, |acc: Option<f64>, e| {
            Some(acc.map_or(e, |a| a.min(e)))
        });
    // One file, one issuer, and in practice one person: the first card's patient.
    let patient = first.fields.get("patient");
    let text = |name: &str| patient.and_then(|p| p.get(name)).and_then(Value::as_str);
    verified.holder = Holder::of(text("name"), text("birthDate"));
    let several = cards.len() > 1;
    for (i, card) in cards.iter().enumerate() {
        if let Some((rid, kid)) = &card.rid {
            verified.revocation.push(RevocationId {
                name: "rid",
                id: rid.clone(),
                shc_key: Some((kid.clone(), card.nbf)),
                part: several.then(|| format!("verifiableCredential[{i}]")),
                dcc: None,
            });
        }
    }
    let (claims, fields): (Vec<Value>, Vec<Value>) = cards
        .into_iter()
        .map(|c| (Value::Object(c.claims), Value::Object(c.fields)))
        .unzip();
    if several {
        let mut claims_obj = Map::new();
        claims_obj.insert("verifiableCredential".into(), Value::Array(claims));
        verified.claims = Some(Value::Object(claims_obj));
        let mut fields_obj = Map::new();
        fields_obj.insert("credentials".into(), Value::Array(fields));
        verified.document = Some(Document {
            doc_type: DOCUMENT_TYPE.into(),
            fields: Value::Object(fields_obj),
        });
    } else {
        verified.claims = claims.into_iter().next();
        verified.document = fields.into_iter().next().map(|fields| Document {
            doc_type: DOCUMENT_TYPE.into(),
            fields,
        });
    }
    Ok(verified)
}
