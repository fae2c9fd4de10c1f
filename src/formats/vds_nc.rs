//! ICAO Visible Digital Seals for non-constrained environments (VDS-NC): the JSON seal of the
//! ICAO proofs of vaccination and testing, as read at borders.
//!
//! ```json
//! { "data": { "hdr": { "t": "icao.vacc", "v": 1, "is": "AUS" }, "msg": { … } },
//!   "sig":  { "alg": "ES256", "sigvl": "<base64url r‖s>", "cer": "<base64url DER certificate>" } }
//! ```
//!
//! The flow: strict JSON (parsed by detection; no other top-level or `sig` members: nothing
//! unsigned rides along) → header (`t` a string, `v` 1, `is` three letters) → `sig.alg` ES256
//! only → `sigvl` exactly 64 bytes r‖s (DER is `signature_malformed`) → `cer` at most
//! [`MAX_SIGNER_CERTIFICATE_LEN`] bytes, a strict X.509 certificate with a P-256 key and no
//! critical extension left uninterpreted → the one trust lookup: the certificate chains to a
//! trusted certificate authority, trusted for VDS-NC seals of that issuing state
//! ([`TrustStore::anchor_for`]: one level, or the certificate itself pinned) → the signature
//! verifies over the RFC 8785 canonical JSON of `data` ([`jcs`]) → the signer certificate is
//! valid at `now` (`key_not_yet_valid` / `key_expired`) and authorised (`extendedKeyUsage`,
//! when present, must include the VDS-NC signer `2.23.136.1.1.14.2`; `keyUsage`, when present,
//! `digitalSignature`).
//!
//! Base64url here may carry `=` padding (every published seal does); the padding must be
//! exactly right, and the encoding otherwise as strict as elsewhere.
//!
//! The issuer identity is the issuing state (`hdr.is`, e.g. `AUS`): the verdict's `issuer`, what
//! `Policy::issuer` is compared with, and what revocation lists name a seal under (with its
//! `uvci`). The trusted authority it chained to (e.g. `CN=Passport Country Signing Authority,
//! O=GOV, C=AU`) is in `document.fields.signer.trustedAuthority`. `kid` is the signer
//! certificate's serial number in hex, `claims` the signed `data`, and `document`
//! (`type: "vds_nc"`) the seal laid out for display: type, issuing state, person, vaccination
//! events, and the signer certificate.
//!
//! [`jcs`]: crate::encoding::jcs

use serde_json::{Map, Value};

use super::{object, Context, Verified};
use crate::crypto::{es256, PublicKey};
use crate::encoding::{base64url, jcs};
use crate::error::{Error, ErrorCode};
use crate::time;
use crate::trust::key::check_validity;
use crate::trust::{Certificate, RevocationId, TrustStore};
use crate::verdict::{Document, Format, Holder};

/// Largest signer certificate accepted, in bytes of DER. The Australian signer, signed by a
/// 4096-bit RSA authority, is 904 bytes.
pub const MAX_SIGNER_CERTIFICATE_LEN: usize = 4096;
/// The extended key usage of a VDS-NC barcode signer certificate.
pub const EKU_VDS_NC_SIGNER: &str = "2.23.136.1.1.14.2";

