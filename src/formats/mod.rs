//! One module per payload format. [`detect`] recognises the format from the payload's first
//! bytes; each format module verifies and returns a [`Verdict`](crate::Verdict).

pub(crate) mod cccd_qr;
pub(crate) mod claims;
pub(crate) mod cose;
pub(crate) mod cose_qr;
pub(crate) mod cwt;
pub(crate) mod eu_dcc;
pub(crate) mod jws;
pub(crate) mod sd_jwt;
pub(crate) mod shc;
pub(crate) mod token;
pub(crate) mod vds_nc;
pub(crate) mod vneid_document;
pub(crate) mod vneid_presentation;

use crate::encoding::{base64url, json};
use crate::error::Error;
use crate::policy::Limits;
use crate::verdict::Format;

/// Recognises a payload's format from its shape. Only two forms need a look inside: a compact
/// JWS whose protected header has `zip` is a SMART Health Card (tokens are never compressed), and
/// a JSON object is told apart by its members (`verifiableCredential`: a `.smart-health-card`
/// file; `data` and `sig`: an ICAO VDS-NC seal), read with the default [`Limits`].
#[must_use]
pub(crate) fn detect(payload: &str) -> Format {
    recognise(payload).unwrap_or(Format::Unknown)
}

/// [`detect`], saying why a payload is not recognised when the reason is more precise than
/// `unknown_format`: a payload that starts like a JSON object but is not strict JSON is
/// `json_invalid` (with the parser's detail), as the same text is in any other JSON position.
///
/// # Errors
/// `json_invalid`.
pub(crate) fn recognise(payload: &str) -> Result<Format, Error> {
    Ok(if shc::looks_like_qr(payload) {
        Format::Shc
    } else if looks_like_jws(payload) {
        // `~` is not base64url: only an SD-JWT has one.
        if payload.contains('~') {
            Format::SdJwtVc
        } else if jws_header_has_zip(payload) {
            Format::Shc
        } else {
            Format::Jwt
        }
    } else if let Some(format) = cose_qr_format(payload) {
        format
    } else if payload.starts_with('{') {
        detect_json(payload)?
    } else if cccd_qr::looks_like(payload) {
        Format::CccdQr
    } else {
        Format::Unknown
    })
}

/// `VN` or `HC` followed by a digit and a colon: the VNeID document QR and the EU DCC. Other
/// versions than `VN1:` and `HC1:` are routed too, so that they are reported as
/// `prefix_invalid` (an unsupported version) rather than `unknown_format`.
fn cose_qr_format(payload: &str) -> Option<Format> {
    let b = payload.as_bytes();
    if b.get(..3) == Some(b"VNP")
        && b.get(3).is_some_and(u8::is_ascii_digit)
        && b.get(4) == Some(&b':')
    {
        return Some(Format::VneidPresentation);
    }
    let versioned = b.get(2).is_some_and(u8::is_ascii_digit) && b.get(3) == Some(&b':');
    match b.get(..2) {
        Some(b"VN") if versioned => Some(Format::VneidDocument),
        Some(b"HC") if versioned => Some(Format::EuDcc),
        _ => None,
    }
}

/// A JSON object from `(name, value)` pairs, for the verdicts' `document` fields. A plain function
/// rather than `serde_json::json!`, whose per-type serialisation code weighs on the .wasm.
pub(crate) fn object(members: Vec<(&str, serde_json::Value)>) -> serde_json::Value {
    // Inserting one by one: collecting into the map would link a sort and a bulk builder.
    let mut map = serde_json::Map::new();
    for (name, value) in members {
        map.insert(name.to_owned(), value);
    }
    serde_json::Value::Object(map)
}

/// A JSON payload: a `.smart-health-card` file or a VDS-NC seal; anything else is unknown.
fn detect_json(payload: &str) -> Result<Format, Error> {
    let object = json::parse_object(payload.as_bytes(), &Limits::default())?;
    Ok(if object.contains_key("verifiableCredential") {
        Format::Shc
    } else if object.contains_key("data") && object.contains_key("sig") {
        Format::VdsNc
    } else {
        Format::Unknown
    })
}

/// True when the first segment of a JWS decodes to a JSON object with a `zip` member. A header
/// that does not decode is left to the token path, which reports it precisely.
fn jws_header_has_zip(payload: &str) -> bool {
    let header = payload.split('.').next().unwrap_or_default();
    if header.len() > Limits::default().max_header_len {
        return false;
    }
    base64url::decode(header)
        .ok()
        .and_then(|bytes| json::parse_object(&bytes, &Limits::default()).ok())
        .is_some_and(|h| h.contains_key("zip"))
}

/// A compact JWS starts with the base64url of `{"` (`eyJ`), or of `{` and whitespace (`ey`), and
/// has a dot. Anything after that is for the strict decoder to judge, so that a token with
/// padding or an inserted space is reported as `base64_invalid`, not `unknown_format`.
fn looks_like_jws(payload: &str) -> bool {
    payload.starts_with("ey") && payload.contains('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_jws_shapes() {
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9.e30.sig"), Format::Jwt);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9=.e30.sig"), Format::Jwt);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9"), Format::Unknown);
        assert_eq!(detect("hello"), Format::Unknown);
        assert_eq!(detect("eyJhbGciOiJFUzI1NiJ9.e30.sig~"), Format::SdJwtVc);
        assert_eq!(
            detect("eyJhbGciOiJFUzI1NiJ9.e30.sig~WyJ~k.b.j"),
            Format::SdJwtVc
        );
    }

    #[test]
    fn detects_health_cards_seals_and_card_qrs() {
        assert_eq!(detect("shc:/5676"), Format::Shc);
        assert_eq!(detect("SHC:/5676"), Format::Shc);
        // {"zip":"DEF","alg":"ES256"} — a compressed JWS is a SMART Health Card.
        assert_eq!(
            detect("eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiJ9.e30.sig"),
            Format::Shc
        );
        assert_eq!(detect(r#"{"verifiableCredential":[]}"#), Format::Shc);
        assert_eq!(detect(r#"{"data":{},"sig":{}}"#), Format::VdsNc);
        assert_eq!(detect(r#"{"data":{}}"#), Format::Unknown);
        assert_eq!(detect(r#"{"data":{},"sig":{},"data":1}"#), Format::Unknown);
        assert_eq!(detect("{"), Format::Unknown);
        // Not strict JSON: recognised as such, not as an unknown format.
        for bad in [r#"{"data":{},"sig":{},"data":1}"#, "{", r#"{"a":1,}"#] {
            assert_eq!(
                recognise(bad).map_err(|e| e.code()),
                Err(crate::ErrorCode::JsonInvalid),
                "{bad}"
            );
        }
        assert_eq!(recognise(r#"{"a":1}"#).ok(), Some(Format::Unknown));
        assert_eq!(
            detect("001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021"),
            Format::CccdQr
        );
        assert_eq!(detect("001099001234|012345678"), Format::Unknown);
    }

    #[test]
    fn detects_cose_qr_prefixes() {
        assert_eq!(detect("VN1:6BFOXN"), Format::VneidDocument);
        assert_eq!(detect("VN2:6BFOXN"), Format::VneidDocument);
        assert_eq!(detect("HC1:NCFOXN"), Format::EuDcc);
        assert_eq!(detect("HC2:NCFOXN"), Format::EuDcc);
        assert_eq!(detect("HL0:NCFOXN"), Format::Unknown);
        assert_eq!(detect("VN1"), Format::Unknown);
        assert_eq!(detect("vn1:abc"), Format::Unknown);
    }
}