/// Verifies a VDS-NC seal, parsed by detection (see the module docs).
///
/// # Errors
/// The codes of the steps above.
pub(crate) fn verify(
    seal: &Map<String, Value>,
    trust: &TrustStore,
    cx: &Context<'_>,
) -> Result<Verified, Error> {
    let now = cx.now;
    only_members(seal, &["data", "sig"], "the seal")?;
    let data_value = seal
        .get("data")
        .ok_or_else(|| Error::schema("\"data\" is missing"))?;
    let data = data_value
        .as_object()
        .ok_or_else(|| Error::schema("\"data\" must be an object"))?;
    let header = read_header(data)?;
    let msg = data
        .get("msg")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::schema("\"data.msg\" must be an object"))?;
    let sig = seal
        .get("sig")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::schema("\"sig\" must be an object"))?;
    only_members(sig, &["alg", "sigvl", "cer"], "\"sig\"")?;

    match sig.get("alg") {
        Some(Value::String(alg)) if alg == "ES256" => {}
        Some(Value::String(alg)) => return Err(super::jws::not_es256(alg)),
        _ => return Err(Error::schema("\"sig.alg\" must be a string")),
    }
    let sigvl = string_member(sig, "sigvl")?;
    let signature = decode_padded(sigvl).map_err(|e| e.context("sig.sigvl"))?;
    let signature: [u8; es256::SIGNATURE_LEN] = signature.as_slice().try_into().map_err(|_| {
        Error::with_detail(
            ErrorCode::SignatureMalformed,
            format!("{} bytes; ES256 needs 64 (r‖s)", signature.len()),
        )
    })?;
    let cer = string_member(sig, "cer")?;
    // Base64 is 4 characters per 3 bytes: refuse an oversized certificate before decoding it.
    if cer.len() > MAX_SIGNER_CERTIFICATE_LEN.div_ceil(3) * 4 {
        return Err(Error::with_detail(
            ErrorCode::CertificateInvalid,
            format!("the signer certificate is over {MAX_SIGNER_CERTIFICATE_LEN} bytes"),
        ));
    }
    let der = decode_padded(cer).map_err(|e| e.context("sig.cer"))?;
    let signer = Certificate::from_der(&der)?;
    if let Some(oid) = signer.unhandled_critical_extensions.first() {
        return Err(Error::with_detail(
            ErrorCode::CertificateInvalid,
            format!("the signer certificate has a critical extension {oid} that is not understood"),
        ));
    }
    let PublicKey::P256(key) = &signer.public_key else {
        return Err(Error::with_detail(
            ErrorCode::UnsupportedKey,
            format!(
                "ES256 needs an EC P-256 key; the signer certificate has {}",
                signer.public_key.description()
            ),
        ));
    };

    // The one trust lookup: the anchor the signer certificate chains to, trusted for seals of
    // this issuing state.
    let anchor = trust.anchor_for(&signer, Format::VdsNc, &header.issuing_state, now)?;
    if let Some(path) = beyond_exact_integers(data_value) {
        // RFC 8785 writes numbers as doubles: a number of magnitude 2^53 or more is signed
        // rounded, so its neighbours verify too. No genuine seal carries one.
        return Err(Error::schema(format!(
            "data{path}: a number of magnitude 2^53 or more cannot be canonicalised exactly"
        )));
    }
    let canonical = jcs::canonicalize(data_value);
    if !es256::verify(key, canonical.as_bytes(), &signature) {
        return Err(Error::new(ErrorCode::SignatureInvalid));
    }
    check_validity(
        "the signer certificate",
        Some(signer.not_before),
        signer.not_after.checked_add(1),
        now,
    )?;
    check_signer_authorisation(&signer)?;

    // The issuer identity is the issuing state (`hdr.is`, signed), which revocation lists name
    // a seal by, with its `uvci`.
    let mut verified = Verified::new(Format::VdsNc, header.issuing_state.as_str());
    if let Some(Value::String(uvci)) = msg.get("uvci") {
        verified
            .revocation
            .push(RevocationId::listed("uvci", uvci.as_str()));
    }
    let pid = msg.get("pid");
    let text = |name: &str| pid.and_then(|p| p.get(name)).and_then(Value::as_str);
    verified.holder = Holder::of(text("n"), text("dob"));
    verified.kid = Some(hex_upper(&signer.serial));
    verified.document = Some(Document {
        doc_type: "vds_nc".into(),
        fields: Value::Object(describe(&header, msg, &signer, &anchor.certificate)),
    });
    // Cloning links nothing new; moving it out of the map would link B-tree removal.
    verified.claims = Some(data_value.clone());
    Ok(verified)
}

/// The path of the first number in `value` whose magnitude is 2^53 or more, if any.
///
/// Tested on the parsed double, whatever the text looked like: the parser rounds correctly and
/// monotonically, so every text of magnitude 2^53 or more (`9007199254740993`,
/// `9007199254740993.0`, `9.007199254740993e15`, an integer beyond 64 bits) parses to a double
/// of magnitude 2^53 or more, where neighbouring integers share one double. Below 2^53 every
/// integer is exact. (Testing only the parser's integers let the fraction and exponent forms
/// and the integers beyond 64 bits, which it reads as doubles, through.)
fn beyond_exact_integers(value: &Value) -> Option<String> {
    // 2^53, exactly representable.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        Value::Number(n) => n
            .as_f64()
            .is_none_or(|v| v.abs() >= EXACT)
            .then(String::new),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| beyond_exact_integers(v).map(|p| format!("[{i}]{p}"))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| beyond_exact_integers(v).map(|p| format!(".{k}{p}"))),
        _ => None,
    }
}

/// `data.hdr`.
struct Header {
    doc_type: String,
    version: u8,
    issuing_state: String,
}

fn read_header(data: &Map<String, Value>) -> Result<Header, Error> {
    let hdr = data
        .get("hdr")
        .and_then(Value::as_object)
        .ok_or_else(|| Error::schema("\"data.hdr\" must be an object"))?;
    let doc_type = hdr
        .get("t")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::schema("\"hdr.t\" (the seal type) must be a non-empty string"))?;
    // A number equal to 1 (`1.0` canonicalises to `1`, so it is the same signed value).
    let version = match hdr.get("v") {
        Some(Value::Number(n)) if n.as_f64() == Some(1.0) => 1,
        Some(Value::Number(n)) => {
            return Err(Error::schema(format!(
                "\"hdr.v\" is {n}; only version 1 is defined"
            )))
        }
        _ => return Err(Error::schema("\"hdr.v\" must be a number")),
    };
    let issuing_state = hdr
        .get("is")
        .and_then(Value::as_str)
        .filter(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'<'))
        .ok_or_else(|| Error::schema("\"hdr.is\" must be a three-letter issuing state code"))?;
    Ok(Header {
        doc_type: doc_type.to_owned(),
        version,
        issuing_state: issuing_state.to_owned(),
    })
}

fn check_signer_authorisation(signer: &Certificate) -> Result<(), Error> {
    if !signer.extended_key_usage.is_empty()
        && !signer
            .extended_key_usage
            .iter()
            .any(|oid| oid == EKU_VDS_NC_SIGNER)
    {
        return Err(Error::with_detail(
            ErrorCode::KeyNotAuthorized,
            format!("the signer certificate's extended key usage lacks the VDS-NC signer ({EKU_VDS_NC_SIGNER})"),
        ));
    }
    if signer
        .key_usage
        .as_ref()
        .is_some_and(|bits| bits.first().is_none_or(|b| b & 0x80 == 0))
    {
        return Err(Error::with_detail(
            ErrorCode::KeyNotAuthorized,
            "the signer certificate's key usage lacks digitalSignature",
        ));
    }
    Ok(())
}

/// The seal's fields, typed; labels for display are the caller's (the demo's: www-demo/lib/documents.js).
fn describe(
    header: &Header,
    msg: &Map<String, Value>,
    signer: &Certificate,
    anchor: &Certificate,
) -> Map<String, Value> {
    let pid = msg.get("pid").and_then(Value::as_object);
    let text = |obj: Option<&Map<String, Value>>, name: &str| {
        obj.and_then(|o| o.get(name))
            .and_then(Value::as_str)
            .map_or(Value::Null, |s| Value::String(s.to_owned()))
    };
    let mut fields = Map::new();
    fields.insert("type".into(), header.doc_type.clone().into());
    fields.insert("version".into(), header.version.into());
    fields.insert("issuingState".into(), header.issuing_state.clone().into());
    fields.insert(
        "person".into(),
        object(vec![
            ("name", text(pid, "n")),
            ("dateOfBirth", text(pid, "dob")),
            ("sex", text(pid, "sex")),
            ("travelDocumentNumber", text(pid, "i")),
            ("otherDocumentNumber", text(pid, "ai")),
        ]),
    );
    fields.insert("uvci".into(), text(Some(msg), "uvci"));
    if header.doc_type == "icao.vacc" {
        let events = msg
            .get("ve")
            .and_then(Value::as_array)
            .map(|events| {
                events
                    .iter()
                    .filter_map(Value::as_object)
                    .map(vaccination)
                    .collect()
            })
            .unwrap_or_default();
        fields.insert("vaccinations".into(), Value::Array(events));
    }
    fields.insert(
        "signer".into(),
        object(vec![
            ("subject", signer.subject.display().into()),
            ("issuer", signer.issuer.display().into()),
            ("serialNumber", hex_upper(&signer.serial).into()),
            ("notBefore", time::format_rfc3339(signer.not_before).into()),
            ("notAfter", time::format_rfc3339(signer.not_after).into()),
            ("trustedAuthority", anchor.subject.display().into()),
        ]),
    );
    fields
}

/// One `ve` entry: the vaccine and its doses.
fn vaccination(event: &Map<String, Value>) -> Value {
    let get = |o: &Map<String, Value>, n: &str| o.get(n).cloned().unwrap_or(Value::Null);
    let doses: Vec<Value> = event
        .get("vd")
        .and_then(Value::as_array)
        .map(|doses| {
            doses
                .iter()
                .filter_map(Value::as_object)
                .map(|d| {
                    object(vec![
                        ("date", get(d, "dvc")),
                        ("doseNumber", get(d, "seq")),
                        ("country", get(d, "ctr")),
                        ("administeringCentre", get(d, "adm")),
                        ("lot", get(d, "lot")),
                        ("nextDoseDue", get(d, "dvn")),
                    ])
                })
                .collect()
        })
        .unwrap_or_default();
    object(vec![
        ("disease", get(event, "dis")),
        ("vaccine", get(event, "des")),
        ("brand", get(event, "nam")),
        ("doses", Value::Array(doses)),
    ])
}

/// Base64url with optional, exact `=` padding.
fn decode_padded(text: &str) -> Result<Vec<u8>, Error> {
    let unpadded = text.trim_end_matches('=');
    let padding = text.len() - unpadded.len();
    if padding > 0 && (padding > 2 || !text.len().is_multiple_of(4)) {
        return Err(Error::with_detail(
            ErrorCode::Base64Invalid,
            "wrong padding",
        ));
    }
    base64url::decode(unpadded)
}

fn only_members(object: &Map<String, Value>, allowed: &[&str], what: &str) -> Result<(), Error> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => {
            let shown: String = extra.chars().take(32).collect();
            Err(Error::schema(format!(
                "{what} has an unexpected member \"{shown}\" (only {})",
                allowed.join(", ")
            )))
        }
        None => Ok(()),
    }
}

fn string_member<'a>(object: &'a Map<String, Value>, name: &str) -> Result<&'a str, Error> {
    object
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::schema(format!("\"sig.{name}\" must be a string")))
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_must_be_exact() {
        assert_eq!(decode_padded("YQ==").ok(), Some(b"a".to_vec()));
        assert_eq!(decode_padded("YQ").ok(), Some(b"a".to_vec()));
        assert_eq!(decode_padded("YWI=").ok(), Some(b"ab".to_vec()));
        for bad in ["YQ=", "YQ===", "YWI==", "YR==", "Y===", "YQ==\n"] {
            assert_eq!(
                decode_padded(bad).map_err(|e| e.code()),
                Err(ErrorCode::Base64Invalid),
                "{bad}"
            );
        }
    }
}
